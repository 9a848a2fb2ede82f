// The audit stream's reads (migration 0030): events in (xid, id) order, and
// only those whose transaction id is below the snapshot's xmin. Every
// transaction below xmin has ended, so no event can later commit at a
// position before one already read; an event of a younger transaction that
// committed first waits until the older one ends.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/pqxx_optional.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {
namespace {

constexpr char kXmin[] = "(SELECT pg_snapshot_xmin(pg_current_snapshot()))";

std::optional<std::string> Micros(const std::optional<absl::Time>& t) {
  if (!t) return std::nullopt;
  return absl::StrCat(MicrosFromTime(*t));
}

uint64_t Xid(const pqxx::field& f) {
  uint64_t xid = 0;
  (void)absl::SimpleAtoi(f.c_str(), &xid);  // xid8's text is its decimal
  return xid;
}

AuditEvent EventFrom(const pqxx::row& row) {
  AuditEvent e;
  e.id = row[0].as<int64_t>();
  e.xid = Xid(row[1]);
  e.occurred_at = TimeFromMicros(row[2].as<int64_t>());
  e.entry.actor_id = row[3].as<std::string>();
  e.entry.actor_username = row[4].as<std::string>();
  e.entry.action = row[5].as<std::string>();
  e.entry.target_type = row[6].as<std::string>();
  e.entry.target_id = row[7].as<std::string>();
  e.entry.organization_id = row[8].as<std::string>();
  e.entry.peer = row[9].as<std::string>();
  e.entry.details_json = row[10].as<std::string>();
  return e;
}

}  // namespace

absl::StatusOr<AuditStreamPage> PgStore::ReadAuditStream(
    const AuditQuery& f, const AuditPosition& after) {
  return Read<AuditStreamPage>(
      "ReadAuditStream",
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<AuditStreamPage> {
        AuditStreamPage page;
        // Asked before the page is read: an event that is waiting now is
        // either in the page or still waiting when the page is read, so a
        // "nothing pending" answer cannot hide one (see AuditFeed).
        page.pending =
            tx.exec(absl::StrCat("SELECT EXISTS (SELECT 1 FROM audit_events "
                                 "WHERE xid >= ",
                                 kXmin, ")"))[0][0]
                .as<bool>();
        std::optional<std::string> prefix;
        if (f.action_prefix) prefix = *f.action_prefix;  // validated
        pqxx::result r = tx.exec_params(
            absl::StrCat(
                "SELECT id, xid::text, "
                "(extract(epoch from occurred_at) * 1000000)::int8, "
                "coalesce(actor_id::text, ''), actor_username, action, "
                "target_type, target_id, coalesce(organization_id::text, ''), "
                "peer, details::text FROM audit_events "
                "WHERE (xid, id) > ($1::xid8, $2::int8) AND xid < ",
                kXmin,
                " AND ($3::uuid IS NULL OR organization_id = $3) "
                "AND ($4::uuid IS NULL OR actor_id = $4) "
                "AND ($5::text IS NULL OR target_id = $5) "
                "AND ($6::text IS NULL OR action = $6) "
                "AND ($7::text IS NULL OR starts_with(action, $7)) "
                // Whole microseconds, as the watchers compare them in memory.
                "AND ($8::int8 IS NULL OR occurred_at >= timestamptz 'epoch' "
                "     + $8::int8 * interval '1 microsecond') "
                "AND ($9::int8 IS NULL OR occurred_at < timestamptz 'epoch' "
                "     + $9::int8 * interval '1 microsecond') "
                "ORDER BY xid, id LIMIT $10"),
            absl::StrCat(after.xid), after.id, f.organization_id, f.actor_id,
            f.target_id, f.action, prefix, Micros(f.since), Micros(f.until),
            f.limit);
        page.events.reserve(r.size());
        for (const pqxx::row& row : r) page.events.push_back(EventFrom(row));
        return page;
      });
}

absl::StatusOr<AuditPosition> PgStore::AuditStreamHead() {
  return Read<AuditPosition>(
      "AuditStreamHead",
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<AuditPosition> {
        pqxx::result r = tx.exec(
            absl::StrCat("SELECT xid::text, id FROM audit_events WHERE xid < ",
                         kXmin, " ORDER BY xid DESC, id DESC LIMIT 1"));
        if (r.empty()) return AuditPosition{};
        return AuditPosition{Xid(r[0][0]), r[0][1].as<int64_t>()};
      });
}

}  // namespace identity::storage
