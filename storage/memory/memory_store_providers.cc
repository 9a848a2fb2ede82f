// Identity provider settings in memory, with the PostgreSQL store's rules
// (storage/pg/pg_store_providers.cc): compare-and-set on the version, a
// unique key per type across organizations, the document kept as given.
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "storage/memory/memory_store.h"

namespace identity::storage {

absl::StatusOr<ProviderSettingsRecord> MemoryStore::GetProviderSettings(
    absl::string_view organization_id, absl::string_view type) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("GetProviderSettings"); !s.ok()) return s;
  auto it = provider_settings_.find(
      {std::string(organization_id), std::string(type)});
  if (it == provider_settings_.end()) {
    return WithReason(absl::NotFoundError(absl::StrCat(
                          "the organization has no ",
                          absl::AsciiStrToUpper(type), " provider configured")),
                      reason::kProviderNotConfigured,
                      {{"provider", std::string(type)}});
  }
  return it->second;
}

absl::StatusOr<ProviderSettingsRecord> MemoryStore::PutProviderSettings(
    const ProviderSettingsRecord& record,
    std::optional<int64_t> expected_version,
    const std::optional<AuditEntry>& audit,
    std::optional<Origin> unlink_stable_ids) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("PutProviderSettings"); !s.ok()) return s;
  if (organizations_.count(record.organization_id) == 0) {
    return WithReason(absl::NotFoundError("organization not found"),
                      reason::kOrganizationNotFound);
  }
  for (const auto& [key, other] : provider_settings_) {
    if (!record.unique_key.empty() && other.type == record.type &&
        other.unique_key == record.unique_key &&
        other.organization_id != record.organization_id) {
      return WithReason(absl::AlreadyExistsError(absl::StrCat(
                            "another organization's ", record.type,
                            " provider uses the same unique value")),
                        reason::kNameTaken);
    }
  }
  auto it = provider_settings_.find({record.organization_id, record.type});
  const int64_t current =
      it == provider_settings_.end() ? 0 : it->second.version;
  if (expected_version.has_value() && *expected_version != current) {
    return WithReason(
        absl::AbortedError(absl::StrCat("the organization's ", record.type,
                                        " provider settings changed "
                                        "since version ",
                                        *expected_version,
                                        " was read; read them "
                                        "again and retry")),
        reason::kVersionConflict);
  }
  ProviderSettingsRecord stored = record;
  stored.version = current + 1;
  stored.updated_at = clock_();
  provider_settings_[{record.organization_id, record.type}] = stored;
  if (unlink_stable_ids.has_value()) {
    for (auto& [id, row] : users_) {
      if (row.user.organization_id == record.organization_id &&
          row.user.origin == *unlink_stable_ids) {
        row.user.external_id.clear();
      }
    }
  }
  if (audit.has_value()) Audit(*audit);
  return stored;
}

absl::StatusOr<std::vector<ProviderSettingsRecord>>
MemoryStore::ListProviderSettings(absl::string_view type) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("ListProviderSettings"); !s.ok()) return s;
  std::vector<ProviderSettingsRecord> all;
  for (const auto& [key, record] : provider_settings_) {
    if (record.type == type) all.push_back(record);
  }
  return all;
}

}  // namespace identity::storage
