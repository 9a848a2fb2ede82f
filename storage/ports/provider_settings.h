// Each organization's identity provider settings (LDAP, SAML).
#ifndef IDENTITY_STORAGE_PORTS_PROVIDER_SETTINGS_H_
#define IDENTITY_STORAGE_PORTS_PROVIDER_SETTINGS_H_

#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/queries.h"

namespace identity::storage {

class ProviderSettings {
 public:
  virtual ~ProviderSettings() = default;

  // NOT_FOUND when the organization has none.
  virtual absl::StatusOr<LdapProviderConfig> GetLdapProvider(
      absl::string_view organization_id) = 0;
  // Creates or replaces the organization's LDAP provider.
  virtual absl::StatusOr<LdapProviderConfig> PutLdapProvider(
      const LdapProviderConfig& config, const AuditEntry& audit) = 0;

  // SAML. NOT_FOUND without a provider; ALREADY_EXISTS for an SP entity id
  // another organization uses.
  virtual absl::StatusOr<SamlProviderConfig> GetSamlProvider(
      absl::string_view organization_id) = 0;
  virtual absl::StatusOr<SamlProviderConfig> PutSamlProvider(
      const SamlProviderConfig& config, const AuditEntry& audit) = 0;
  // Every organization's SAML provider (for certificate expiry metrics).
  virtual absl::StatusOr<std::vector<SamlProviderConfig>>
  ListSamlProviders() = 0;
  // Records a metadata refresh: a new document (with `audit`, which may be
  // empty for a document whose certificates did not change), a good fetch
  // of the same one, or a failure. ABORTED when the provider changed since
  // it was read (another replica refreshed it, or an admin configured it).
  virtual absl::Status RecordSamlMetadataRefresh(
      const SamlMetadataRefresh& refresh,
      const std::optional<AuditEntry>& audit) = 0;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PORTS_PROVIDER_SETTINGS_H_
