// The LDAP provider's stored settings: domain::LdapProviderConfig as the
// document of an identity_provider_settings record of type "ldap" (its
// shape: ldap_settings.proto, in protobuf's JSON form). The store never
// reads the document; this is the one place that does.
//
// domain::LdapProviderConfig itself stays in domain/records.h: the
// per-replica credential cache (application/sessions/) keeps it, and a
// lower layer may not include providers/.
#ifndef IDENTITY_PROVIDERS_LDAP_LDAP_SETTINGS_H_
#define IDENTITY_PROVIDERS_LDAP_LDAP_SETTINGS_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/records.h"
#include "storage/ports/provider_settings.h"

namespace identity::ldap {

inline constexpr absl::string_view kLdapSettingsType = "ldap";
// The newest document shape this server reads and the one it writes.
inline constexpr int kLdapSettingsSchema = 1;

// The record that stores `config` (organization, type, schema version,
// document; no unique key). Its version is the config's.
absl::StatusOr<storage::ProviderSettingsRecord> EncodeLdapSettings(
    const domain::LdapProviderConfig& config);

// The config a record stores. FAILED_PRECONDITION, saying what to do, for a
// record of another type, of a newer schema version than this server
// reads, or whose document it cannot read.
absl::StatusOr<domain::LdapProviderConfig> DecodeLdapSettings(
    const storage::ProviderSettingsRecord& record);

// The organization's LDAP settings as stored: NOT_FOUND when it has none.
absl::StatusOr<domain::LdapProviderConfig> LoadLdapSettings(
    storage::ProviderSettings& store, absl::string_view organization_id);

}  // namespace identity::ldap

#endif  // IDENTITY_PROVIDERS_LDAP_LDAP_SETTINGS_H_
