#include "application/users/user_commands.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "domain/audit.h"
#include "domain/authorizer.h"
#include "application/page_token.h"
#include "domain/roles.h"
#include "domain/operations.h"
#include "application/scope.h"
#include "domain/validation.h"

namespace identity {
namespace {

bool IsGlobalRole(absl::string_view role) {
  const RoleDefinition* r = FindBuiltInRole(role);
  return r != nullptr && r->global;
}

absl::Status RefuseSelf(const Caller& caller, const domain::User& target,
                        absl::string_view what) {
  if (caller.principal->user.id != target.id) return absl::OkStatus();
  return WithReason(
      absl::PermissionDeniedError(absl::StrCat(
          "you cannot change your own ", what, "; ask another administrator")),
      reason::kSelfChange, {{"what", what}});
}

}  // namespace

absl::Status RequireInternal(const domain::User& user,
                             absl::string_view action) {
  if (user.origin == domain::Origin::kInternal) return absl::OkStatus();
  return WithReason(
      absl::FailedPreconditionError(absl::StrCat(
          "cannot ", action, " user '", user.username,
          "': it is managed by its ", domain::OriginName(user.origin),
          " identity provider; make the change there")),
      reason::kExternallyManaged,
      {{"origin", domain::OriginName(user.origin)}});
}

absl::StatusOr<domain::User> UserCommands::LoadFor(absl::string_view method,
                                                    const Caller& caller,
                                                    absl::string_view id) {
  absl::Status valid = ValidateId("id", id);
  if (!valid.ok()) return valid;
  absl::StatusOr<domain::User> user = store_->GetUser(id);
  if (!user.ok()) return user.status();
  absl::Status allowed = Check(method, *caller.principal, TargetFor(*user));
  if (!allowed.ok()) return allowed;
  return user;
}

absl::StatusOr<PasswordPolicy> UserCommands::PolicyOf(
    absl::string_view organization_id) {
  absl::StatusOr<domain::Organization> org =
      store_->GetOrganization(organization_id);
  if (!org.ok()) return org.status();
  return PasswordPolicy::For(org->settings.password, policy_);
}

absl::Status UserCommands::CheckHistory(const PasswordPolicy& policy,
                                        const domain::UserCredentials& creds,
                                        absl::string_view password) {
  std::vector<std::string> hashes;
  if (!creds.password_hash.empty()) hashes.push_back(creds.password_hash);
  if (policy.history_size > 0) {
    absl::StatusOr<std::vector<std::string>> old =
        store_->GetPasswordHistory(creds.user.id, policy.history_size);
    if (!old.ok()) return old.status();
    hashes.insert(hashes.end(), old->begin(), old->end());
  }
  for (const std::string& hash : hashes) {
    absl::StatusOr<bool> match = hasher_->Verify(hash, password);
    if (!match.ok()) return match.status();
    if (*match) {
      return absl::InvalidArgumentError(
          policy.history_size > 0
              ? absl::StrCat("new_password: must differ from the current and "
                             "the last ",
                             policy.history_size, " passwords")
              : "new_password: must differ from the current password");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> UserCommands::ChoosePassword(
    const PasswordPolicy& policy, absl::string_view field,
    absl::string_view password, bool generate, absl::string_view username,
    absl::string_view email) {
  if (generate && !password.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": leave it empty when generate_password is set"));
  }
  if (generate) return GeneratePassword(policy);
  absl::Status ok = CheckPassword(policy, field, password, username, email);
  if (!ok.ok() && password.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": required unless generate_password is set"));
  }
  if (!ok.ok()) return ok;
  return std::string(password);
}

