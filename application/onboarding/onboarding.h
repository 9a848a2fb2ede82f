// How users arrive: invitations by an admin, self-registration with email
// verification, and acceptance of the organization's Terms of Use.
#ifndef IDENTITY_APPLICATION_ONBOARDING_ONBOARDING_H_
#define IDENTITY_APPLICATION_ONBOARDING_ONBOARDING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "application/mailer.h"
#include "application/users/password_hasher.h"
#include "domain/password_policy.h"
#include "domain/principal.h"
#include "application/organizations/role_catalog.h"
#include "storage/store.h"

namespace identity {

struct OnboardingOptions {
  std::string public_url = "http://localhost:8080";  // base of mailed links
  absl::Duration invitation_lifetime = absl::Hours(72);
  // Also how long a pending self-registration holds its address.
  absl::Duration verification_lifetime = absl::Hours(24);
};

struct InviteInput {
  std::string organization_id;
  std::string email;
  std::string display_name;
  std::string primary_role;
};

struct RegisterInput {
  std::string organization_id;
  std::string email;
  std::string display_name;
  std::string password;
};

class Onboarding {
 public:
  struct Deps {
    storage::Store* store;
    PasswordHasher* hasher;
    RoleCatalog* catalog;
    Mailer* mailer;
  };
  Onboarding(OnboardingOptions options, Deps deps, PasswordPolicy floor)
      : options_(std::move(options)), d_(deps), floor_(floor) {}

  // Creates a pending INTERNAL user (username = email) and mails a
  // single-use link. UNAVAILABLE when the mail fails (the user stays
  // pending; ResendInvitation sends a new link).
  absl::StatusOr<domain::User> Invite(const Caller& caller,
                                       const InviteInput& in);
  // Voids earlier links and mails a new one; allowed while pending.
  absl::StatusOr<domain::User> Resend(const Caller& caller,
                                       absl::string_view user_id);
  // NOT_FOUND for an unknown, used or replaced token; FAILED_PRECONDITION
  // for an expired one. Neither deletes the user or blocks a resend.
  absl::StatusOr<domain::User> Accept(const Caller& caller,
                                       absl::string_view token,
                                       absl::string_view password);
  // When the organization allows it: a pending BASIC_USER with the given
  // password, active once the mailed link is followed (VerifyEmail). Until
  // then it replaces, and is replaced by, any later claim on the address;
  // RegistrationPurge deletes it once the link has expired.
  absl::StatusOr<domain::User> Register(const Caller& caller,
                                         const RegisterInput& in);
  absl::StatusOr<domain::User> VerifyEmail(const Caller& caller,
                                            absl::string_view token);
  // `version` must be the organization's current Terms of Use version.
  absl::StatusOr<domain::User> AcceptTerms(const Caller& caller,
                                            absl::string_view version);

 private:
  // Issues a token of `purpose` for `user` and mails its link.
  absl::Status IssueAndMail(const Caller& caller, const domain::User& user,
                            domain::TokenPurpose purpose);
  absl::StatusOr<std::string> TokenDigest(absl::string_view token);

  const OnboardingOptions options_;
  const Deps d_;
  const PasswordPolicy floor_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_ONBOARDING_ONBOARDING_H_
