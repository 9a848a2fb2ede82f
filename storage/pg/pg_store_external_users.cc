#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/pqxx_optional.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {
namespace {

std::optional<std::string> NullIfEmptyText(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

struct ProviderState {
  bool enabled;
  bool disabled_by_provider;
  bool global_admin_guard;  // an enabled internal GLOBAL_ADMIN: last-admin rule
};

std::optional<ProviderState> LockState(pqxx::work& tx, const std::string& id) {
  pqxx::result r = tx.exec_params(
      "SELECT enabled, coalesce(disabled_by = 'provider', false), "
      "enabled AND NOT pending AND origin = 'INTERNAL' AND "
      "primary_role = 'GLOBAL_ADMIN' FROM users WHERE id = $1 FOR UPDATE",
      id);
  if (r.empty()) return std::nullopt;
  ProviderState state{r[0][0].as<bool>(), r[0][1].as<bool>(),
                      r[0][2].as<bool>()};
  if (state.global_admin_guard) LockGlobalAdmins(tx);
  return state;
}

// Applies the provider's view `enabled` to a locked user in state `s`: a
// provider disables an enabled user and enables only what it disabled.
// True when something changed.
bool ApplyProviderState(pqxx::work& tx, const std::string& id,
                        const ProviderState& s, bool enabled) {
  if (enabled && !s.enabled && s.disabled_by_provider) {
    tx.exec_params(
        "UPDATE users SET enabled = true, disabled_by = NULL, "
        "updated_at = now(), version = version + 1 WHERE id = $1",
        id);
    return true;
  }
  if (!enabled && s.enabled) {
    tx.exec_params(
        "UPDATE users SET enabled = false, disabled_by = 'provider', "
        "updated_at = now(), version = version + 1 WHERE id = $1",
        id);
    tx.exec_params("DELETE FROM sessions WHERE user_id = $1", id);
    return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<User> PgStore::SyncExternalUser(absl::string_view existing_id,
                                               const ExternalUser& u,
                                               const AuditEntry& audit) {
  return Transact<User>("SyncExternalUser", [&](pqxx::work& tx) -> absl::StatusOr<User> {
    std::string id(existing_id);
    if (id.empty()) {
      DiscardPendingRegistration(tx, u.username, audit);
      id = tx.exec_params1(
                 "INSERT INTO users (organization_id, username, email, "
                 "display_name, origin, primary_role, external_id, "
                 "directory_dn, enabled, disabled_by) VALUES ($1, $2, $3, $4, "
                 "$5, $6, $7, $8, $9, CASE WHEN $9 THEN NULL ELSE 'provider' "
                 "END) RETURNING id",
                 u.organization_id, u.username, u.email, u.display_name,
                 std::string(Origin2Sql(u.origin)), u.primary_role,
                 NullIfEmptyText(u.external_id),
                 NullIfEmptyText(u.directory_dn), u.enabled)[0]
               .as<std::string>();
    } else {
      std::optional<ProviderState> state = LockState(tx, id);
      if (!state) {
        return WithReason(absl::NotFoundError("user not found"),
                          reason::kUserNotFound);
      }
      // The stable id and DN are kept up to date (and filled in for users
      // provisioned before they were stored); the username never changes.
      tx.exec_params(
          "UPDATE users SET email = $2, display_name = $3, primary_role = $4, "
          "external_id = coalesce($5, external_id), "
          "directory_dn = coalesce($6, directory_dn), "
          "updated_at = now(), version = version + 1 WHERE id = $1",
          id, u.email, u.display_name, u.primary_role,
          NullIfEmptyText(u.external_id), NullIfEmptyText(u.directory_dn));
      ApplyProviderState(tx, id, *state, u.enabled);
      if (state->global_admin_guard) {
        absl::Status left = RequireGlobalAdminLeft(tx);
        if (!left.ok()) return left;
      }
    }
    tx.exec_params("DELETE FROM user_roles WHERE user_id = $1", id);
    for (const std::string& role : u.add_on_roles) {
      tx.exec_params("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)",
                     id, role);
    }
    AuditEntry entry = audit;
    entry.target_id = id;
    InsertAudit(tx, entry);
    return UserFromRow(tx.exec_params1(
        absl::StrCat("SELECT ", kUserColumns, " FROM users u WHERE u.id = $1"),
        id));
  });
}

absl::StatusOr<User> PgStore::SetUserEnabledByProvider(absl::string_view id,
                                                       bool enabled,
                                                       const AuditEntry& audit) {
  return Transact<User>(
      "SetUserEnabledByProvider", [&](pqxx::work& tx) -> absl::StatusOr<User> {
        const std::string user_id(id);
        std::optional<ProviderState> state = LockState(tx, user_id);
        if (!state) {
          return WithReason(absl::NotFoundError("user not found"),
                            reason::kUserNotFound);
        }
        if (ApplyProviderState(tx, user_id, *state, enabled)) {
          if (state->global_admin_guard) {
            absl::Status left = RequireGlobalAdminLeft(tx);
            if (!left.ok()) return left;
          }
          InsertAudit(tx, audit);
        }
        return UserFromRow(tx.exec_params1(
            absl::StrCat("SELECT ", kUserColumns,
                         " FROM users u WHERE u.id = $1"),
            user_id));
      });
}

}  // namespace identity::storage