absl::StatusOr<CreateUserResult> UserCommands::Create(
    const Caller& caller, const CreateUserInput& in) {
  for (absl::Status s :
       {ValidateId("organization_id", in.organization_id),
        ValidateUsername(in.username), ValidateEmail(in.email, false),
        ValidateDisplayName(in.display_name), ValidateImageUrl(in.image_url),
        ValidateTimeZone(in.time_zone)}) {
    if (!s.ok()) return s;
  }
  absl::Status allowed =
      Check(op::kCreateUser, *caller.principal,
            Target{in.organization_id, "", IsGlobalRole(in.primary_role)});
  if (!allowed.ok()) return allowed;
  absl::StatusOr<PasswordPolicy> policy = PolicyOf(in.organization_id);
  if (!policy.ok()) return policy.status();
  absl::Status grantable =
      catalog_->CheckGrantable("primary_role", *caller.principal,
                               in.organization_id, in.primary_role,
                               RoleUse::kPrimary);
  if (!grantable.ok()) return grantable;
  absl::StatusOr<std::string> password =
      ChoosePassword(*policy, "password", in.password, in.generate_password,
                     in.username, in.email);
  if (!password.ok()) return password.status();
  absl::StatusOr<std::string> hash = hasher_->Hash(*password);
  if (!hash.ok()) return hash.status();

  storage::NewUser row{in.organization_id, in.username,  in.email,
                       in.display_name,    in.image_url, in.time_zone,
                       domain::Origin::kInternal, in.primary_role, *hash};
  absl::StatusOr<domain::User> user = store_->CreateUser(
      row, MakeAudit(caller, "user.create", "user", "", in.organization_id,
                     {{"username", in.username},
                      {"primary_role", in.primary_role}}));
  if (!user.ok()) return user.status();
  return CreateUserResult{*user,
                          in.generate_password ? *password : std::string()};
}

// Reads go through the cache (other services call GetUser on their hot
// paths); JudgeRow makes refusals only on a row read from the database.
absl::StatusOr<domain::User> UserCommands::Get(const Caller& caller,
                                                absl::string_view id) {
  absl::Status valid = ValidateId("id", id);
  if (!valid.ok()) return valid;
  auto load = [&] { return store_->GetUser(id); };
  return JudgeRow(
      [&](bool fresh, bool* cached) {
        return cache_ ? cache_->User(std::string(id), fresh, load, cached) : load();
      },
      [&](const domain::User& user) -> absl::StatusOr<domain::User> {
        absl::Status allowed =
            Check(op::kGetUser, *caller.principal, TargetFor(user));
        if (!allowed.ok()) return allowed;
        return user;
      });
}

absl::StatusOr<domain::User> UserCommands::GetCurrent(const Caller& caller) {
  const std::string& id = caller.principal->user.id;
  if (cache_ == nullptr) return store_->GetUser(id);
  bool cached = false;
  return cache_->User(id, false, [&] { return store_->GetUser(id); }, &cached);
}

absl::StatusOr<ListUsersResult> UserCommands::List(const Caller& caller,
                                                   const ListUsersInput& in) {
  const Principal& p = *caller.principal;
  storage::UserListQuery q;
  absl::StatusOr<std::optional<std::string>> scope =
      ListScope(p, in.organization_id);
  if (!scope.ok()) return scope.status();
  q.organization_id = *scope;
  absl::Status allowed = Check(op::kListUsers, p,
                               Target{q.organization_id.value_or(""), "", false});
  if (!allowed.ok()) return allowed;
  absl::Status size = ValidatePageSize(in.page_size, 50, &q.limit);
  if (!size.ok()) return size;
  if (in.query.size() > 200) {
    return absl::InvalidArgumentError("query: must be at most 200 bytes");
  }
  q.origin = in.origin;
  q.enabled = in.enabled;
  q.text = in.query;
  const std::string filters = absl::StrCat(
      "users|", q.organization_id.value_or("*"), "|",
      q.origin ? domain::OriginName(*q.origin) : "*", "|",
      q.enabled ? (*q.enabled ? "1" : "0") : "*", "|", q.text, "|", q.limit);
  absl::StatusOr<std::optional<storage::Cursor>> after =
      DecodePageToken(in.page_token, filters);
  if (!after.ok()) return after.status();
  q.after = *after;
  absl::StatusOr<storage::Page<domain::User>> page = store_->ListUsers(q);
  if (!page.ok()) return page.status();
  ListUsersResult out{std::move(page->items), ""};
  if (page->next) out.next_page_token = EncodePageToken(*page->next, filters);
  return out;
}

