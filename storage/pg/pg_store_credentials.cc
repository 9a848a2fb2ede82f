// Credentials of a user: failed-login counting and locks, password hashes
// and their history.
#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "common/log.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/pqxx_optional.h"
#include "storage/pg/prepared.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {
namespace {

// An audit row that must not take the change it describes down with it.
void InsertAuditSafely(pqxx::work& tx, const AuditEntry& audit) {
  tx.exec("SAVEPOINT audit");
  try {
    InsertAudit(tx, audit);
    tx.exec("RELEASE SAVEPOINT audit");
  } catch (const pqxx::sql_error& e) {
    tx.exec("ROLLBACK TO SAVEPOINT audit");
    log::Warn("audit.write_failed",
              {{"action", audit.action}, {"sqlstate", e.sqlstate()}});
  }
}

}  // namespace

absl::StatusOr<bool> PgStore::RecordLoginFailure(
    absl::string_view user_id, const LockoutPolicySettings& policy,
    const AuditEntry& failure, const AuditEntry& lock) {
  return Transact<bool>(
      "RecordLoginFailure", [&](pqxx::work& tx) -> absl::StatusOr<bool> {
        // The count comes first and no side effect can undo it: the audit
        // rows are written under a savepoint, and one that fails is logged
        // and rolled back alone. A failure outside the window starts a new
        // count; the increment is one statement, so parallel guesses are
        // each counted.
        pqxx::result r = tx.exec_params(
            "UPDATE users SET "
            "failed_login_attempts = CASE WHEN first_failed_login_at IS NULL "
            "  OR first_failed_login_at < now() - make_interval(secs => $2) "
            "  THEN 1 ELSE failed_login_attempts + 1 END, "
            "first_failed_login_at = CASE WHEN first_failed_login_at IS NULL "
            "  OR first_failed_login_at < now() - make_interval(secs => $2) "
            "  THEN now() ELSE first_failed_login_at END "
            "WHERE id = $1 RETURNING failed_login_attempts, "
            "(locked AND (locked_until IS NULL OR locked_until > now()))",
            std::string(user_id), policy.window_seconds);
        if (r.empty()) return false;
        InsertAuditSafely(tx, failure);
        const int attempts = r[0][0].as<int>();
        const bool locked = r[0][1].as<bool>();
        if (locked || policy.max_failed_attempts == 0 ||
            attempts < policy.max_failed_attempts) {
          return false;
        }
        tx.exec_params(
            // The count starts again, so that when a temporary lock ends a
            // single guess does not lock the account once more.
            "UPDATE users SET locked = true, locked_until = CASE WHEN $2 = 0 "
            "THEN NULL ELSE now() + make_interval(secs => $2) END, "
            "failed_login_attempts = 0, first_failed_login_at = NULL, "
            "version = version + 1, updated_at = now() WHERE id = $1",
            std::string(user_id), policy.lockout_seconds);
        InsertAuditSafely(tx, lock);
        return true;
      });
}

absl::StatusOr<User> PgStore::UnlockUser(absl::string_view id,
                                         const AuditEntry& audit) {
  return Transact<User>(
      "UnlockUser", [&](pqxx::work& tx) -> absl::StatusOr<User> {
        pqxx::result r = tx.exec_params(
            absl::StrCat(
                "UPDATE users u SET locked = false, locked_until = NULL, "
                "failed_login_attempts = 0, first_failed_login_at = NULL, "
                "updated_at = now(), version = version + 1 "
                "WHERE id = $1 RETURNING ",
                kUserColumns),
            std::string(id));
        if (r.empty()) {
          return WithReason(absl::NotFoundError("user not found"),
                            reason::kUserNotFound);
        }
        InsertAudit(tx, audit);
        return UserFromRow(r[0]);
      });
}

absl::Status PgStore::SetPasswordHash(absl::string_view user_id,
                                      absl::string_view hash,
                                      absl::string_view keep_session_id,
                                      const AuditEntry& audit) {
  return TransactStatus("SetPasswordHash", [&](pqxx::work& tx) {
    // The replaced hash goes to the history; 24 is the largest history_size.
    tx.exec_params(
        "INSERT INTO password_history (user_id, hash) SELECT id, password_hash "
        "FROM users WHERE id = $1 AND password_hash IS NOT NULL",
        std::string(user_id));
    pqxx::result r = tx.exec_params(
        "UPDATE users SET password_hash = $2, password_changed_at = now(), "
        "updated_at = now(), version = version + 1 WHERE id = $1 RETURNING id",
        std::string(user_id), std::string(hash));
    if (r.empty()) {
      return WithReason(absl::NotFoundError("user not found"),
                        reason::kUserNotFound);
    }
    tx.exec_params(
        "DELETE FROM password_history WHERE user_id = $1 AND replaced_at < "
        "(SELECT min(replaced_at) FROM (SELECT replaced_at FROM "
        "password_history WHERE user_id = $1 ORDER BY replaced_at DESC "
        "LIMIT 24) newest)",
        std::string(user_id));
    tx.exec_params("DELETE FROM sessions WHERE user_id = $1 AND id::text <> $2",
                   std::string(user_id), std::string(keep_session_id));
    InsertAudit(tx, audit);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<std::string>> PgStore::GetPasswordHistory(
    absl::string_view user_id, int limit) {
  return Read<std::vector<std::string>>(
      "GetPasswordHistory",
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<std::vector<std::string>> {
        pqxx::result r = tx.exec_params(
            "SELECT hash FROM password_history WHERE user_id = $1 "
            "ORDER BY replaced_at DESC LIMIT $2",
            std::string(user_id), limit);
        std::vector<std::string> out;
        for (const pqxx::row& row : r) out.push_back(row[0].as<std::string>());
        return out;
      });
}

absl::Status PgStore::RehashPassword(absl::string_view user_id,
                                     absl::string_view old_hash,
                                     absl::string_view new_hash) {
  return TransactStatus("RehashPassword", [&](pqxx::work& tx) {
    // Only if unchanged meanwhile, so a concurrent reset is never undone.
    tx.exec_params(
        "UPDATE users SET password_hash = $3 WHERE id = $1 "
        "AND password_hash = $2",
        std::string(user_id), std::string(old_hash), std::string(new_hash));
    return absl::OkStatus();
  });
}

}  // namespace identity::storage
