// Administration of an organization's SAML provider: configure it (the SP
// key generated when none is given, sealed, never returned), read it back
// with warnings about certificates near their end.
#ifndef IDENTITY_PROVIDERS_SAML_SAML_PROVIDERS_H_
#define IDENTITY_PROVIDERS_SAML_SAML_PROVIDERS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "application/identity_providers/provider_settings.h"
#include "application/identity_providers/provider_test_step.h"
#include "application/organizations/role_catalog.h"
#include "common/secret_box.h"
#include "domain/principal.h"
#include "providers/saml/saml_settings.h"
#include "providers/saml/saml_sp.h"
#include "storage/store.h"

namespace identity::saml {

// What ConfigureSamlProvider takes: the stored fields plus the plain SP key
// (empty on an update: keep the stored one; empty on a new provider:
// generate one).
struct SamlSettings {
  SamlProviderConfig config;
  std::string sp_private_key_pem;
};

struct SamlProviderView {
  SamlProviderConfig config;
  std::vector<std::string> warnings;  // e.g. a certificate expiring soon
};

class SamlProviders {
 public:
  SamlProviders(storage::Store* store, const SecretBox* box, RoleCatalog* catalog)
      : store_(store), box_(box), catalog_(catalog), check_("saml", catalog) {}

  absl::StatusOr<SamlProviderView> Configure(const Caller& caller,
                                             SamlSettings settings);
  // No permission check: for the administrator side (saml_admin.cc), which
  // makes its own.
  absl::StatusOr<SamlProviderView> View(absl::string_view organization_id) const;
  // TestIdentityProvider for a SAML provider: the IdP metadata, the sealed SP
  // key, an AuthnRequest built and signed, and certificates near their end.
  absl::StatusOr<std::vector<ProviderTestStep>> Test(
      const Caller& caller, absl::string_view organization_id) const;
  // The provider of an organization named by id or name; NOT_FOUND for an
  // unknown organization or one without a SAML provider.
  absl::StatusOr<SamlProviderConfig> ProviderOf(
      absl::string_view organization) const;
  // The SP metadata an administrator gives the IdP (public: no secret).
  absl::StatusOr<std::string> Metadata(absl::string_view organization) const;
  // The settings the SP code needs (unseals the key).
  absl::StatusOr<SpSettings> SpFor(const SamlProviderConfig& c) const;

 private:
  absl::Status Validate(const Caller& caller, const SamlProviderConfig& c);
  // `*expected_version`: the version the kept key was read from (0: there
  // was no provider), for a compare-and-set write; unset when the caller
  // gave the key.
  absl::Status SetKey(SamlSettings& settings,
                      std::optional<int64_t>* expected_version);
  absl::StatusOr<SamlProviderConfig> Store(const Caller& caller,
                                           SamlSettings& settings);
  // Certificates near their end, and a failed metadata refresh.
  static std::vector<std::string> Warnings(const SamlProviderConfig& c);

  storage::Store* store_;
  const SecretBox* box_;
  RoleCatalog* catalog_;
  const ProviderSettingsChecker check_;
};

// When each certificate of the provider ("sp", "sp_next", "idp") ends.
std::vector<std::pair<std::string, absl::Time>> CertificateEnds(
    const SamlProviderConfig& c);

// Certificates (the SP's and the IdP's) expiring within 30 days.
std::vector<std::string> CertificateWarnings(const SamlProviderConfig& c,
                                             absl::Time now);

}  // namespace identity::saml

#endif  // IDENTITY_PROVIDERS_SAML_SAML_PROVIDERS_H_
