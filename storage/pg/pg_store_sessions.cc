#include "absl/strings/str_cat.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {

absl::StatusOr<Session> PgStore::CreateSession(const NewSession& n,
                                               const AuditEntry& audit) {
  return Transact<Session>(
      "CreateSession", [&](pqxx::work& tx) -> absl::StatusOr<Session> {
        // Expired sessions of this user go as a new one comes, and a
        // successful login clears the failed-login count.
        tx.exec_params(
            "DELETE FROM sessions WHERE user_id = $1 AND expires_at < now()",
            n.user_id);
        tx.exec_params(
            "UPDATE users SET failed_login_attempts = 0, "
            "first_failed_login_at = NULL, locked = false, locked_until = NULL "
            "WHERE id = $1 AND (failed_login_attempts <> 0 OR locked)",
            n.user_id);
        pqxx::row row = tx.exec_params1(
            "INSERT INTO sessions (user_id, token_digest, expires_at) "
            "VALUES ($1, decode($2, 'hex'), "
            "to_timestamp($3::float8 / 1000000)) RETURNING id, "
            "(extract(epoch from created_at) * 1000000)::int8",
            n.user_id, ToHex(n.token_digest), MicrosFromTime(n.expires_at));
        Session s{row[0].as<std::string>(), n.user_id,
                  TimeFromMicros(row[1].as<int64_t>()), n.expires_at};
        AuditEntry entry = audit;
        entry.target_id = s.id;
        InsertAudit(tx, entry);
        return s;
      });
}

absl::StatusOr<SessionWithUser> PgStore::GetSessionByDigest(
    absl::string_view token_digest) {
  return Transact<SessionWithUser>(
      "GetSessionByDigest",
      [&](pqxx::work& tx) -> absl::StatusOr<SessionWithUser> {
        pqxx::result r = tx.exec_params(
            absl::StrCat("SELECT s.id, "
                         "(extract(epoch from s.created_at) * 1000000)::int8, "
                         "(extract(epoch from s.expires_at) * 1000000)::int8, ",
                         kUserColumns,
                         " FROM sessions s JOIN users u ON u.id = s.user_id "
                         "WHERE s.token_digest = decode($1, 'hex')"),
            ToHex(token_digest));
        if (r.empty()) return absl::NotFoundError("session not found");
        SessionWithUser out;
        out.user = UserFromRow(r[0], 3);
        out.session = Session{r[0][0].as<std::string>(), out.user.id,
                              TimeFromMicros(r[0][1].as<int64_t>()),
                              TimeFromMicros(r[0][2].as<int64_t>())};
        return out;
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
