// SessionManager's logins through providers, the same for every origin:
// the provider's verdict (a PasswordProvider's or a RedirectProvider's),
// then the provisioner for the local user, then Finish(). Nothing here
// knows which provider it talks to.
#include "absl/strings/str_cat.h"
#include "domain/audit.h"
#include "application/scope.h"
#include "application/sessions/session_manager.h"

namespace identity {

absl::StatusOr<std::string> SessionManager::ProvisioningOrganization(
    absl::string_view hint, absl::string_view username) {
  absl::StatusOr<domain::Organization> org =
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

absl::StatusOr<LoginResult> SessionManager::LoginWithProvider(
    const Caller& caller, const LoginRoute& route, absl::string_view username,
    absl::string_view password, absl::string_view totp_code,
    std::string* judged_by) {
  const domain::UserCredentials* known = route.known ? &*route.known : nullptr;
  const domain::User* known_user = known ? &known->user : nullptr;
  const PasswordAttempt attempt{route.organization_id, username, password, known};
  for (PasswordProvider* provider : route.providers) {
    if (known_user != nullptr && known_user->locked &&
        provider->ForwardsGuesses()) {
      // Guesses against a locked account stop here: passed on, they would
      // go on counting against the person's account at the provider.
      *judged_by = std::string(provider->name());
      return Refuse(caller, attempt.username, known_user, "locked");
    }
    // The password is checked even for a disabled or locked user, so that
    // the answer and its timing are the same as for a wrong password.
    absl::StatusOr<PasswordVerdict> verdict = provider->CheckPassword(attempt);
    // Not configured for this organization: the next provider may be. It
    // judged nothing, so the login is not counted under its name.
    if (absl::IsNotFound(verdict.status()) && known == nullptr) continue;
    *judged_by = std::string(provider->name());
    if (absl::IsNotFound(verdict.status())) {
      return Refuse(caller, attempt.username, known_user,
                    absl::StrCat("no_", provider->name(), "_provider"));
    }
    if (!verdict.ok()) return verdict.status();
    return Conclude(caller, attempt, *verdict, totp_code, provider->name());
  }
  // No provider serves this user or organization: same work, same answer.
  absl::Status s = hasher_->VerifyDummy(password);
  if (!s.ok()) return s;
  return Refuse(caller, username, known_user,
                known_user != nullptr
                    ? absl::StrCat("no_provider_for_",
                                   domain::OriginName(known_user->origin))
                : route.organization_id.empty() ? "unknown_user"
                                                : "no_provider_for_organization");
}

absl::StatusOr<LoginResult> SessionManager::Conclude(
    const Caller& caller, const PasswordAttempt& attempt,
    const PasswordVerdict& verdict, absl::string_view totp_code,
    absl::string_view provider) {
  const domain::UserCredentials* known = attempt.known;
  const domain::User* known_user = known ? &known->user : nullptr;
  switch (verdict.kind) {
    case PasswordVerdict::Kind::kRejected:
      if (known) return CountFailure(caller, attempt.username, *known, verdict.reason);
      return Refuse(caller, attempt.username, nullptr, verdict.reason);
    case PasswordVerdict::Kind::kRefused: {
      // The provider's word on an entry's own state disables the local user
      // linked to that entry until the provider says otherwise: the known
      // user when the answer is about its link, else the one whose stable
      // id the refused entry carries.
      const domain::User* target = verdict.about_known ? known_user : nullptr;
      absl::StatusOr<domain::UserCredentials> by_id =
          absl::NotFoundError("no stable id");
      if (target == nullptr && verdict.identity) {
        by_id = provisioner_->FindByStableId(*verdict.identity);
        if (by_id.ok()) target = &by_id->user;
      }
      if (target != nullptr && verdict.disables_local_user) {
        provisioner_
            ->DisableForProvider(Caller{nullptr, caller.peer()}, *target,
                                 verdict.reason, ProvisionSource::kLogin)
            .IgnoreError();
      }
      return Refuse(caller, attempt.username, target ? target : known_user,
                    verdict.reason);
    }
    case PasswordVerdict::Kind::kAccepted:
      break;
  }
  if (!verdict.identity) {
    // The local user is the identity (internal).
    return Finish(caller, attempt.username, *known, totp_code, provider);
  }
  absl::StatusOr<domain::UserCredentials> local = Provision(
      caller, *verdict.identity, verdict.about_known ? known : nullptr);
  if (absl::IsFailedPrecondition(local.status())) {
    return Refuse(caller, attempt.username, known_user, local.status().message());
  }
  if (!local.ok()) return local.status();
  return Finish(caller, attempt.username, *local, totp_code, provider);
}

absl::StatusOr<domain::UserCredentials> SessionManager::Provision(
    const Caller& caller, const ExternalIdentity& seen,
    const domain::UserCredentials* known) {
  absl::StatusOr<domain::UserCredentials> local =
      known ? *known : provisioner_->Find(seen);
  if (!local.ok() && !absl::IsNotFound(local.status())) return local.status();
  absl::StatusOr<Provisioned> done = provisioner_->Apply(
      Caller{nullptr, caller.peer()}, local.ok() ? &local->user : nullptr, seen,
      ProvisionSource::kLogin);
  if (!done.ok()) return done.status();
  if (done->action == Provisioned::Action::kUnchanged) return local;
  return store_->GetCredentials(done->user_id);
}

namespace {

absl::StatusOr<RedirectProvider*> RedirectOf(const ProviderRegistry& registry,
                                             domain::Origin origin) {
  RedirectProvider* provider = registry.RedirectFor(origin);
  if (provider == nullptr) {
    return absl::UnimplementedError(absl::StrCat(
        "no redirect login for ", domain::OriginName(origin), " users"));
  }
  return provider;
}

}  // namespace

absl::StatusOr<RedirectStart> SessionManager::BeginRedirect(
    domain::Origin origin, absl::string_view organization,
    absl::string_view return_url) {
  absl::StatusOr<RedirectProvider*> provider = RedirectOf(*providers_, origin);
  if (!provider.ok()) return provider.status();
  return (*provider)->Begin(organization, return_url);
}

absl::StatusOr<LoginResult> SessionManager::CompleteRedirect(
    const Caller& caller, domain::Origin origin, const std::string& response,
    const std::string& relay_state) {
  absl::StatusOr<RedirectProvider*> found = RedirectOf(*providers_, origin);
  if (!found.ok()) return found.status();
  RedirectProvider* provider = *found;
  const std::string name(provider->name());
  absl::StatusOr<RedirectVerdict> verdict =
      provider->Complete(response, relay_state);
  if (!verdict.ok()) return verdict.status();
  if (!verdict->accepted) {
    return RefuseSso(caller, verdict->username, nullptr, name, verdict->reason);
  }
  absl::StatusOr<domain::UserCredentials> user =
      Provision(caller, verdict->identity, nullptr);
  if (absl::IsFailedPrecondition(user.status())) {
    return RefuseSso(caller, verdict->identity.username, nullptr, name,
                     absl::StrCat(name, ": ", user.status().message()));
  }
  if (!user.ok()) return user.status();
  absl::StatusOr<LoginResult> result =
      Finish(caller, user->user.username, *user, "", name);
  if (logins_ != nullptr) {
    logins_->Inc({name, result.ok() ? "success" : "refused"});
  }
  return result;
}

}  // namespace identity
