#include "application/onboarding/onboarding.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto.h"
#include "common/error_info.h"
#include "domain/audit.h"
#include "domain/authorizer.h"
#include "domain/roles.h"
#include "domain/operations.h"
#include "application/users/user_commands.h"
#include "domain/validation.h"

namespace identity {
namespace {

constexpr absl::string_view kTokenPrefix = "itk_";

bool IsInvitation(domain::TokenPurpose p) {
  return p == domain::TokenPurpose::kInvitation;
}

// NOT_FOUND and FAILED_PRECONDITION from the store, in words for the caller.
absl::Status TokenError(const absl::Status& s, domain::TokenPurpose purpose) {
  if (absl::IsNotFound(s)) {
    return WithReason(
        absl::NotFoundError(
            IsInvitation(purpose)
                ? "token: unknown, already used, or replaced by a newer "
                  "invitation"
                : "token: unknown, already used, or replaced by a newer link"),
        reason::kTokenNotFound, {{"field", "token"}});
  }
  if (absl::IsFailedPrecondition(s)) {
    return WithReason(
        absl::FailedPreconditionError(
            IsInvitation(purpose)
                ? "token: the invitation has expired; ask an administrator to "
                  "send it again (ResendInvitation)"
                : "token: the verification link has expired; register again"),
        reason::kTokenExpired, {{"field", "token"}});
  }
  return s;
}

absl::Status ValidateNewcomer(absl::string_view organization_id,
                              absl::string_view email,
                              absl::string_view display_name) {
  for (absl::Status s : {ValidateId("organization_id", organization_id),
                         ValidateEmail(email, true),
                         ValidateDisplayName(display_name)}) {
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

// A pending INTERNAL user whose username is its email; invited and
// self-registered users accept the Terms of Use.
storage::NewUser PendingUser(const std::string& organization_id,
                             const std::string& email,
                             const std::string& display_name,
                             const std::string& primary_role) {
  storage::NewUser row;
  row.organization_id = organization_id;
  row.username = email;
  row.email = email;
  row.display_name = display_name;
  row.origin = domain::Origin::kInternal;
  row.primary_role = primary_role;
  row.pending = true;
  row.must_accept_terms = true;
  return row;
}

}  // namespace

absl::StatusOr<std::string> Onboarding::TokenDigest(absl::string_view token) {
  std::optional<std::string> raw;
  if (absl::StartsWith(token, kTokenPrefix) && token.size() == 4 + 43) {
    raw = crypto::Base64UrlDecode(token.substr(kTokenPrefix.size()));
  }
  if (!raw || raw->size() != 32) {
    return absl::InvalidArgumentError(
        "token: not a token from an invitation or verification mail");
  }
  return crypto::Sha256(token);
}

absl::Status Onboarding::IssueAndMail(const Caller& caller,
                                      const domain::User& user,
                                      domain::TokenPurpose purpose) {
  const std::string token = absl::StrCat(
      kTokenPrefix, crypto::Base64UrlEncode(crypto::RandomBytes(32)));
  const bool invitation = IsInvitation(purpose);
  const absl::Duration lifetime = invitation ? options_.invitation_lifetime
                                             : options_.verification_lifetime;
  absl::Status issued = d_.store->IssueUserToken(
      user.id, purpose, crypto::Sha256(token), absl::Now() + lifetime,
      MakeAudit(caller, invitation ? "invitation.issue" : "verification.issue",
                "user", user.id, user.organization_id));
  if (!issued.ok()) return issued;
  const std::string link =
      absl::StrCat(options_.public_url,
                   invitation ? "/accept-invitation?token=" : "/verify-email?token=",
                   token);
  MailMessage mail;
  mail.to = user.email;
  mail.subject = invitation ? "You are invited" : "Confirm your email address";
  mail.body = absl::StrCat(
      invitation ? "You have been invited. Choose your password here:\n\n"
                 : "Confirm your email address to finish registering:\n\n",
      link, "\n\nThe link works once and expires in ",
      absl::ToInt64Hours(lifetime), " hours.\n");
  absl::Status sent = d_.mailer->Send(mail);
  if (absl::IsUnavailable(sent)) {
    return WithReason(
        absl::UnavailableError(absl::StrCat(
            "the ", invitation ? "invitation" : "verification link",
            " was created but the mail could not be sent; ",
            invitation ? "call ResendInvitation later"
                       : "register again later")),
        reason::kMailUnavailable);
  }
  return sent;
}

absl::StatusOr<domain::User> Onboarding::Invite(const Caller& caller,
                                                 const InviteInput& in) {
  absl::Status valid =
      ValidateNewcomer(in.organization_id, in.email, in.display_name);
  if (!valid.ok()) return valid;
  absl::Status allowed =
      Check(op::kInviteUser, *caller.principal,
            Target{in.organization_id, "", AnyGlobal({in.primary_role})});
  if (!allowed.ok()) return allowed;
  absl::StatusOr<domain::Organization> org =
      d_.store->GetOrganization(in.organization_id);
  if (!org.ok()) return org.status();
  if (absl::Status ready = d_.mailer->Ready(); !ready.ok()) return ready;
  absl::Status grantable =
      d_.catalog->CheckGrantable("primary_role", *caller.principal,
                                 in.organization_id, in.primary_role,
                                 RoleUse::kPrimary);
  if (!grantable.ok()) return grantable;
  absl::StatusOr<domain::User> user = d_.store->CreateUser(
      PendingUser(in.organization_id, in.email, in.display_name,
                  in.primary_role),
      MakeAudit(caller, "user.invite", "user", "", in.organization_id,
                     {{"email", in.email}, {"primary_role", in.primary_role}}));
  if (!user.ok()) return user.status();
  absl::Status mailed =
      IssueAndMail(caller, *user, domain::TokenPurpose::kInvitation);
  if (!mailed.ok()) return mailed;
  return user;
}

absl::StatusOr<domain::User> Onboarding::Resend(const Caller& caller,
                                                 absl::string_view user_id) {
  absl::Status valid = ValidateId("user_id", user_id);
  if (!valid.ok()) return valid;
  absl::StatusOr<domain::User> user = d_.store->GetUser(user_id);
  if (!user.ok()) return user.status();
  absl::Status allowed = Check(op::kResendInvitation, *caller.principal,
                               TargetFor(*user));
  if (!allowed.ok()) return allowed;
  absl::Status internal = RequireInternal(*user, "invite");
  if (!internal.ok()) return internal;
  if (!user->pending) {
    return absl::FailedPreconditionError(
        "the user has already accepted its invitation");
  }
  if (absl::Status ready = d_.mailer->Ready(); !ready.ok()) return ready;
  absl::Status mailed =
      IssueAndMail(caller, *user, domain::TokenPurpose::kInvitation);
  if (!mailed.ok()) return mailed;
  return user;
}

absl::StatusOr<domain::User> Onboarding::Accept(const Caller& caller,
                                                 absl::string_view token,
                                                 absl::string_view password) {
  absl::StatusOr<std::string> digest = TokenDigest(token);
  if (!digest.ok()) return digest.status();
  const auto purpose = domain::TokenPurpose::kInvitation;
  absl::StatusOr<domain::User> user = d_.store->PeekUserToken(*digest, purpose);
  if (!user.ok()) return TokenError(user.status(), purpose);
  absl::StatusOr<domain::Organization> org =
      d_.store->GetOrganization(user->organization_id);
  if (!org.ok()) return org.status();
  absl::Status complies =
      CheckPassword(PasswordPolicy::For(org->settings.password, floor_),
                    "password", password, user->username, user->email);
  if (!complies.ok()) return complies;
  absl::StatusOr<std::string> hash = d_.hasher->Hash(password);
  if (!hash.ok()) return hash.status();
  absl::StatusOr<domain::User> accepted = d_.store->RedeemUserToken(
      *digest, purpose, *hash, MakeAudit(caller, "invitation.accept", "user", "", ""));
  if (!accepted.ok()) return TokenError(accepted.status(), purpose);
  return accepted;
}

absl::StatusOr<domain::User> Onboarding::Register(const Caller& caller,
                                                   const RegisterInput& in) {
  absl::Status valid =
      ValidateNewcomer(in.organization_id, in.email, in.display_name);
  if (!valid.ok()) return valid;
  absl::StatusOr<domain::Organization> org =
      d_.store->GetOrganization(in.organization_id);
  if (!org.ok()) return org.status();
  if (!org->settings.self_registration_enabled) {
    return absl::FailedPreconditionError(
        "self-registration is not enabled for this organization");
  }
  if (absl::Status ready = d_.mailer->Ready(); !ready.ok()) return ready;
  absl::Status complies =
      CheckPassword(PasswordPolicy::For(org->settings.password, floor_),
                    "password", in.password, in.email, in.email);
  if (!complies.ok()) return complies;
  absl::StatusOr<std::string> hash = d_.hasher->Hash(in.password);
  if (!hash.ok()) return hash.status();
  storage::NewUser row = PendingUser(in.organization_id, in.email,
                                     in.display_name, std::string(kBasicUser));
  row.password_hash = *hash;
  // Holds the address no longer than its link lives; an earlier pending
  // registration of the address is replaced (the store does it).
  row.registration_expires_at = absl::Now() + options_.verification_lifetime;
  absl::StatusOr<domain::User> user = d_.store->CreateUser(
      row, MakeAudit(caller, "user.register", "user", "", in.organization_id,
                     {{"email", in.email}}));
  if (!user.ok()) return user.status();
  absl::Status mailed =
      IssueAndMail(caller, *user, domain::TokenPurpose::kEmailVerification);
  if (!mailed.ok()) return mailed;
  return user;
}

absl::StatusOr<domain::User> Onboarding::VerifyEmail(const Caller& caller,
                                                      absl::string_view token) {
  absl::StatusOr<std::string> digest = TokenDigest(token);
  if (!digest.ok()) return digest.status();
  const auto purpose = domain::TokenPurpose::kEmailVerification;
  absl::StatusOr<domain::User> user = d_.store->RedeemUserToken(
      *digest, purpose, "", MakeAudit(caller, "user.verify_email", "user", "", ""));
  if (!user.ok()) return TokenError(user.status(), purpose);
  return user;
}

absl::StatusOr<domain::User> Onboarding::AcceptTerms(const Caller& caller,
                                                      absl::string_view version) {
  const Principal& p = *caller.principal;
  absl::StatusOr<domain::Organization> org =
      d_.store->GetOrganization(p.user.organization_id);
  if (!org.ok()) return org.status();
  const std::string& current = org->settings.terms_of_use_version;
  if (current.empty()) {
    return absl::FailedPreconditionError(
        "the organization has no Terms of Use to accept");
  }
  if (version != current) {
    return absl::FailedPreconditionError(absl::StrCat(
        "version: the current Terms of Use version is '", current, "'"));
  }
  return d_.store->AcceptTerms(
      p.user.id, version,
      MakeAudit(caller, "user.accept_terms", "user", p.user.id,
                p.user.organization_id, {{"version", version}}));
}

}  // namespace identity
