// The SAML provider's settings (SamlProviderConfig) and how they are
// stored: the document of an identity_provider_settings record of type
// "saml" (its shape: saml_settings.proto, in protobuf's JSON form), with the
// SP entity ID as the record's unique key, so no two organizations share
// one. The store never reads the document; this is the one place that does.
#ifndef IDENTITY_PROVIDERS_SAML_SAML_SETTINGS_H_
#define IDENTITY_PROVIDERS_SAML_SAML_SETTINGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/records.h"
#include "storage/ports/provider_settings.h"

namespace identity::saml {

struct SamlProviderConfig {
  std::string organization_id;
  std::string idp_metadata_xml;
  std::string idp_entity_id;  // read from the metadata
  std::string sp_entity_id;
  std::string acs_url;
  std::string sp_private_key_box;  // sealed PEM
  std::string sp_certificate_pem;
  std::string sp_next_certificate_pem;  // published beside the current one
  std::string name_id_format;
  std::string username_attribute;  // empty: the NameID
  std::string email_attribute;
  std::string display_name_attribute;
  std::string groups_attribute;
  std::vector<domain::GroupRoleMapping> group_role_mappings;
  std::string default_role = "BASIC_USER";
  bool allow_idp_initiated = false;
  int clock_skew_seconds = 60;
  bool allow_sha1_signatures = false;  // older AD FS trusts sign with SHA-1
  bool match_friendly_names = false;   // attributes by FriendlyName too
  bool force_authn = false;
  std::string authn_context_class_ref;        // empty: no strength asked for
  bool require_encrypted_assertions = false;  // plain assertions refused
  // IdP metadata by URL (empty: idp_metadata_xml as given). The CA bundle
  // (PEM) verifies the server (empty: the system store); the certificate,
  // when set, must have signed every fetched document.
  std::string idp_metadata_url;
  std::string idp_metadata_ca_pem;
  std::string idp_metadata_signing_certificate_pem;
  // How refreshes went: the last good fetch, the last failed one and why
  // (cleared by the next good one).
  std::optional<absl::Time> idp_metadata_fetched_at;
  std::optional<absl::Time> idp_metadata_failed_at;
  std::string idp_metadata_failure;
  int64_t version = 0;  // the stored record's
};

inline constexpr absl::string_view kSamlSettingsType = "saml";
// The newest document shape this server reads and the one it writes.
inline constexpr int kSamlSettingsSchema = 1;

// The record that stores `config`; its unique key is the SP entity ID and
// its version the config's.
absl::StatusOr<storage::ProviderSettingsRecord> EncodeSamlSettings(
    const SamlProviderConfig& config);

// The config a record stores. FAILED_PRECONDITION, saying what to do, for a
// record of another type, of a newer schema version than this server
// reads, or whose document it cannot read.
absl::StatusOr<SamlProviderConfig> DecodeSamlSettings(
    const storage::ProviderSettingsRecord& record);

// The organization's SAML settings as stored: NOT_FOUND when it has none.
absl::StatusOr<SamlProviderConfig> LoadSamlSettings(
    storage::ProviderSettings& store, absl::string_view organization_id);

// Writes `config` (over `expected_version` when given: ABORTED when it
// changed since) and answers it as stored. ALREADY_EXISTS naming the field
// when another organization uses its SP entity ID.
absl::StatusOr<SamlProviderConfig> StoreSamlSettings(
    storage::ProviderSettings& store, const SamlProviderConfig& config,
    std::optional<int64_t> expected_version,
    const std::optional<domain::AuditEntry>& audit);

}  // namespace identity::saml

#endif  // IDENTITY_PROVIDERS_SAML_SAML_SETTINGS_H_
