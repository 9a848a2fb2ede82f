#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {
namespace {

constexpr char kRoleColumns[] =
    "cr.id, cr.organization_id, cr.name, cr.description, "
    "array_to_string(cr.permissions, E'\\x1f'), cr.version";

CustomRole RoleFromRow(const pqxx::row& row) {
  return CustomRole{row[0].as<std::string>(), row[1].as<std::string>(),
                    row[2].as<std::string>(), row[3].as<std::string>(),
                    SplitArray(row[4].as<std::string>()), row[5].as<int64_t>()};
}

absl::StatusOr<CustomRole> OneRole(const pqxx::result& r) {
  if (r.empty()) {
    return WithReason(absl::NotFoundError("role not found"),
                      reason::kRoleNotFound);
  }
  return RoleFromRow(r[0]);
}

}  // namespace

absl::StatusOr<CustomRole> PgStore::CreateRole(const CustomRole& role,
                                               const AuditEntry& audit) {
  return Transact<CustomRole>("CreateRole", [&](pqxx::work& tx) {
    absl::StatusOr<CustomRole> created = OneRole(tx.exec_params(
        absl::StrCat("INSERT INTO roles AS cr (organization_id, name, "
                     "description, permissions) VALUES ($1, $2, $3, $4::text[]) "
                     "RETURNING ",
                     kRoleColumns),
        role.organization_id, role.name, role.description,
        ToPgArray(role.permissions)));
    AuditEntry entry = audit;
    entry.target_id = created->id;
    InsertAudit(tx, entry);
    return created;
  });
}

absl::StatusOr<CustomRole> PgStore::GetRole(absl::string_view id) {
  return Read<CustomRole>("GetRole", [&](pqxx::transaction_base& tx) {
    return OneRole(tx.exec_params(
        absl::StrCat("SELECT ", kRoleColumns, " FROM roles cr WHERE cr.id = $1"),
        std::string(id)));
  });
}

absl::StatusOr<CustomRole> PgStore::FindRole(absl::string_view organization_id,
                                             absl::string_view name) {
  return Read<CustomRole>("FindRole", [&](pqxx::transaction_base& tx) {
    return OneRole(tx.exec_params(
        absl::StrCat("SELECT ", kRoleColumns,
                     " FROM roles cr WHERE cr.organization_id = $1 AND "
                     "cr.name = $2"),
        std::string(organization_id), std::string(name)));
  });
}

absl::StatusOr<std::vector<CustomRole>> PgStore::ListRoles(
    absl::string_view organization_id) {
  return Transact<std::vector<CustomRole>>(
      "ListRoles",
      [&](pqxx::work& tx) -> absl::StatusOr<std::vector<CustomRole>> {
        pqxx::result r = tx.exec_params(
            absl::StrCat("SELECT ", kRoleColumns,
                         " FROM roles cr WHERE cr.organization_id = $1 "
                         "ORDER BY cr.name LIMIT 1000"),
            std::string(organization_id));
        std::vector<CustomRole> out;
        for (const pqxx::row& row : r) out.push_back(RoleFromRow(row));
        return out;
      });
}

absl::StatusOr<CustomRole> PgStore::UpdateRole(const CustomRole& role,
                                               int64_t expected_version,
                                               const AuditEntry& audit) {
  return Transact<CustomRole>("UpdateRole", [&](pqxx::work& tx) -> absl::StatusOr<CustomRole> {
    pqxx::result r = tx.exec_params(
        absl::StrCat("UPDATE roles cr SET description = $2, "
                     "permissions = $3::text[], updated_at = now(), "
                     "version = version + 1 WHERE id = $1 AND "
                     "($4 = 0 OR version = $4) RETURNING ",
                     kRoleColumns),
        role.id, role.description, ToPgArray(role.permissions),
        expected_version);
    if (r.empty()) {
      return StaleOrMissing(tx, "roles", "role", role.id, expected_version);
    }
    InsertAudit(tx, audit);
    return RoleFromRow(r[0]);
  });
}

absl::Status PgStore::DeleteRole(absl::string_view id, const AuditEntry& audit) {
  return TransactStatus("DeleteRole", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec_params(
        "SELECT organization_id, name FROM roles WHERE id = $1 FOR UPDATE",
        std::string(id));
    if (r.empty()) {
      return WithReason(absl::NotFoundError("role not found"),
                        reason::kRoleNotFound);
    }
    const std::string org = r[0][0].as<std::string>();
    const std::string name = r[0][1].as<std::string>();
    pqxx::row use = tx.exec_params1(
        "SELECT (SELECT count(*) FROM users u WHERE u.organization_id = $1 AND "
        "  (u.primary_role = $2 OR EXISTS (SELECT 1 FROM user_roles ur "
        "   WHERE ur.user_id = u.id AND ur.role = $2))), "
        "(SELECT count(*) FROM groups g WHERE g.organization_id = $1 AND "
        "  $2 = ANY (g.roles))",
        org, name);
    const int64_t users = use[0].as<int64_t>();
    const int64_t groups = use[1].as<int64_t>();
    if (users + groups > 0) {
      return WithReason(
          absl::FailedPreconditionError(absl::StrCat(
              "role '", name, "' is in use by ", users, " user(s) and ", groups,
              " group(s); take it away from them first")),
          reason::kStillReferenced);
    }
    tx.exec_params("DELETE FROM roles WHERE id = $1", std::string(id));
    InsertAudit(tx, audit);
    return absl::OkStatus();
  });
}

}  // namespace identity::storage
