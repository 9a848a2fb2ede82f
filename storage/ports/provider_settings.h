// Each organization's identity provider settings, one record per provider
// type: the type names the provider (providers/registry.cc) and the
// document is the provider's own, which only it reads (its settings codec
// in providers/<type>/). The store never looks inside the document, so a
// new provider type needs no new method, table or migration here.
#ifndef IDENTITY_STORAGE_PORTS_PROVIDER_SETTINGS_H_
#define IDENTITY_STORAGE_PORTS_PROVIDER_SETTINGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "storage/queries.h"

namespace identity::storage {

struct ProviderSettingsRecord {
  std::string organization_id;
  std::string type;  // "ldap", "saml": lower case letters, digits, '_'
  // The shape of `document`, which its provider reads; a provider refuses
  // a document of a schema newer than it knows.
  int schema_version = 1;
  std::string document;  // a JSON object
  // A value no two organizations may share for this type (SAML: the SP
  // entity ID); empty: none.
  std::string unique_key;
  int64_t version = 0;    // set by the store: 1 when created, +1 per write
  absl::Time updated_at;  // set by the store
};

class ProviderSettings {
 public:
  virtual ~ProviderSettings() = default;

  // NOT_FOUND (reason PROVIDER_NOT_CONFIGURED) when the organization has no
  // provider of the type.
  virtual absl::StatusOr<ProviderSettingsRecord> GetProviderSettings(
      absl::string_view organization_id, absl::string_view type) = 0;

  // Creates or replaces the organization's settings of `record.type` and
  // answers the record as stored (its version and time set).
  // - `expected_version`: compare-and-set; ABORTED when the stored record
  //   is not at this version any more (0: when one exists already).
  //   Without it the write replaces whatever is stored.
  // - `audit`: written in the same transaction (none: a write no one
  //   asked for, such as an unchanged metadata refresh).
  // - `unlink_stable_ids`: the users of this origin in the organization
  //   lose their stable ids in the same transaction, for settings that
  //   change what those ids mean (the users are then matched by DN and
  //   linked anew).
  // ALREADY_EXISTS (reason NAME_TAKEN) when another organization's
  // provider of the type holds `record.unique_key`; NOT_FOUND when the
  // organization does not exist.
  virtual absl::StatusOr<ProviderSettingsRecord> PutProviderSettings(
      const ProviderSettingsRecord& record,
      std::optional<int64_t> expected_version,
      const std::optional<AuditEntry>& audit,
      std::optional<Origin> unlink_stable_ids) = 0;

  // Every organization's settings of `type`, by organization id.
  virtual absl::StatusOr<std::vector<ProviderSettingsRecord>>
  ListProviderSettings(absl::string_view type) = 0;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PORTS_PROVIDER_SETTINGS_H_
