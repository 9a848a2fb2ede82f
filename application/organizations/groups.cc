#include "application/organizations/groups.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/error_info.h"
#include "domain/audit.h"
#include "domain/authorizer.h"
#include "application/page_token.h"
#include "domain/roles.h"
#include "domain/operations.h"
#include "application/users/user_commands.h"
#include "domain/validation.h"

namespace identity {

absl::StatusOr<domain::Group> Groups::LoadFor(absl::string_view method,
                                               const Caller& caller,
                                               absl::string_view id) {
  absl::Status valid = ValidateId("group_id", id);
  if (!valid.ok()) return valid;
  absl::StatusOr<domain::Group> group = store_->GetGroup(id);
  if (!group.ok()) return group.status();
  absl::Status allowed =
      Check(method, *caller.principal, Target{group->organization_id});
  if (!allowed.ok()) return allowed;
  return group;
}

absl::Status Groups::CheckRoles(const Caller& caller, const std::string& org,
                                const std::vector<std::string>& roles) {
  if (roles.size() > 50) {
    return absl::InvalidArgumentError("roles: at most 50 roles");
  }
  for (const std::string& role : roles) {
    absl::Status grantable = catalog_->CheckGrantable(
        "roles", *caller.principal, org, role, RoleUse::kAny);
    if (!grantable.ok()) return grantable;
    if (AnyGlobal({role})) {
      return absl::InvalidArgumentError(
          "roles: a global role cannot come from a group");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<domain::Group> Groups::Create(const Caller& caller,
                                              domain::Group group) {
  const Principal& p = *caller.principal;
  if (group.organization_id.empty()) {
    group.organization_id = p.user.organization_id;
  }
  absl::Status valid = ValidateId("organization_id", group.organization_id);
  if (valid.ok()) valid = ValidateOrganizationName(group.name);
  if (valid.ok() && group.description.size() > 500) {
    valid = absl::InvalidArgumentError("description: at most 500 bytes");
  }
  if (!valid.ok()) return valid;
  absl::Status allowed =
      Check(op::kCreateGroup, p, Target{group.organization_id});
  if (!allowed.ok()) return allowed;
  std::sort(group.roles.begin(), group.roles.end());
  group.roles.erase(std::unique(group.roles.begin(), group.roles.end()),
                    group.roles.end());
  absl::Status roles = CheckRoles(caller, group.organization_id, group.roles);
  if (!roles.ok()) return roles;
  absl::StatusOr<domain::Organization> org =
      store_->GetOrganization(group.organization_id);
  if (!org.ok()) return org.status();
  return store_->CreateGroup(
      group, MakeAudit(caller, "group.create", "group", "",
                       group.organization_id,
                       {{"name", group.name},
                        {"roles", absl::StrJoin(group.roles, " ")}}));
}

absl::StatusOr<ListGroupsResult> Groups::List(const Caller& caller,
                                              absl::string_view organization_id,
                                              int page_size,
                                              absl::string_view page_token) {
  const Principal& p = *caller.principal;
  std::string org(organization_id.empty() ? p.user.organization_id
                                          : std::string(organization_id));
  absl::Status valid = ValidateId("organization_id", org);
  if (!valid.ok()) return valid;
  absl::Status allowed = Check(op::kListGroups, p, Target{org});
  if (!allowed.ok()) return allowed;
  int limit = 0;
  absl::Status size = ValidatePageSize(page_size, 50, &limit);
  if (!size.ok()) return size;
  const std::string filters = absl::StrCat("groups|", org, "|", limit);
  absl::StatusOr<std::optional<storage::Cursor>> after =
      DecodePageToken(page_token, filters);
  if (!after.ok()) return after.status();
  absl::StatusOr<storage::Page<domain::Group>> page =
      store_->ListGroups(org, limit, *after);
  if (!page.ok()) return page.status();
  ListGroupsResult out{std::move(page->items), ""};
  if (page->next) out.next_page_token = EncodePageToken(*page->next, filters);
  return out;
}

absl::Status Groups::Delete(const Caller& caller, absl::string_view id) {
  absl::StatusOr<domain::Group> group = LoadFor(op::kDeleteGroup, caller, id);
  if (!group.ok()) return group.status();
  absl::Status roles = CheckRoles(caller, group->organization_id, group->roles);
  if (!roles.ok()) return roles;
  return store_->DeleteGroup(
      group->id, MakeAudit(caller, "group.delete", "group", group->id,
                           group->organization_id, {{"name", group->name}}));
}

absl::StatusOr<domain::Group> Groups::SetRoles(const Caller& caller,
                                                absl::string_view id,
                                                std::vector<std::string> roles) {
  absl::StatusOr<domain::Group> group =
      LoadFor(op::kSetGroupRoles, caller, id);
  if (!group.ok()) return group.status();
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  // Both the roles taken away and the ones given must be the caller's to
  // hand out.
  for (const auto* set : {&group->roles, &roles}) {
    absl::Status ok = CheckRoles(caller, group->organization_id, *set);
    if (!ok.ok()) return ok;
  }
  return store_->SetGroupRoles(
      group->id, roles,
      MakeAudit(caller, "group.set_roles", "group", group->id,
                group->organization_id,
                {{"from", absl::StrJoin(group->roles, " ")},
                 {"to", absl::StrJoin(roles, " ")}}));
}

absl::StatusOr<domain::Group> Groups::SetMember(const Caller& caller,
                                                 absl::string_view group_id,
                                                 absl::string_view user_id,
                                                 bool member) {
  absl::StatusOr<domain::Group> group = LoadFor(
      member ? op::kAddGroupMember : op::kRemoveGroupMember, caller,
      group_id);
  if (!group.ok()) return group.status();
  absl::Status valid = ValidateId("user_id", user_id);
  if (!valid.ok()) return valid;
  absl::StatusOr<domain::User> user = store_->GetUser(user_id);
  if (!user.ok()) return user.status();
  if (user->organization_id != group->organization_id) {
    return absl::FailedPreconditionError(
        "user_id: the user belongs to another organization than the group");
  }
  if (user->id == caller.principal->user.id) {
    return WithReason(
        absl::PermissionDeniedError(
            "you cannot change your own group memberships; ask another "
            "administrator"),
        reason::kSelfChange);
  }
  absl::Status over =
      Check(member ? op::kAddGroupMember : op::kRemoveGroupMember,
            *caller.principal, TargetFor(*user));
  if (!over.ok()) return over;
  absl::Status roles = CheckRoles(caller, group->organization_id, group->roles);
  if (!roles.ok()) return roles;
  if (member && std::count(group->roles.begin(), group->roles.end(),
                           std::string(kServiceUser)) > 0) {
    absl::Status internal =
        RequireInternal(*user, "add to a group carrying SERVICE_USER");
    if (!internal.ok()) return internal;
  }
  return store_->SetGroupMember(
      group->id, user->id, member,
      MakeAudit(caller, member ? "group.add_member" : "group.remove_member",
                "group", group->id, group->organization_id,
                {{"user_id", user->id}}));
}

}  // namespace identity
