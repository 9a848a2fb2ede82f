#include "absl/strings/str_cat.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/pqxx_optional.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {

absl::StatusOr<User> PgStore::SyncExternalUser(absl::string_view existing_id,
                                               const ExternalUser& u,
                                               const AuditEntry& audit) {
  return Transact<User>("SyncExternalUser", [&](pqxx::work& tx) -> absl::StatusOr<User> {
    std::string id(existing_id);
    if (id.empty()) {
      DiscardPendingRegistration(tx, u.username, audit);
      id = tx.exec_params1(
                 "INSERT INTO users (organization_id, username, email, "
                 "display_name, origin, primary_role, external_id) VALUES ($1, "
                 "$2, $3, $4, $5, $6, $7) RETURNING id",
                 u.organization_id, u.username, u.email, u.display_name,
                 std::string(Origin2Sql(u.origin)), u.primary_role,
                 u.external_id.empty() ? std::optional<std::string>()
                                       : std::optional<std::string>(u.external_id))[0]
               .as<std::string>();
    } else {
      if (tx.exec_params("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", id)
              .empty()) {
        return absl::NotFoundError("user not found");
      }
      tx.exec_params(
          "UPDATE users SET email = $2, display_name = $3, primary_role = $4, "
          "updated_at = now(), version = version + 1 WHERE id = $1",
          id, u.email, u.display_name, u.primary_role);
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

}  // namespace identity::storage
