#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/pqxx_optional.h"
#include "storage/pg/prepared.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {
namespace {

bool IsEnabledInternalGlobalAdmin(const User& u) {
  return u.enabled && !u.pending && u.origin == Origin::kInternal &&
         u.primary_role == "GLOBAL_ADMIN";
}

// Reads and row-locks a user for a change.
absl::StatusOr<User> LockUser(pqxx::work& tx, absl::string_view id) {
  pqxx::result r = tx.exec_params(absl::StrCat("SELECT ", kUserColumns,
                                               " FROM users u WHERE u.id = $1 "
                                               "FOR UPDATE"),
                                  std::string(id));
  if (r.empty()) {
    return WithReason(absl::NotFoundError("user not found"),
                      reason::kUserNotFound);
  }
  return UserFromRow(r[0]);
}

std::string LikePattern(absl::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}


std::optional<std::string> Opt(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

}  // namespace

absl::StatusOr<User> PgStore::CreateUser(const NewUser& n,
                                         const AuditEntry& audit) {
  return Transact<User>(
      "CreateUser", [&](pqxx::work& tx) -> absl::StatusOr<User> {
        DiscardPendingRegistration(tx, n.username, audit);
        pqxx::row row = tx.exec_params1(
            absl::StrCat(
                "INSERT INTO users AS u (organization_id, username, email, "
                "display_name, image_url, time_zone, origin, primary_role, "
                "password_hash, pending, must_accept_terms) VALUES ($1, $2, "
                "$3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ",
                kUserColumns),
            n.organization_id, n.username, n.email, n.display_name, n.image_url,
            n.time_zone, std::string(Origin2Sql(n.origin)), n.primary_role,
            Opt(n.password_hash), n.pending, n.must_accept_terms);
        User user = UserFromRow(row);
        if (n.registration_expires_at) {
          tx.exec_params(
              "UPDATE users SET registration_expires_at = "
              "to_timestamp($2::float8 / 1000000) WHERE id = $1",
              user.id, MicrosFromTime(*n.registration_expires_at));
        }
        AuditEntry entry = audit;
        entry.target_id = user.id;
        InsertAudit(tx, entry);
        return user;
      });
}

absl::StatusOr<User> PgStore::GetUser(absl::string_view id) {
  return Read<User>("GetUser", [&](pqxx::transaction_base& tx) -> absl::StatusOr<User> {
    pqxx::result r = ExecPrepared(tx,
        absl::StrCat("SELECT ", kUserColumns, " FROM users u WHERE u.id = $1"),
        std::string(id));
    if (r.empty()) {
      return WithReason(absl::NotFoundError("user not found"),
                        reason::kUserNotFound);
    }
    return UserFromRow(r[0]);
  });
}

absl::StatusOr<UserCredentials> PgStore::GetCredentialsByUsername(
    absl::string_view username) {
  return CredentialsWhere("GetCredentialsByUsername",
                          "lower(u.username) = lower($1) AND "
                          "u.registration_expires_at IS NULL",
                          username);
}

absl::StatusOr<UserCredentials> PgStore::GetCredentials(
    absl::string_view user_id) {
  return CredentialsWhere("GetCredentials", "u.id = $1", user_id);
}

// A user's credentials, lockout state and session policy, by `where` on
// `u` (users) with `arg` as $1.
absl::StatusOr<UserCredentials> PgStore::CredentialsWhere(
    const char* name, absl::string_view where, absl::string_view arg) {
  return Read<UserCredentials>(
      name, [&](pqxx::transaction_base& tx) -> absl::StatusOr<UserCredentials> {
        pqxx::result r = ExecPrepared(
            tx,
            absl::StrCat("SELECT ", kUserColumns,
                         ", coalesce(u.password_hash, ''), ", kLockoutColumns,
                         ", ", kSessionPolicyColumns,
                         " FROM users u JOIN organizations o "
                         "ON o.id = u.organization_id WHERE ",
                         where),
            std::string(arg));
        if (r.empty()) {
          return WithReason(absl::NotFoundError("user not found"),
                            reason::kUserNotFound);
        }
        return CredentialsFromRow(r[0]);
      });
}

absl::StatusOr<Page<User>> PgStore::ListUsers(const UserListQuery& q) {
  return Transact<Page<User>>(
      "ListUsers", [&](pqxx::work& tx) -> absl::StatusOr<Page<User>> {
        std::optional<std::string> origin, enabled, key, after_id;
        if (q.origin) origin = std::string(Origin2Sql(*q.origin));
        if (q.enabled) enabled = *q.enabled ? "true" : "false";
        if (q.after) {
          key = q.after->sort_key;
          after_id = q.after->id;
        }
        pqxx::result r = tx.exec_params(
            absl::StrCat("SELECT ", kUserColumns,
                         ", lower(u.username) FROM users u "
                         "WHERE ($1::uuid IS NULL OR u.organization_id = $1) "
                         "AND ($2::text IS NULL OR u.origin = $2) "
                         "AND ($3::bool IS NULL OR u.enabled = $3) "
                         "AND ($4::text IS NULL OR u.username ILIKE $4 "
                         "     OR u.email ILIKE $4 OR u.display_name ILIKE $4) "
                         "AND ($5::text IS NULL OR (lower(u.username), u.id) > "
                         "     ($5, $6::uuid)) "
                         "AND ($8::text IS NULL OR u.primary_role = $8) "
                         "ORDER BY lower(u.username), u.id LIMIT $7"),
            q.organization_id, origin, enabled,
            q.text.empty() ? std::nullopt
                           : std::optional<std::string>(LikePattern(q.text)),
            key, after_id, q.limit + 1, q.primary_role);
        Page<User> page;
        for (const pqxx::row& row : r) {
          if (static_cast<int>(page.items.size()) == q.limit) {
            const pqxx::row& last = r[q.limit - 1];
            page.next = Cursor{last[kUserColumnCount].as<std::string>(),
                               page.items.back().id};
            break;
          }
          page.items.push_back(UserFromRow(row));
        }
        return page;
      });
}

absl::StatusOr<User> PgStore::UpdateUserProfile(const UserProfileUpdate& u,
                                                const AuditEntry& audit) {
  return Transact<User>(
      "UpdateUserProfile", [&](pqxx::work& tx) -> absl::StatusOr<User> {
        pqxx::result r = tx.exec_params(
            absl::StrCat(
                "UPDATE users u SET email = COALESCE($2, email), "
                "display_name = COALESCE($3, display_name), "
                "image_url = COALESCE($4, image_url), "
                "time_zone = COALESCE($5, time_zone), "
                "security_alerts = COALESCE($7::bool, security_alerts), "
                "updated_at = now(), version = version + 1 "
                "WHERE id = $1 AND ($6 = 0 OR version = $6) RETURNING ",
                kUserColumns),
            u.id, u.email, u.display_name, u.image_url, u.time_zone,
            u.expected_version,
            u.security_alerts ? std::optional<std::string>(
                                    *u.security_alerts ? "true" : "false")
                              : std::nullopt);
        if (r.empty()) {
          return StaleOrMissing(tx, "users", "user", u.id, u.expected_version);
        }
        InsertAudit(tx, audit);
        return UserFromRow(r[0]);
      });
}

absl::StatusOr<User> PgStore::SetUserEnabled(absl::string_view id, bool enabled,
                                             const AuditEntry& audit) {
  return Transact<User>(
      "SetUserEnabled", [&](pqxx::work& tx) -> absl::StatusOr<User> {
        absl::StatusOr<User> before = LockUser(tx, id);
        if (!before.ok()) return before;
        // An administrator's disable of a user its provider had disabled
        // becomes the administrator's, so the provider cannot undo it.
        const bool take_over = !enabled && before->disabled_by_provider;
        if (before->enabled == enabled && !take_over) return before;
        const bool guard = !enabled && IsEnabledInternalGlobalAdmin(*before);
        if (guard) LockGlobalAdmins(tx);
        pqxx::row row = tx.exec_params1(
            absl::StrCat("UPDATE users u SET enabled = $2, disabled_by = CASE "
                         "WHEN $2 THEN NULL ELSE 'admin' END, "
                         "updated_at = now(), "
                         "version = version + 1 WHERE id = $1 RETURNING ",
                         kUserColumns),
            before->id, enabled);
        if (!enabled) {
          tx.exec_params("DELETE FROM sessions WHERE user_id = $1", before->id);
        }
        if (guard) {
          absl::Status left = RequireGlobalAdminLeft(tx);
          if (!left.ok()) return left;
        }
        InsertAudit(tx, audit);
        return UserFromRow(row);
      });
}

absl::StatusOr<User> PgStore::SetPrimaryRole(absl::string_view id,
                                             absl::string_view role,
                                             const AuditEntry& audit) {
  return Transact<User>(
      "SetPrimaryRole", [&](pqxx::work& tx) -> absl::StatusOr<User> {
        absl::StatusOr<User> before = LockUser(tx, id);
        if (!before.ok() || before->primary_role == role) return before;
        const bool guard = IsEnabledInternalGlobalAdmin(*before);
        if (guard) LockGlobalAdmins(tx);
        pqxx::row row = tx.exec_params1(
            absl::StrCat("UPDATE users u SET primary_role = $2, "
                         "updated_at = now(), version = version + 1 "
                         "WHERE id = $1 RETURNING ",
                         kUserColumns),
            before->id, std::string(role));
        if (guard) {
          absl::Status left = RequireGlobalAdminLeft(tx);
          if (!left.ok()) return left;
        }
        InsertAudit(tx, audit);
        return UserFromRow(row);
      });
}

absl::StatusOr<User> PgStore::SetAddOnRole(absl::string_view user_id,
                                           absl::string_view role, bool granted,
                                           const AuditEntry& audit) {
  return Transact<User>(
      "SetAddOnRole", [&](pqxx::work& tx) -> absl::StatusOr<User> {
        absl::StatusOr<User> user = LockUser(tx, user_id);
        if (!user.ok()) return user;
        pqxx::result changed =
            granted ? tx.exec_params(
                          "INSERT INTO user_roles (user_id, role) "
                          "VALUES ($1, $2) ON CONFLICT DO NOTHING "
                          "RETURNING role",
                          user->id, std::string(role))
                    : tx.exec_params(
                          "DELETE FROM user_roles WHERE user_id = $1 "
                          "AND role = $2 RETURNING role",
                          user->id, std::string(role));
        if (changed.empty()) return user;
        pqxx::row row = tx.exec_params1(
            absl::StrCat("UPDATE users u SET updated_at = now(), "
                         "version = version + 1 WHERE id = $1 RETURNING ",
                         kUserColumns),
            user->id);
        InsertAudit(tx, audit);
        return UserFromRow(row);
      });
}

absl::Status PgStore::DeleteUser(absl::string_view id,
                                 const AuditEntry& audit) {
  return TransactStatus("DeleteUser", [&](pqxx::work& tx) {
    absl::StatusOr<User> before = LockUser(tx, id);
    if (!before.ok()) return before.status();
    const bool guard = IsEnabledInternalGlobalAdmin(*before);
    if (guard) LockGlobalAdmins(tx);
    tx.exec_params("DELETE FROM users WHERE id = $1", before->id);
    if (guard) {
      absl::Status left = RequireGlobalAdminLeft(tx);
      if (!left.ok()) return left;
    }
    InsertAudit(tx, audit);
    return absl::OkStatus();
  });
}

}  // namespace identity::storage
