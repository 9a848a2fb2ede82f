// The administrator's side of a provider type: configure an organization's
// provider (ConfigureIdentityProvider), read its settings back
// (GetIdentityProvider) and test them (TestIdentityProvider). Each type that
// has settings implements ProviderAdmin and registers it in the one table
// (providers/registry.cc); the RPCs find the type by its settings message or
// ask the registered ones in turn, so they name no provider type.
#ifndef IDENTITY_APPLICATION_IDENTITY_PROVIDERS_PROVIDER_ADMIN_H_
#define IDENTITY_APPLICATION_IDENTITY_PROVIDERS_PROVIDER_ADMIN_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "application/identity_providers/provider_test_step.h"
#include "domain/principal.h"
#include "google/protobuf/message.h"

namespace identity {

class ProviderRegistry;

// What an organization's provider shows its administrator (never a
// secret). A type derives its own with its settings and figures; the
// handler edge turns it into the wire message.
struct ProviderDescription {
  virtual ~ProviderDescription() = default;
  std::string type;  // the provider's name(): "ldap", "saml"
  std::string organization_id;
  int64_t version = 0;  // of the stored settings
};

// What TestIdentityProvider asks; providers that cannot use a username or
// password ignore them.
struct ProviderTestRequest {
  std::string organization_id;
  absl::string_view username;
  absl::string_view password;
};

class ProviderAdmin {
 public:
  virtual ~ProviderAdmin() = default;
  // Short lower-case type name, as in ProviderDescription::type.
  virtual absl::string_view name() const = 0;
  // Each checks the caller itself (an invalid id or a refused caller stops
  // the search); NOT_FOUND when the organization has no such provider.
  virtual absl::StatusOr<std::unique_ptr<ProviderDescription>> Describe(
      const Caller& caller, absl::string_view organization_id) const = 0;
  virtual absl::StatusOr<std::vector<ProviderTestStep>> Test(
      const Caller& caller, const ProviderTestRequest& request) const = 0;

  // The full name of the API message that carries this type's settings
  // ("identity.v1.LdapConfig"): ConfigureIdentityProvider's field of the
  // type. The provider owns its message, as it owns its stored settings.
  virtual absl::string_view settings_message() const = 0;
  // Creates or replaces the organization's provider from `settings`, a
  // message of settings_message(); checks the caller itself. Answers what
  // Describe would, without this replica's figures.
  virtual absl::StatusOr<std::unique_ptr<ProviderDescription>> Configure(
      const Caller& caller, absl::string_view organization_id,
      const google::protobuf::Message& settings) const = 0;
  // Writes the type's own part of the API's provider message (`out`, an
  // identity.v1.IdentityProvider): its settings field and figures. The
  // fields every type has (organization, type, version) are written by
  // the caller.
  virtual absl::Status Write(const ProviderDescription& description,
                             google::protobuf::Message* out) const = 0;
};

// The type whose settings message `settings` is configures the
// organization's provider, once the caller may perform `operation` (the
// call made: ConfigureIdentityProvider or a typed one) on that
// organization. INVALID_ARGUMENT naming `field` when no registered type
// takes that message.
absl::StatusOr<std::unique_ptr<ProviderDescription>> ConfigureProvider(
    const ProviderRegistry& registry, const Caller& caller,
    absl::string_view operation, absl::string_view organization_id,
    const google::protobuf::Message& settings, absl::string_view field);

// The registered type named `description.type` writes its part of `out`;
// a type it does not know leaves `out` as it is.
absl::Status WriteProvider(const ProviderRegistry& registry,
                           const ProviderDescription& description,
                           google::protobuf::Message* out);

// The first registered provider configured for the organization answers.
// An error other than NOT_FOUND ends the search; when none is configured,
// the last NOT_FOUND (with its reason) is the answer.
absl::StatusOr<std::unique_ptr<ProviderDescription>> DescribeProvider(
    const ProviderRegistry& registry, const Caller& caller,
    absl::string_view organization_id);
absl::StatusOr<std::vector<ProviderTestStep>> TestProvider(
    const ProviderRegistry& registry, const Caller& caller,
    const ProviderTestRequest& request);

}  // namespace identity

#endif  // IDENTITY_APPLICATION_IDENTITY_PROVIDERS_PROVIDER_ADMIN_H_
