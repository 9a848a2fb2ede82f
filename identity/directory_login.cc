// SessionManager's logins of users whose origin is a directory (LDAP):
// which organization's directory a not-yet-known name goes to, the
// directory's verdict, and the local user provisioned or refreshed from it.
#include "absl/strings/str_cat.h"
#include "identity/audit.h"
#include "identity/external_users.h"
#include "identity/scope.h"
#include "identity/session_manager.h"

namespace identity {

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
  absl::StatusOr<ldap::DirectoryLogin> login =
      ldap_->Login(organization_id, username, password);
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
    case ldap::LoginResult::kDisabled: {
      const char* reason =
          login->result == ldap::LoginResult::kAmbiguous ? "several_directory_entries"
          : login->result == ldap::LoginResult::kDisabled ? "disabled_in_directory"
                                                          : "not_in_directory";
      if (known && known->user.enabled) {
        // Gone from the directory, no longer unique, or disabled there:
        // disabled here too.
        store_->SetUserEnabled(known->user.id, false,
                               MakeAudit(Caller{nullptr, caller.peer},
                                         "user.disable", "user", known->user.id,
                                         known->user.organization_id,
                                         {{"reason", reason}}))
            .IgnoreError();
      }
      return Refuse(caller, username, known_user, reason);
    }
    case ldap::LoginResult::kAuthenticated:
      break;
  }
  std::string existing_id = known ? known->user.id : "";
  if (!known) {
    // Never link accounts by a matching name: the directory's username must
    // be free, or already this organization's LDAP user.
    absl::StatusOr<storage::UserCredentials> taken =
        store_->GetCredentialsByUsername(login->user.username);
    if (taken.ok()) {
      if (taken->user.origin != storage::Origin::kLdap ||
          taken->user.organization_id != organization_id) {
        return Refuse(caller, username, &taken->user,
                      "username_belongs_to_another_account");
      }
      existing_id = taken->user.id;
    } else if (!absl::IsNotFound(taken.status())) {
      return taken.status();
    }
  }
  if (known) {
    const std::vector<std::string> changed =
        ChangedFields(known->user, login->user);
    // Most logins change nothing: no write, no audit noise.
    if (changed.empty()) return Finish(caller, username, *known, totp_code, "ldap");
  }
  absl::StatusOr<storage::User> synced = store_->SyncExternalUser(
      existing_id, login->user,
      MakeAudit(Caller{nullptr, caller.peer},
                existing_id.empty() ? "user.provision" : "user.refresh", "user",
                existing_id, organization_id,
                {{"origin", "LDAP"}, {"primary_role", login->user.primary_role}}));
  if (!synced.ok()) return synced.status();
  absl::StatusOr<storage::UserCredentials> creds =
      store_->GetCredentials(synced->id);
  if (!creds.ok()) return creds.status();
  return Finish(caller, username, *creds, totp_code, "ldap");
}

}  // namespace identity
