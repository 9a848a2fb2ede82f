// SessionManager's logins of users whose origin is a directory (LDAP):
// which organization's directory a not-yet-known name goes to, the
// directory's verdict, and the local user provisioned or refreshed from it.
//
// A known user's entry is found by the stable identifier (or DN) stored at
// its provisioning, never by the name the caller typed, and only the
// directory's answer about that entry changes the local user. Users
// provisioned before the link was stored get it at their next successful
// login.
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "identity/audit.h"
#include "identity/external_users.h"
#include "identity/scope.h"
#include "identity/session_manager.h"

namespace identity {
namespace {

bool Linked(const storage::User& user) {
  return !user.external_id.empty() || !user.directory_dn.empty();
}

// The local user an authenticated entry belongs to: found by its stable id,
// else (for users provisioned before ids were stored) by a matching
// username that has no other link. NOT_FOUND when there is none yet;
// FAILED_PRECONDITION with the refusal reason when the name belongs to
// another account.
absl::StatusOr<storage::UserCredentials> LocalUserOf(
    storage::Store& store, const std::string& organization_id,
    const storage::ExternalUser& seen) {
  if (!seen.external_id.empty()) {
    absl::StatusOr<storage::UserCredentials> by_id =
        store.GetCredentialsByExternalId(organization_id, storage::Origin::kLdap,
                                         seen.external_id);
    if (!absl::IsNotFound(by_id.status())) return by_id;
  }
  // Never link accounts by a matching name: the directory's username must
  // be free, or this organization's LDAP user of the same entry.
  absl::StatusOr<storage::UserCredentials> taken =
      store.GetCredentialsByUsername(seen.username);
  if (!taken.ok()) return taken.status();
  const storage::User& u = taken->user;
  if (u.origin != storage::Origin::kLdap || u.organization_id != organization_id) {
    return absl::FailedPreconditionError("username_belongs_to_another_account");
  }
  const bool same_entry =
      u.external_id.empty()
          ? u.directory_dn.empty() ||
                absl::AsciiStrToLower(u.directory_dn) ==
                    absl::AsciiStrToLower(seen.directory_dn)
          : u.external_id == seen.external_id;
  if (!same_entry) {
    // A new entry with an old entry's name (deleted and created again)
    // does not inherit the old one's roles, keys and sessions.
    return absl::FailedPreconditionError(
        "username_belongs_to_another_directory_entry");
  }
  return taken;
}

// What a refresh would change, the directory link and the provider's
// enable included.
std::vector<std::string> Changes(const storage::User& local,
                                 const storage::ExternalUser& seen) {
  std::vector<std::string> changed = ChangedFields(local, seen);
  if (!seen.external_id.empty() && local.external_id != seen.external_id) {
    changed.push_back("external_id");
  }
  if (local.directory_dn != seen.directory_dn) changed.push_back("directory_dn");
  if (!local.enabled && local.disabled_by_provider) changed.push_back("enabled");
  return changed;
}

}  // namespace

absl::StatusOr<std::string> SessionManager::DirectoryOrganization(
    absl::string_view hint, absl::string_view username) {
  absl::StatusOr<storage::Organization> org =
      absl::NotFoundError("no organization");
  if (!hint.empty()) {
    org = OrganizationByIdOrName(*store_, hint);
  } else if (size_t at = username.rfind('@'); at != absl::string_view::npos) {
    org = store_->FindOrganizationByLoginDomain(username.substr(at + 1));
  }
  if (absl::IsNotFound(org.status())) return std::string();
  if (!org.ok()) return org.status();
  return org->id;
}

absl::StatusOr<LoginResult> SessionManager::LoginWithDirectory(
    const Caller& caller, absl::string_view username,
    absl::string_view password, absl::string_view totp_code,
    const std::string& organization_id, const storage::UserCredentials* known) {
  const storage::User* known_user = known ? &known->user : nullptr;
  if (known_user != nullptr && known_user->locked) {
    // Guesses against a locked account stop here: passed on, they would go
    // on counting against the person's directory account (and lock it in
    // Active Directory too).
    return Refuse(caller, username, known_user, "locked");
  }
  // Only an answer about a stored link may change the local user; a search
  // by the typed name speaks for whichever entry it finds.
  const bool linked = known && Linked(known->user);
  absl::StatusOr<ldap::DirectoryLogin> login =
      linked ? ldap_->LoginKnown(known->user, password)
             : ldap_->Login(organization_id, username, password);
  if (absl::IsNotFound(login.status())) {
    return Refuse(caller, username, known_user, "no_ldap_provider");
  }
  if (absl::IsUnavailable(login.status())) return login.status();
  if (!login.ok()) {
    // A misconfigured provider (service account refused, bad search base,
    // unreadable secret) is the administrator's to fix; the caller learns
    // only that the login failed, the audit log says why.
    return Refuse(caller, username, known_user,
                  absl::StrCat("directory_error: ", login.status().message()));
  }
  switch (login->result) {
    case ldap::LoginResult::kWrongPassword:
      if (known) return CountFailure(caller, username, *known, "wrong_password");
      return Refuse(caller, username, nullptr, "wrong_password");
    case ldap::LoginResult::kUserNotFound:
    case ldap::LoginResult::kAmbiguous:
    case ldap::LoginResult::kRefused: {
      const std::string reason =
          login->result == ldap::LoginResult::kAmbiguous ? "several_directory_entries"
          : login->result == ldap::LoginResult::kRefused
              ? ldap::RefusalReason(login->state)
              : "not_in_directory";
      const bool lasting =
          login->result == ldap::LoginResult::kUserNotFound ||
          (login->result == ldap::LoginResult::kRefused &&
           ldap::DisablesLocalUser(login->state));
      // The directory's word on an entry's own state (gone, disabled or
      // expired there) disables the local user linked to that entry, until
      // the directory says otherwise: the user whose stored link was
      // searched, or the one whose stable id the refused entry carries.
      const storage::User* target = linked ? known_user : nullptr;
      absl::StatusOr<storage::UserCredentials> by_id =
          absl::NotFoundError("no stable id");
      if (!linked && login->result == ldap::LoginResult::kRefused &&
          !login->user.external_id.empty()) {
        by_id = store_->GetCredentialsByExternalId(
            organization_id, storage::Origin::kLdap, login->user.external_id);
        if (by_id.ok()) target = &by_id->user;
      }
      if (target != nullptr && lasting) {
        store_->SetUserEnabledByProvider(
                  target->id, false,
                  MakeAudit(Caller{nullptr, caller.peer}, "user.disable",
                            "user", target->id, target->organization_id,
                            {{"reason", reason}, {"source", "login"}}))
            .IgnoreError();
      }
      return Refuse(caller, username, target ? target : known_user, reason);
    }
    case ldap::LoginResult::kAuthenticated:
      break;
  }
  const storage::ExternalUser& seen = login->user;
  absl::StatusOr<storage::UserCredentials> local =
      linked ? *known : LocalUserOf(*store_, organization_id, seen);
  if (absl::IsFailedPrecondition(local.status())) {
    return Refuse(caller, username, known_user, local.status().message());
  }
  if (!local.ok() && !absl::IsNotFound(local.status())) return local.status();
  std::string existing_id = local.ok() ? local->user.id : "";
  std::string changed;
  std::string renamed;  // the directory's new username, when it differs
  if (local.ok()) {
    changed = absl::StrJoin(Changes(local->user, seen), ",");
    // Most logins change nothing: no write, no audit noise.
    if (changed.empty()) return Finish(caller, username, *local, totp_code, "ldap");
    // Usernames never change; the audit log keeps the directory's new one.
    if (!absl::EqualsIgnoreCase(local->user.username, seen.username)) {
      renamed = seen.username;
    }
  }
  const Caller system{nullptr, caller.peer};
  storage::AuditEntry audit =
      existing_id.empty()
          ? MakeAudit(system, "user.provision", "user", "", organization_id,
                      {{"origin", "LDAP"}, {"primary_role", seen.primary_role}})
      : renamed.empty()
          ? MakeAudit(system, "user.refresh", "user", existing_id,
                      organization_id,
                      {{"origin", "LDAP"}, {"changed", changed},
                       {"primary_role", seen.primary_role}})
          : MakeAudit(system, "user.refresh", "user", existing_id,
                      organization_id,
                      {{"origin", "LDAP"}, {"changed", changed},
                       {"primary_role", seen.primary_role},
                       {"directory_username", renamed}});
  absl::StatusOr<storage::User> synced =
      store_->SyncExternalUser(existing_id, seen, audit);
  if (!synced.ok()) return synced.status();
  absl::StatusOr<storage::UserCredentials> creds =
      store_->GetCredentials(synced->id);
  if (!creds.ok()) return creds.status();
  return Finish(caller, username, *creds, totp_code, "ldap");
}

}  // namespace identity