absl::StatusOr<domain::User> UserCommands::Update(
    const Caller& caller, const storage::UserProfileUpdate& in) {
  for (absl::Status s :
       {in.email ? ValidateEmail(*in.email, false) : absl::OkStatus(),
        in.display_name ? ValidateDisplayName(*in.display_name)
                        : absl::OkStatus(),
        in.image_url ? ValidateImageUrl(*in.image_url) : absl::OkStatus(),
        in.time_zone ? ValidateTimeZone(*in.time_zone) : absl::OkStatus()}) {
    if (!s.ok()) return s;
  }
  if (in.expected_version < 0) {
    return absl::InvalidArgumentError("version: must not be negative");
  }
  absl::StatusOr<domain::User> user = LoadFor(op::kUpdateUser, caller, in.id);
  if (!user.ok()) return user.status();
  return store_->UpdateUserProfile(
      in, MakeAudit(caller, "user.update", "user", user->id,
                    user->organization_id));
}

absl::Status UserCommands::Delete(const Caller& caller, absl::string_view id) {
  absl::StatusOr<domain::User> user = LoadFor(op::kDeleteUser, caller, id);
  if (!user.ok()) return user.status();
  for (absl::Status s : {RefuseSelf(caller, *user, "account (delete)"),
                         RequireInternal(*user, "delete")}) {
    if (!s.ok()) return s;
  }
  return store_->DeleteUser(
      user->id, MakeAudit(caller, "user.delete", "user", user->id,
                          user->organization_id,
                          {{"username", user->username}}));
}

absl::StatusOr<domain::User> UserCommands::SetEnabled(const Caller& caller,
                                                       absl::string_view id,
                                                       bool enabled) {
  absl::StatusOr<domain::User> user = LoadFor(
      enabled ? op::kEnableUser : op::kDisableUser, caller, id);
  if (!user.ok()) return user.status();
  // An administrator may disable an externally managed user here (and undo
  // that), whatever its provider says; what its provider disabled only its
  // provider enables again.
  for (absl::Status s :
       {RefuseSelf(caller, *user, "status"),
        enabled && user->disabled_by_provider ? RequireInternal(*user, "enable")
                                              : absl::OkStatus()}) {
    if (!s.ok()) return s;
  }
  return store_->SetUserEnabled(
      user->id, enabled,
      MakeAudit(caller, enabled ? "user.enable" : "user.disable", "user",
                user->id, user->organization_id));
}

absl::StatusOr<domain::User> UserCommands::SetPrimaryRole(
    const Caller& caller, absl::string_view id, absl::string_view role) {
  if (role.empty()) return absl::InvalidArgumentError("primary_role: required");
  absl::StatusOr<domain::User> user =
      LoadFor(op::kSetPrimaryRole, caller, id);
  if (!user.ok()) return user.status();
  absl::Status refused = RefuseSelf(caller, *user, "primary role");
  if (!refused.ok()) return refused;
  absl::Status grantable =
      catalog_->CheckGrantable("primary_role", *caller.principal,
                               user->organization_id, role, RoleUse::kPrimary);
  if (!grantable.ok()) return grantable;
  return store_->SetPrimaryRole(
      user->id, role,
      MakeAudit(caller, "user.set_primary_role", "user", user->id,
                user->organization_id,
                {{"from", user->primary_role}, {"to", role}}));
}

