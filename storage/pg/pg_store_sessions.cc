#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/pqxx_optional.h"
#include "storage/pg/prepared.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {
namespace {

// Columns of `sessions s`, decoded by SessionFromRow.
constexpr char kSessionColumns[] =
    "s.id, s.user_id, (extract(epoch from s.created_at) * 1000000)::int8, "
    "(extract(epoch from s.expires_at) * 1000000)::int8, "
    "(extract(epoch from s.last_seen_at) * 1000000)::int8, s.peer";
constexpr int kSessionColumnCount = 6;

Session SessionFromRow(const pqxx::row& row) {
  return Session{row[0].as<std::string>(),
                 row[1].as<std::string>(),
                 TimeFromMicros(row[2].as<int64_t>()),
                 TimeFromMicros(row[3].as<int64_t>()),
                 TimeFromMicros(row[4].as<int64_t>()),
                 row[5].as<std::string>()};
}

// One statement, so that a login costs PostgreSQL one round trip: the
// user's expired sessions end, and with a concurrent-session limit ($12)
// so do the oldest beyond it (the new one counts toward it); a successful
// login clears the failed-login count; the session and its audit event are
// inserted. It returns what it changed for this replica's cache: the ended
// sessions and, when the lockout was reset, the user; or no row when the
// session was already there (a first attempt committed and its answer was
// lost with the connection: the token digest is unique, so a second attempt
// writes nothing). Without a limit the statement leaves that part out rather
// than switching it off with a parameter, which would keep PostgreSQL from
// reusing a generic plan (re-planning took longer than running it).
constexpr absl::string_view kLockedNow =
    "(locked AND (locked_until IS NULL OR locked_until > now()))";

const std::string& CreateSessionSql(bool limited) {
  auto sql = [](bool limited) {
    return new std::string(absl::StrCat(
        // A second attempt ends nothing: the first one did.
        "WITH first AS (SELECT NOT EXISTS (SELECT 1 FROM sessions WHERE "
        "token_digest = decode($2, 'hex')) AS yes), "
        "expired AS (DELETE FROM sessions WHERE user_id = $1 AND "
        "expires_at < now() AND (SELECT yes FROM first) RETURNING id), ",
        limited ? "beyond AS (DELETE FROM sessions WHERE (SELECT yes FROM "
                  "first) AND id IN (SELECT id FROM sessions WHERE user_id = "
                  "$1 AND expires_at >= now() ORDER BY created_at DESC, id "
                  "OFFSET $12 - 1) RETURNING id), "
                : "beyond AS (SELECT NULL::uuid AS id WHERE false), ",
        // A lock that a concurrent wrong guess set while this login's
        // password was being checked stays: neither the reset nor the
        // session happens (the UPDATE re-reads the row it waited for).
        "reset AS (UPDATE users SET failed_login_attempts = 0, "
        "first_failed_login_at = NULL, locked = false, locked_until = NULL "
        "WHERE id = $1 AND (failed_login_attempts <> 0 OR locked) AND NOT ",
        kLockedNow, " RETURNING id), "
        "created (id, user_id, created_us, expires_us, seen_us, peer) AS ("
        "INSERT INTO sessions AS s (user_id, token_digest, expires_at, peer) "
        "SELECT $1::uuid, decode($2, 'hex'), "
        "to_timestamp($3::float8 / 1000000), $4::text WHERE NOT EXISTS ("
        "SELECT 1 FROM users WHERE id = $1 AND ", kLockedNow, ") "
        "ON CONFLICT (token_digest) DO NOTHING RETURNING ",
        kSessionColumns, "), "
        "audit AS (INSERT INTO audit_events (actor_id, actor_username, "
        "action, target_type, target_id, organization_id, peer, details) "
        "SELECT $5::uuid, $6, $7, $8, created.id::text, $9::uuid, $10, "
        "$11::jsonb FROM created) "
        "SELECT created.*, concat_ws(',', "
        "(SELECT string_agg('s:' || id, ',') FROM expired), "
        "(SELECT string_agg('s:' || id, ',') FROM beyond), "
        "(SELECT string_agg('u:' || id, ',') FROM reset)) FROM created"));
  };
  static const std::string* unlimited = sql(false);
  static const std::string* with_limit = sql(true);
  return limited ? *with_limit : *unlimited;
}

}  // namespace

