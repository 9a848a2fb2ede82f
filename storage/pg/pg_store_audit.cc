#include "absl/strings/str_cat.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/pqxx_optional.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {
namespace {

std::optional<std::string> MicrosParam(const std::optional<absl::Time>& t) {
  if (!t) return std::nullopt;
  return absl::StrCat(MicrosFromTime(*t));
}

}  // namespace

absl::StatusOr<Page<AuditEvent>> PgStore::ListAuditEvents(const AuditQuery& q) {
  return Transact<Page<AuditEvent>>(
      "ListAuditEvents",
      [&](pqxx::work& tx) -> absl::StatusOr<Page<AuditEvent>> {
        std::optional<std::string> before;
        if (q.before_id) before = absl::StrCat(*q.before_id);
        std::optional<std::string> prefix;
        if (q.action_prefix) {
          prefix = *q.action_prefix;  // validated: letters, digits, '_' and '.'
        }
        pqxx::result r = tx.exec_params(
            "SELECT id, (extract(epoch from occurred_at) * 1000000)::int8, "
            "coalesce(actor_id::text, ''), actor_username, action, target_type, "
            "target_id, coalesce(organization_id::text, ''), peer, "
            "details::text FROM audit_events "
            "WHERE ($1::uuid IS NULL OR organization_id = $1) "
            "AND ($2::uuid IS NULL OR actor_id = $2) "
            "AND ($3::text IS NULL OR target_id = $3) "
            "AND ($4::text IS NULL OR action = $4) "
            "AND ($5::text IS NULL OR starts_with(action, $5)) "
            "AND ($6::text IS NULL OR occurred_at >= "
            "     to_timestamp($6::float8 / 1000000)) "
            "AND ($7::text IS NULL OR occurred_at < "
            "     to_timestamp($7::float8 / 1000000)) "
            "AND ($8::int8 IS NULL OR id < $8::int8) "
            "ORDER BY id DESC LIMIT $9",
            q.organization_id, q.actor_id, q.target_id, q.action, prefix,
            MicrosParam(q.since), MicrosParam(q.until), before, q.limit + 1);
        Page<AuditEvent> page;
        for (const pqxx::row& row : r) {
          if (static_cast<int>(page.items.size()) == q.limit) {
            page.next = Cursor{absl::StrCat(page.items.back().id), ""};
            break;
          }
          AuditEvent e;
          e.id = row[0].as<int64_t>();
          e.occurred_at = TimeFromMicros(row[1].as<int64_t>());
          e.entry.actor_id = row[2].as<std::string>();
          e.entry.actor_username = row[3].as<std::string>();
          e.entry.action = row[4].as<std::string>();
          e.entry.target_type = row[5].as<std::string>();
          e.entry.target_id = row[6].as<std::string>();
          e.entry.organization_id = row[7].as<std::string>();
          e.entry.peer = row[8].as<std::string>();
          e.entry.details_json = row[9].as<std::string>();
          page.items.push_back(std::move(e));
        }
        return page;
      });
}

}  // namespace identity::storage
