// Identity provider settings: one row per organization and provider type
// (migration 0031). The document is stored as the provider wrote it; this
// file never reads inside it.
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/pqxx_optional.h"
#include "storage/pg/prepared.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {
namespace {

constexpr char kColumns[] =
    "organization_id, type, schema_version, document::text, "
    "coalesce(unique_key, ''), version, "
    "(extract(epoch from updated_at) * 1000000)::int8";

ProviderSettingsRecord FromRow(const pqxx::row& r) {
  ProviderSettingsRecord s;
  s.organization_id = r[0].as<std::string>();
  s.type = r[1].as<std::string>();
  s.schema_version = r[2].as<int>();
  s.document = r[3].as<std::string>();
  s.unique_key = r[4].as<std::string>();
  s.version = r[5].as<int64_t>();
  s.updated_at = TimeFromMicros(r[6].as<int64_t>());
  return s;
}

absl::Status NotConfigured(absl::string_view type) {
  return WithReason(absl::NotFoundError(absl::StrCat(
                        "the organization has no ", absl::AsciiStrToUpper(type),
                        " provider configured")),
                    reason::kProviderNotConfigured,
                    {{"provider", std::string(type)}});
}

absl::Status Changed(const ProviderSettingsRecord& s, int64_t expected) {
  return WithReason(absl::AbortedError(absl::StrCat(
                        "the organization's ", s.type,
                        " provider settings changed since "
                        "version ",
                        expected, " was read; read them again and retry")),
                    reason::kVersionConflict);
}

// The row as written, or no row when the compare-and-set failed.
pqxx::result Write(pqxx::work& tx, const ProviderSettingsRecord& s,
                   std::optional<int64_t> expected) {
  // NULL, not '': organizations without a key do not collide.
  std::optional<std::string> key;
  if (!s.unique_key.empty()) key = s.unique_key;
  const std::string returning = absl::StrCat(" RETURNING ", kColumns);
  if (expected.has_value() && *expected > 0) {
    return tx.exec_params(
        absl::StrCat("UPDATE identity_provider_settings SET "
                     "schema_version = $3, document = $4::jsonb, "
                     "unique_key = $5, version = version + 1, "
                     "updated_at = now() WHERE organization_id = $1 AND "
                     "type = $2 AND version = $6",
                     returning),
        s.organization_id, s.type, s.schema_version, s.document, key,
        *expected);
  }
  const std::string insert =
      "INSERT INTO identity_provider_settings (organization_id, type, "
      "schema_version, document, unique_key) VALUES ($1, $2, $3, $4::jsonb, "
      "$5) ON CONFLICT (organization_id, type) ";
  if (expected.has_value()) {  // 0: only when there is none yet
    return tx.exec_params(absl::StrCat(insert, "DO NOTHING", returning),
                          s.organization_id, s.type, s.schema_version,
                          s.document, key);
  }
  return tx.exec_params(
      absl::StrCat(insert,
                   "DO UPDATE SET schema_version = EXCLUDED.schema_version, "
                   "document = EXCLUDED.document, "
                   "unique_key = EXCLUDED.unique_key, "
                   "version = identity_provider_settings.version + 1, "
                   "updated_at = now()",
                   returning),
      s.organization_id, s.type, s.schema_version, s.document, key);
}

}  // namespace

absl::StatusOr<ProviderSettingsRecord> PgStore::GetProviderSettings(
    absl::string_view organization_id, absl::string_view type) {
  return Read<ProviderSettingsRecord>(
      "GetProviderSettings",
      [&](pqxx::transaction_base& tx)
          -> absl::StatusOr<ProviderSettingsRecord> {
        pqxx::result r =
            ExecPrepared(tx,
                         absl::StrCat("SELECT ", kColumns,
                                      " FROM identity_provider_settings WHERE "
                                      "organization_id = $1 AND type = $2"),
                         std::string(organization_id), std::string(type));
        if (r.empty()) return NotConfigured(type);
        return FromRow(r[0]);
      });
}

absl::StatusOr<ProviderSettingsRecord> PgStore::PutProviderSettings(
    const ProviderSettingsRecord& s, std::optional<int64_t> expected_version,
    const std::optional<AuditEntry>& audit,
    std::optional<Origin> unlink_stable_ids) {
  return Transact<ProviderSettingsRecord>(
      "PutProviderSettings",
      [&](pqxx::work& tx) -> absl::StatusOr<ProviderSettingsRecord> {
        if (tx.exec_params("SELECT 1 FROM organizations WHERE id = $1",
                           s.organization_id)
                .empty()) {
          return WithReason(absl::NotFoundError("organization not found"),
                            reason::kOrganizationNotFound);
        }
        if (!s.unique_key.empty() &&
            !tx.exec_params(
                   "SELECT 1 FROM identity_provider_settings WHERE type = $1 "
                   "AND unique_key = $2 AND organization_id <> $3",
                   s.type, s.unique_key, s.organization_id)
                 .empty()) {
          return WithReason(absl::AlreadyExistsError(absl::StrCat(
                                "another organization's ", s.type,
                                " provider uses the same unique value")),
                            reason::kNameTaken);
        }
        pqxx::result written = Write(tx, s, expected_version);
        if (written.empty()) return Changed(s, *expected_version);
        if (unlink_stable_ids.has_value()) {
          tx.exec_params(
              "UPDATE users SET external_id = NULL WHERE organization_id = $1 "
              "AND origin = $2 AND external_id IS NOT NULL",
              s.organization_id, std::string(Origin2Sql(*unlink_stable_ids)));
        }
        if (audit.has_value()) InsertAudit(tx, *audit);
        return FromRow(written[0]);
      });
}

absl::StatusOr<std::vector<ProviderSettingsRecord>>
PgStore::ListProviderSettings(absl::string_view type) {
  return Read<std::vector<ProviderSettingsRecord>>(
      "ListProviderSettings",
      [&](pqxx::transaction_base& tx)
          -> absl::StatusOr<std::vector<ProviderSettingsRecord>> {
        std::vector<ProviderSettingsRecord> all;
        for (const pqxx::row& r : tx.exec_params(
                 absl::StrCat("SELECT ", kColumns,
                              " FROM identity_provider_settings WHERE type = "
                              "$1 ORDER BY organization_id LIMIT 10000"),
                 std::string(type))) {
          all.push_back(FromRow(r));
        }
        return all;
      });
}

}  // namespace identity::storage
