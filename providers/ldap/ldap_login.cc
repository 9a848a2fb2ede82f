#include "providers/ldap/ldap_login.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "common/error_reasons.h"
#include "domain/external_users.h"
#include "providers/ldap/ldap_account.h"
#include "providers/ldap/ldap_settings.h"

namespace identity::ldap {
namespace {

std::string First(const Entry& entry, const std::string& attribute) {
  if (attribute.empty()) return "";
  auto it = entry.attributes.find(absl::AsciiStrToLower(attribute));
  if (it == entry.attributes.end() || it->second.empty()) return "";
  return it->second.front();
}

// The verdict on a login the directory did not accept.
PasswordVerdict NotAccepted(const DirectoryLogin& login) {
  PasswordVerdict v;
  if (login.result == LoginResult::kWrongPassword) {
    v.kind = PasswordVerdict::Kind::kRejected;
    v.reason = "wrong_password";
    return v;
  }
  v.kind = PasswordVerdict::Kind::kRefused;
  v.reason = login.result == LoginResult::kAmbiguous ? "several_directory_entries"
             : login.result == LoginResult::kRefused ? RefusalReason(login.state)
                                                     : "not_in_directory";
  // Gone, disabled or expired in the directory: lasting. Ambiguous names and
  // passing states (a lockout there) are not.
  v.disables_local_user =
      login.result == LoginResult::kUserNotFound ||
      (login.result == LoginResult::kRefused && DisablesLocalUser(login.state));
  if (login.result == LoginResult::kRefused) v.identity = login.user;
  return v;
}

}  // namespace

absl::StatusOr<PasswordVerdict> LdapLogin::CheckPassword(
    const PasswordAttempt& attempt) {
  const domain::User* known = attempt.known ? &attempt.known->user : nullptr;
  // Only an answer about a stored link may change the local user; a search
  // by the typed name speaks for whichever entry it finds. Users provisioned
  // before links were stored get theirs at their next successful login.
  const bool linked =
      known != nullptr && (!known->external_id.empty() || !known->directory_dn.empty());
  absl::StatusOr<DirectoryLogin> login =
      linked ? LoginKnown(*known, attempt.password)
             : Login(attempt.organization_id, attempt.username, attempt.password);
  if (absl::IsNotFound(login.status())) return login.status();
  if (absl::IsUnavailable(login.status())) {
    // Whichever step found the directory unreachable (connect, bind,
    // search), the caller and its budget see one reason.
    if (!ErrorReason(login.status()).empty()) return login.status();
    return WithReason(login.status(), reason::kProviderUnavailable,
                      {{"provider", "ldap"}});
  }
  if (!login.ok()) {
    // A misconfigured provider (service account refused, bad search base,
    // unreadable secret) is the administrator's to fix; the caller learns
    // only that the login failed, the audit log says why.
    PasswordVerdict v;
    v.kind = PasswordVerdict::Kind::kRefused;
    v.reason = absl::StrCat("directory_error: ", login.status().message());
    return v;
  }
  PasswordVerdict v = login->result == LoginResult::kAuthenticated
                          ? PasswordVerdict{PasswordVerdict::Kind::kAccepted,
                                            login->user}
                          : NotAccepted(*login);
  v.about_known = linked;
  return v;
}

void MapRoles(const domain::LdapProviderConfig& config,
              const std::vector<std::string>& groups,
              domain::ExternalUser* user) {
  MapGroupRoles(config.group_role_mappings, config.default_role, groups, user);
}

absl::StatusOr<DirectoryLogin> LdapLogin::Run(
    const std::string& organization_id,
    const std::function<absl::StatusOr<LoginOutcome>(const Directory&)>& login) {
  auto load = [&] { return LoadLdapSettings(*store_, organization_id); };
  absl::StatusOr<domain::LdapProviderConfig> config =
      cache_ != nullptr ? cache_->LdapProvider(organization_id, load) : load();
  if (!config.ok()) return config.status();
  absl::StatusOr<Directory> directory = providers_->PooledDirectory(*config);
  if (!directory.ok()) return directory.status();
  // The fence bounds how many threads one directory may hold and cuts a
  // directory that keeps timing out (see ldap_fence.h).
  auto ask = [&] { return login(*directory); };
  absl::StatusOr<LoginOutcome> outcome =
      providers_->fences() == nullptr
          ? ask()
          : providers_->fences()->Run<LoginOutcome>(
                organization_id, config->pool_size,
                absl::Milliseconds(std::min(config->connect_timeout_ms,
                                            config->operation_timeout_ms)),
                ask);
  if (!outcome.ok()) return outcome.status();
  DirectoryLogin result{outcome->result, {}, outcome->state};
  if (outcome->result != LoginResult::kAuthenticated &&
      outcome->result != LoginResult::kRefused) {
    return result;
  }
  // Known after the search that found the entry.
  absl::StatusOr<ServerInfo> server = directory->Server();
  if (!server.ok()) return server.status();
  result.user = DescribeUser(*config, outcome->entry, outcome->groups,
                             server->id_attribute);
  return result;
}

absl::StatusOr<DirectoryLogin> LdapLogin::Login(
    const std::string& organization_id, absl::string_view username,
    absl::string_view password) {
  absl::StatusOr<DirectoryLogin> login =
      Run(organization_id, [&](const Directory& d) {
        return d.Login(username, password);
      });
  if (login.ok() && login->result == LoginResult::kAuthenticated &&
      login->user.username.empty()) {
    login->user.username = std::string(username);
  }
  return login;
}

absl::StatusOr<DirectoryLogin> LdapLogin::LoginKnown(
    const domain::User& user, absl::string_view password) {
  return Run(user.organization_id, [&](const Directory& d) {
    return d.LoginKnown({user.external_id, user.directory_dn}, password);
  });
}

domain::ExternalUser DescribeUser(const domain::LdapProviderConfig& config,
                                   const Entry& entry,
                                   const std::vector<std::string>& groups,
                                   const std::string& id_attribute) {
  domain::ExternalUser user;
  user.organization_id = config.organization_id;
  user.origin = domain::Origin::kLdap;
  user.username = First(entry, config.username_attribute);
  user.email = First(entry, config.email_attribute);
  user.display_name = First(entry, config.display_name_attribute);
  user.external_id = StableId(entry, id_attribute);
  user.directory_dn = entry.dn;
  MapRoles(config, groups, &user);
  return user;
}

}  // namespace identity::ldap
