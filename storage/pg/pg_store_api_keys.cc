#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/pqxx_optional.h"
#include "storage/pg/prepared.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {
namespace {

#define IDENTITY_OPT_MICROS(col) \
  "coalesce((extract(epoch from " col ") * 1000000)::int8, 0)"

// Columns of `api_keys k JOIN users u`, decoded by ApiKeyFromRow.
constexpr char kApiKeyColumns[] =
    "k.id, k.user_id, u.organization_id, k.name, k.prefix, "
    "array_to_string(k.permissions, E'\\x1f'), "
    IDENTITY_OPT_MICROS("k.expires_at") ", k.revoked, "
    "(extract(epoch from k.created_at) * 1000000)::int8, "
    IDENTITY_OPT_MICROS("k.last_used_at");
constexpr int kApiKeyColumnCount = 10;

#undef IDENTITY_OPT_MICROS

std::optional<absl::Time> OptionalTime(int64_t micros) {
  if (micros == 0) return std::nullopt;
  return TimeFromMicros(micros);
}

ApiKey ApiKeyFromRow(const pqxx::row& row) {
  ApiKey k;
  k.id = row[0].as<std::string>();
  k.user_id = row[1].as<std::string>();
  k.organization_id = row[2].as<std::string>();
  k.name = row[3].as<std::string>();
  k.prefix = row[4].as<std::string>();
  k.permissions = SplitArray(row[5].as<std::string>());
  k.expires_at = OptionalTime(row[6].as<int64_t>());
  k.revoked = row[7].as<bool>();
  k.created_at = TimeFromMicros(row[8].as<int64_t>());
  k.last_used_at = OptionalTime(row[9].as<int64_t>());
  return k;
}

absl::StatusOr<ApiKey> SelectKey(pqxx::transaction_base& tx, const std::string& id) {
  pqxx::result r = tx.exec_params(
      absl::StrCat("SELECT ", kApiKeyColumns,
                   " FROM api_keys k JOIN users u ON u.id = k.user_id "
                   "WHERE k.id = $1"),
      id);
  if (r.empty()) {
    return WithReason(absl::NotFoundError("API key not found"),
                      reason::kApiKeyNotFound);
  }
  return ApiKeyFromRow(r[0]);
}

}  // namespace

absl::StatusOr<ApiKey> PgStore::CreateApiKey(const NewApiKey& n,
                                             const AuditEntry& audit) {
  return Transact<ApiKey>("CreateApiKey", [&](pqxx::work& tx) -> absl::StatusOr<ApiKey> {
    std::optional<std::string> expires;
    if (n.expires_at) expires = absl::StrCat(MicrosFromTime(*n.expires_at));
    std::string id =
        tx.exec_params1(
              "INSERT INTO api_keys (user_id, name, prefix, key_digest, "
              "permissions, expires_at) VALUES ($1, $2, $3, decode($4, 'hex'), "
              "$5::text[], to_timestamp($6::float8 / 1000000)) RETURNING id",
              n.user_id, n.name, n.prefix, ToHex(n.key_digest),
              ToPgArray(n.permissions), expires)[0]
            .as<std::string>();
    AuditEntry entry = audit;
    entry.target_id = id;
    InsertAudit(tx, entry);
    return SelectKey(tx, id);
  });
}

absl::StatusOr<ApiKey> PgStore::GetApiKey(absl::string_view id) {
  return Read<ApiKey>("GetApiKey", [&](pqxx::transaction_base& tx) {
    return SelectKey(tx, std::string(id));
  });
}

absl::StatusOr<ApiKeyWithOwner> PgStore::GetApiKeyByDigest(
    absl::string_view key_digest) {
  return Read<ApiKeyWithOwner>(
      "GetApiKeyByDigest",
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<ApiKeyWithOwner> {
        pqxx::result r = ExecPrepared(tx,
            absl::StrCat("SELECT ", kApiKeyColumns, ", ", kUserColumns,
                         ", array_to_string(o.trusted_ip_ranges, E'\\x1f') "
                         "FROM api_keys k JOIN users u ON u.id = k.user_id "
                         "JOIN organizations o ON o.id = u.organization_id "
                         "WHERE k.key_digest = decode($1, 'hex')"),
            ToHex(key_digest));
        if (r.empty()) {
          return WithReason(absl::NotFoundError("API key not found"),
                            reason::kApiKeyNotFound);
        }
        return ApiKeyWithOwner{
            ApiKeyFromRow(r[0]), UserFromRow(r[0], kApiKeyColumnCount),
            SplitArray(r[0][kApiKeyColumnCount + kUserColumnCount]
                           .as<std::string>())};
      });
}

absl::StatusOr<Page<ApiKey>> PgStore::ListApiKeys(const ApiKeyListQuery& q) {
  return Transact<Page<ApiKey>>(
      "ListApiKeys", [&](pqxx::work& tx) -> absl::StatusOr<Page<ApiKey>> {
        std::optional<std::string> after;
        if (q.after) after = q.after->sort_key;
        pqxx::result r = tx.exec_params(
            absl::StrCat("SELECT ", kApiKeyColumns,
                         " FROM api_keys k JOIN users u ON u.id = k.user_id "
                         "WHERE ($1::uuid IS NULL OR u.organization_id = $1) "
                         "AND ($2::uuid IS NULL OR k.user_id = $2) "
                         "AND ($3::text IS NULL OR k.prefix > $3) "
                         "ORDER BY k.prefix LIMIT $4"),
            q.organization_id, q.user_id, after, q.limit + 1);
        Page<ApiKey> page;
        for (const pqxx::row& row : r) {
          if (static_cast<int>(page.items.size()) == q.limit) {
            page.next = Cursor{page.items.back().prefix, page.items.back().id};
            break;
          }
          page.items.push_back(ApiKeyFromRow(row));
        }
        return page;
      });
}

absl::StatusOr<ApiKey> PgStore::RevokeApiKey(absl::string_view id,
                                             const AuditEntry& audit) {
  return Transact<ApiKey>("RevokeApiKey", [&](pqxx::work& tx) -> absl::StatusOr<ApiKey> {
    pqxx::result r = tx.exec_params(
        "UPDATE api_keys SET revoked = true WHERE id = $1 AND NOT revoked "
        "RETURNING id",
        std::string(id));
    if (!r.empty()) InsertAudit(tx, audit);
    return SelectKey(tx, std::string(id));
  });
}

absl::Status PgStore::TouchApiKey(absl::string_view id) {
  return TransactStatus("TouchApiKey", [&](pqxx::work& tx) {
    tx.exec_params(
        "UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND "
        "(last_used_at IS NULL OR last_used_at < now() - interval '60 seconds')",
        std::string(id));
    return absl::OkStatus();
  });
}

}  // namespace identity::storage
