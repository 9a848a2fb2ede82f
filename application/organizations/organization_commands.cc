#include "application/organizations/organization_commands.h"

#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "domain/audit.h"
#include "domain/authorizer.h"
#include "application/page_token.h"
#include "domain/roles.h"
#include "domain/operations.h"
#include "domain/validation.h"

namespace identity {

absl::StatusOr<domain::Organization> OrganizationCommands::Create(
    const Caller& caller, absl::string_view name) {
  absl::Status allowed = Check(op::kCreateOrganization, *caller.principal, {});
  if (!allowed.ok()) return allowed;
  absl::Status valid = ValidateOrganizationName(name);
  if (!valid.ok()) return valid;
  return store_->CreateOrganization(
      name, MakeAudit(caller, "organization.create", "organization", "", "",
                      {{"name", name}}));
}

absl::StatusOr<domain::Organization> OrganizationCommands::Get(
    const Caller& caller, absl::string_view id) {
  absl::Status valid = ValidateId("id", id);
  if (!valid.ok()) return valid;
  absl::Status allowed =
      Check(op::kGetOrganization, *caller.principal, Target{std::string(id)});
  if (!allowed.ok()) return allowed;
  return store_->GetOrganization(id);
}

absl::StatusOr<ListOrganizationsResult> OrganizationCommands::List(
    const Caller& caller, int page_size, absl::string_view page_token) {
  const Principal& p = *caller.principal;
  storage::OrganizationListQuery q;
  if (!p.global) q.only_id = p.user.organization_id;
  absl::Status allowed = Check(op::kListOrganizations, p,
                               Target{p.user.organization_id});
  if (!allowed.ok()) return allowed;
  absl::Status size = ValidatePageSize(page_size, 50, &q.limit);
  if (!size.ok()) return size;
  const std::string filters =
      absl::StrCat("orgs|", q.only_id.value_or("*"), "|", q.limit);
  absl::StatusOr<std::optional<storage::Cursor>> after =
      DecodePageToken(page_token, filters);
  if (!after.ok()) return after.status();
  q.after = *after;
  absl::StatusOr<storage::Page<domain::Organization>> page =
      store_->ListOrganizations(q);
  if (!page.ok()) return page.status();
  ListOrganizationsResult out{std::move(page->items), ""};
  if (page->next) out.next_page_token = EncodePageToken(*page->next, filters);
  return out;
}

namespace {

// Everything but the name.
bool TouchesPolicies(const OrganizationChanges& c) {
  return c.password || c.session || c.lockout || c.trusted_ip_ranges ||
         c.terms_of_use_version || c.self_registration_enabled ||
         c.require_totp || c.login_domains;
}

}  // namespace

absl::StatusOr<domain::Organization> OrganizationCommands::Update(
    const Caller& caller, OrganizationChanges changes) {
  absl::Status valid = NormalizeChanges(&changes);
  if (!valid.ok()) return valid;
  absl::Status allowed =
      Check(op::kUpdateOrganization, *caller.principal, Target{changes.id});
  if (!allowed.ok()) return allowed;
  if (TouchesPolicies(changes) && !caller.principal->global) {
    // The policies bind the global admins who live there too: a loosened
    // lockout lets anyone guess their passwords, a tightened one or a
    // session limit shuts them out, trusted ranges switch off their keys.
    storage::UserListQuery q;
    q.organization_id = changes.id;
    q.primary_role = std::string(kGlobalAdmin);
    q.limit = 1;
    absl::StatusOr<storage::Page<domain::User>> admins = store_->ListUsers(q);
    if (!admins.ok()) return admins.status();
    if (!admins->items.empty()) {
      return WithReason(
          absl::PermissionDeniedError(
              "permission denied for UpdateOrganization: the policies of an "
              "organization that holds global admins (lockout, session, "
              "password, trusted IP ranges, TOTP, terms, registration, login "
              "domains) are changed only by a global admin; its name is yours "
              "to change"),
          reason::kGlobalRoleRequired);
    }
  }
  storage::OrganizationUpdate update;
  update.id = changes.id;
  update.expected_version = changes.expected_version;
  update.apply = [&changes](domain::Organization* org) {
    ApplyChanges(changes, org);
    return absl::OkStatus();
  };
  return store_->UpdateOrganization(
      update, MakeAudit(caller, "organization.update", "organization",
                        changes.id, changes.id,
                        {{"name", changes.name.value_or("")}}));
}

absl::Status OrganizationCommands::Delete(const Caller& caller,
                                          absl::string_view id) {
  absl::Status valid = ValidateId("id", id);
  if (!valid.ok()) return valid;
  absl::Status allowed = Check(op::kDeleteOrganization, *caller.principal,
                               Target{std::string(id)});
  if (!allowed.ok()) return allowed;
  // The audit row keeps the id as text only: the organization row goes.
  domain::AuditEntry audit =
      MakeAudit(caller, "organization.delete", "organization", id, "");
  return store_->DeleteOrganization(id, audit);
}

absl::StatusOr<storage::Store::MoveCounts> OrganizationCommands::MoveContents(
    const Caller& caller, absl::string_view source, absl::string_view target) {
  absl::Status valid = ValidateId("source_organization_id", source);
  if (valid.ok()) valid = ValidateId("target_organization_id", target);
  if (valid.ok() && source == target) {
    valid = absl::InvalidArgumentError(
        "target_organization_id: must differ from source_organization_id");
  }
  if (!valid.ok()) return valid;
  absl::Status allowed = Check(op::kMoveOrganizationContents,
                               *caller.principal, Target{std::string(source)});
  if (!allowed.ok()) return allowed;
  return store_->MoveOrganizationContents(
      source, target,
      MakeAudit(caller, "organization.move_contents", "organization", source,
                target));
}

}  // namespace identity