absl::StatusOr<Session> PgStore::CreateSession(const NewSession& n,
                                               const AuditEntry& audit) {
  return WriteOne<Session>(
      "CreateSession",
      [&](pqxx::transaction_base& tx,
          std::string* changes) -> absl::StatusOr<Session> {
        auto run = [&](auto... limit) {
          return ExecPrepared(
              tx, CreateSessionSql(sizeof...(limit) > 0), n.user_id,
              ToHex(n.token_digest), MicrosFromTime(n.expires_at), n.peer,
              NullIfEmpty(audit.actor_id), audit.actor_username, audit.action,
              audit.target_type, NullIfEmpty(audit.organization_id),
              audit.peer, audit.details_json, limit...);
        };
        pqxx::result r = n.max_concurrent > 0 ? run(n.max_concurrent) : run();
        if (r.empty()) {
          r = ExecPrepared(tx,
                           absl::StrCat("SELECT ", kSessionColumns,
                                        " FROM sessions s WHERE "
                                        "s.token_digest = decode($1, 'hex')"),
                           ToHex(n.token_digest));
          if (r.empty()) {
            if (!ExecPrepared(tx,
                              absl::StrCat("SELECT 1 FROM users WHERE id = $1 "
                                           "AND ",
                                           kLockedNow),
                              n.user_id)
                     .empty()) {
              return WithReason(
                  absl::FailedPreconditionError("the user is locked"),
                  reason::kAccountLocked);
            }
            return absl::UnavailableError(
                "the session could not be started; log in again");
          }
          return SessionFromRow(r[0]);
        }
        *changes = r[0][kSessionColumnCount].as<std::string>();
        return SessionFromRow(r[0]);
      });
}

absl::StatusOr<SessionWithUser> PgStore::GetSessionByDigest(
    absl::string_view token_digest) {
  return Read<SessionWithUser>(
      "GetSessionByDigest",
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<SessionWithUser> {
        pqxx::result r = ExecPrepared(
            tx,
            absl::StrCat("SELECT ", kSessionColumns, ", ", kUserColumns, ", ",
                         kSessionPolicyColumns,
                         " FROM sessions s JOIN users u ON u.id = s.user_id "
                         "JOIN organizations o ON o.id = u.organization_id "
                         "WHERE s.token_digest = decode($1, 'hex')"),
            ToHex(token_digest));
        if (r.empty()) {
          return WithReason(absl::NotFoundError("session not found"),
                            reason::kSessionNotFound);
        }
        const int policy_at = kSessionColumnCount + kUserColumnCount;
        return SessionWithUser{SessionFromRow(r[0]),
                               UserFromRow(r[0], kSessionColumnCount),
                               SessionPolicyFromRow(r[0], policy_at),
                               r[0][policy_at + 3].as<int>(),
                               r[0][policy_at + 4].as<std::string>(),
                               r[0][policy_at + 5].as<bool>()};
      });
}

absl::StatusOr<Session> PgStore::GetSession(absl::string_view session_id) {
  return Read<Session>(
      "GetSession", [&](pqxx::transaction_base& tx) -> absl::StatusOr<Session> {
        pqxx::result r = tx.exec_params(
            absl::StrCat(
                "SELECT ", kSessionColumns,
                " FROM sessions s WHERE s.id = $1 AND s.expires_at > now()"),
            std::string(session_id));
        if (r.empty()) {
          return WithReason(absl::NotFoundError("session not found"),
                            reason::kSessionNotFound);
        }
        return SessionFromRow(r[0]);
      });
}

absl::StatusOr<std::vector<Session>> PgStore::ListSessions(
    absl::string_view user_id) {
  return Transact<std::vector<Session>>(
      "ListSessions",
      [&](pqxx::work& tx) -> absl::StatusOr<std::vector<Session>> {
        pqxx::result r = tx.exec_params(
            absl::StrCat("SELECT ", kSessionColumns,
                         " FROM sessions s WHERE s.user_id = $1 AND "
                         "s.expires_at > now() ORDER BY s.created_at DESC "
                         "LIMIT 1000"),
            std::string(user_id));
        std::vector<Session> out;
        for (const pqxx::row& row : r) out.push_back(SessionFromRow(row));
        return out;
      });
}

absl::Status PgStore::TouchSession(absl::string_view session_id) {
  return TransactStatus("TouchSession", [&](pqxx::work& tx) {
    tx.exec_params("UPDATE sessions SET last_seen_at = now() WHERE id = $1",
                   std::string(session_id));
    return absl::OkStatus();
  });
}

absl::Status PgStore::DeleteSession(absl::string_view session_id,
                                    const AuditEntry& audit) {
  return TransactStatus("DeleteSession", [&](pqxx::work& tx) {
    tx.exec_params("DELETE FROM sessions WHERE id = $1",
                   std::string(session_id));
    InsertAudit(tx, audit);
    return absl::OkStatus();
  });
}

}  // namespace identity::storage