absl::Status UserCommands::ChangePassword(const Caller& caller,
                                          absl::string_view current_password,
                                          absl::string_view new_password) {
  const Principal& p = *caller.principal;
  absl::Status allowed =
      Check(op::kChangePassword, p, Target{p.user.organization_id, p.user.id});
  if (!allowed.ok()) return allowed;
  if (current_password.empty()) {
    return absl::InvalidArgumentError("current_password: required");
  }
  absl::StatusOr<domain::UserCredentials> creds =
      store_->GetCredentials(p.user.id);
  if (!creds.ok()) return creds.status();
  absl::Status internal = RequireInternal(creds->user, "change the password of");
  if (!internal.ok()) return internal;
  // The current password is a guess like any other.
  if (absl::Status open = RefuseWhileLocked(creds->user); !open.ok()) {
    return open;
  }
  absl::StatusOr<PasswordPolicy> policy = PolicyOf(p.user.organization_id);
  if (!policy.ok()) return policy.status();
  absl::Status complies = CheckPassword(*policy, "new_password", new_password,
                                        creds->user.username, creds->user.email);
  if (!complies.ok()) return complies;
  absl::StatusOr<bool> match =
      creds->password_hash.empty()
          ? absl::StatusOr<bool>(false)
          : hasher_->Verify(creds->password_hash, current_password);
  if (!match.ok()) return match.status();
  if (!*match) {
    // Counted like a wrong login: a stolen session (or a key scoped to
    // self.password) must not test passwords here without limit.
    absl::Status counted = failures_->Count(caller, creds->user.username,
                                            *creds, "wrong_current_password");
    if (!counted.ok()) return counted;
    // A field error, not a permission one: the caller is allowed to change
    // its password and only got this field wrong.
    return absl::InvalidArgumentError(
        "current_password: does not match the current password");
  }
  absl::Status fresh = CheckHistory(*policy, *creds, new_password);
  if (!fresh.ok()) return fresh;
  absl::StatusOr<std::string> hash = hasher_->Hash(new_password);
  if (!hash.ok()) return hash.status();
  absl::Status stored = store_->SetPasswordHash(
      p.user.id, *hash, p.session_id,
      MakeAudit(caller, "user.change_password", "user", p.user.id,
                p.user.organization_id));
  if (stored.ok()) alerts_->Notify(creds->user, SecurityEvent::kPasswordChanged);
  return stored;
}

absl::StatusOr<std::string> UserCommands::ResetPassword(
    const Caller& caller, absl::string_view id, absl::string_view new_password,
    bool generate) {
  absl::StatusOr<domain::User> user = LoadFor(op::kResetPassword, caller, id);
  if (!user.ok()) return user.status();
  if (user->id == caller.principal->user.id) {
    return WithReason(
        absl::PermissionDeniedError("use ChangePassword for your own password; "
                                    "it needs the current one"),
        reason::kSelfChange);
  }
  absl::Status internal = RequireInternal(*user, "reset the password of");
  if (!internal.ok()) return internal;
  absl::StatusOr<PasswordPolicy> policy = PolicyOf(user->organization_id);
  if (!policy.ok()) return policy.status();
  absl::StatusOr<std::string> password =
      ChoosePassword(*policy, "new_password", new_password, generate,
                     user->username, user->email);
  if (!password.ok()) return password.status();
  if (!generate) {
    absl::StatusOr<domain::UserCredentials> creds =
        store_->GetCredentials(user->id);
    if (!creds.ok()) return creds.status();
    absl::Status fresh = CheckHistory(*policy, *creds, *password);
    if (!fresh.ok()) return fresh;
  }
  absl::StatusOr<std::string> hash = hasher_->Hash(*password);
  if (!hash.ok()) return hash.status();
  absl::Status stored = store_->SetPasswordHash(
      user->id, *hash, "",
      MakeAudit(caller, "user.reset_password", "user", user->id,
                user->organization_id,
                {{"generated", generate ? "true" : "false"}}));
  if (!stored.ok()) return stored;
  alerts_->Notify(*user, SecurityEvent::kPasswordChanged,
                  "An administrator reset it.");
  return generate ? *password : std::string();
}

absl::StatusOr<domain::User> UserCommands::Unlock(const Caller& caller,
                                                   absl::string_view id) {
  absl::StatusOr<domain::User> user = LoadFor(op::kUnlockUser, caller, id);
  if (!user.ok()) return user.status();
  return store_->UnlockUser(
      user->id, MakeAudit(caller, "user.unlock", "user", user->id,
                          user->organization_id,
                          {{"failed_login_attempts",
                            absl::StrCat(user->failed_login_attempts)}}));
}

}  // namespace identity
