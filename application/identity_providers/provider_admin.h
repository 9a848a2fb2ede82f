// The administrator's side of a provider type: read an organization's
// settings back (GetIdentityProvider) and test them (TestIdentityProvider).
// Each type that has settings implements ProviderAdmin and registers it in
// the one table (providers/registry.cc); the RPCs ask the registered ones
// in turn, so they name no provider type.
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
};

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
