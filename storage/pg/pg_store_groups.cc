#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/pqxx_optional.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {
namespace {

constexpr char kGroupColumns[] =
    "g.id, g.organization_id, g.name, g.description, "
    "array_to_string(g.roles, E'\\x1f'), "
    "(SELECT count(*) FROM group_members m WHERE m.group_id = g.id), "
    "g.version, lower(g.name)";

Group GroupFromRow(const pqxx::row& row) {
  return Group{row[0].as<std::string>(),
               row[1].as<std::string>(),
               row[2].as<std::string>(),
               row[3].as<std::string>(),
               SplitArray(row[4].as<std::string>()),
               row[5].as<int64_t>(),
               row[6].as<int64_t>()};
}

absl::StatusOr<Group> SelectGroup(pqxx::transaction_base& tx, const std::string& id) {
  pqxx::result r = tx.exec_params(
      absl::StrCat("SELECT ", kGroupColumns, " FROM groups g WHERE g.id = $1"),
      id);
  if (r.empty()) {
    return WithReason(absl::NotFoundError("group not found"),
                      reason::kGroupNotFound);
  }
  return GroupFromRow(r[0]);
}

}  // namespace

absl::StatusOr<Group> PgStore::CreateGroup(const Group& group,
                                           const AuditEntry& audit) {
  return Transact<Group>("CreateGroup", [&](pqxx::work& tx) {
    std::string id = tx.exec_params1(
                           "INSERT INTO groups (organization_id, name, "
                           "description, roles) VALUES ($1, $2, $3, $4::text[]) "
                           "RETURNING id",
                           group.organization_id, group.name, group.description,
                           ToPgArray(group.roles))[0]
                         .as<std::string>();
    AuditEntry entry = audit;
    entry.target_id = id;
    InsertAudit(tx, entry);
    return SelectGroup(tx, id);
  });
}

absl::StatusOr<Group> PgStore::GetGroup(absl::string_view id) {
  return Read<Group>("GetGroup", [&](pqxx::transaction_base& tx) {
    return SelectGroup(tx, std::string(id));
  });
}

absl::StatusOr<Page<Group>> PgStore::ListGroups(
    absl::string_view organization_id, int limit,
    const std::optional<Cursor>& after) {
  return Transact<Page<Group>>(
      "ListGroups", [&](pqxx::work& tx) -> absl::StatusOr<Page<Group>> {
        std::optional<std::string> key, after_id;
        if (after) {
          key = after->sort_key;
          after_id = after->id;
        }
        pqxx::result r = tx.exec_params(
            absl::StrCat("SELECT ", kGroupColumns,
                         " FROM groups g WHERE g.organization_id = $1 AND "
                         "($2::text IS NULL OR (lower(g.name), g.id) > "
                         "($2, $3::uuid)) ORDER BY lower(g.name), g.id LIMIT $4"),
            std::string(organization_id), key, after_id, limit + 1);
        Page<Group> page;
        for (const pqxx::row& row : r) {
          if (static_cast<int>(page.items.size()) == limit) {
            page.next = Cursor{r[limit - 1][7].as<std::string>(),
                               page.items.back().id};
            break;
          }
          page.items.push_back(GroupFromRow(row));
        }
        return page;
      });
}

absl::Status PgStore::DeleteGroup(absl::string_view id,
                                  const AuditEntry& audit) {
  return TransactStatus("DeleteGroup", [&](pqxx::work& tx) {
    pqxx::result r =
        tx.exec_params("DELETE FROM groups WHERE id = $1 RETURNING id",
                       std::string(id));
    if (r.empty()) {
      return WithReason(absl::NotFoundError("group not found"),
                        reason::kGroupNotFound);
    }
    InsertAudit(tx, audit);
    return absl::OkStatus();
  });
}

absl::StatusOr<Group> PgStore::SetGroupRoles(
    absl::string_view id, const std::vector<std::string>& roles,
    const AuditEntry& audit) {
  return Transact<Group>("SetGroupRoles", [&](pqxx::work& tx) -> absl::StatusOr<Group> {
    pqxx::result r = tx.exec_params(
        "UPDATE groups SET roles = $2::text[], updated_at = now(), "
        "version = version + 1 WHERE id = $1 RETURNING id",
        std::string(id), ToPgArray(roles));
    if (r.empty()) {
      return WithReason(absl::NotFoundError("group not found"),
                        reason::kGroupNotFound);
    }
    if (std::count(roles.begin(), roles.end(), "SERVICE_USER") > 0) {
      // Checked here, under the group's row lock, so that no member added
      // at the same time slips through.
      pqxx::result external = tx.exec_params(
          "SELECT string_agg(u.username, ', ' ORDER BY u.username) FROM "
          "(SELECT u.username FROM group_members m JOIN users u ON u.id = "
          "m.user_id WHERE m.group_id = $1 AND u.origin <> 'INTERNAL' "
          "ORDER BY u.username LIMIT 5) u",
          std::string(id));
      if (!external[0][0].is_null()) {
        return WithReason(
            absl::FailedPreconditionError(absl::StrCat(
                "roles: SERVICE_USER is never granted to externally managed "
                "users, and the group has some (",
                external[0][0].as<std::string>(),
                "); remove them from the group first")),
            reason::kExternallyManaged);
      }
    }
    InsertAudit(tx, audit);
    return SelectGroup(tx, std::string(id));
  });
}

absl::StatusOr<Group> PgStore::SetGroupMember(absl::string_view group_id,
                                              absl::string_view user_id,
                                              bool member,
                                              const AuditEntry& audit) {
  return Transact<Group>("SetGroupMember", [&](pqxx::work& tx) -> absl::StatusOr<Group> {
    absl::StatusOr<Group> group = SelectGroup(tx, std::string(group_id));
    if (!group.ok()) return group;
    pqxx::result changed =
        member ? tx.exec_params(
                     "INSERT INTO group_members (group_id, user_id) "
                     "SELECT $1, u.id FROM users u WHERE u.id = $2 AND "
                     "u.organization_id = $3 ON CONFLICT DO NOTHING "
                     "RETURNING user_id",
                     group->id, std::string(user_id), group->organization_id)
               : tx.exec_params(
                     "DELETE FROM group_members WHERE group_id = $1 AND "
                     "user_id = $2 RETURNING user_id",
                     group->id, std::string(user_id));
    if (changed.empty()) return group;  // already so
    InsertAudit(tx, audit);
    return SelectGroup(tx, group->id);
  });
}

}  // namespace identity::storage
