// The capabilities an identity provider can have. A provider implements
// those it has and is listed once in provider_registry.cc; the use cases
// (SessionManager for logins, the provisioner for local users, the
// directory sync) talk to these interfaces only, so adding a provider
// touches no handler and no use case.
//
// A wrong password is a value (kRejected), not an error: errors are for
// failures of the provider itself (UNAVAILABLE when it cannot be reached).
#ifndef IDENTITY_APPLICATION_IDENTITY_PROVIDERS_IDENTITY_PROVIDER_H_
#define IDENTITY_APPLICATION_IDENTITY_PROVIDERS_IDENTITY_PROVIDER_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/records.h"

namespace identity {

// A person as a provider describes them: stable id, username, email,
// display name, roles mapped from the provider's groups, and whether the
// provider lets them in at all.
using ExternalIdentity = domain::ExternalUser;

// One password login, as the provider sees it.
struct PasswordAttempt {
  // The organization whose provider judges: the known user's, or the one
  // the caller named (or whose login domain the username carries).
  std::string organization_id;
  absl::string_view username;  // as typed
  absl::string_view password;
  // The local user, or null for a name not known here yet (only providers
  // that provision at first login are asked then).
  const domain::UserCredentials* known = nullptr;
};

struct PasswordVerdict {
  enum class Kind {
    kAccepted,  // the password is right
    kRejected,  // the password is wrong: counts toward the lockout
    kRefused,   // the provider refuses the account whatever the password
  };
  Kind kind = Kind::kRejected;
  // kAccepted by a provider that describes its users: who they are now
  // (provisioned or refreshed by the provisioner). Absent when the local
  // user is the identity (internal).
  std::optional<ExternalIdentity> identity;
  // The answer is about the known user's stored link (not about whatever
  // the typed name found), so it may change that user.
  bool about_known = false;
  // kRejected / kRefused: for the audit log ("wrong_password", ...).
  std::string reason;
  // kRefused: a lasting word on the entry's own state (gone, disabled or
  // expired at the provider) that disables its local user until the
  // provider says otherwise. `identity` then names the entry when known.
  bool disables_local_user = false;
};

class PasswordProvider {
 public:
  virtual ~PasswordProvider() = default;
  // Short lower-case name for logs, metrics and messages ("internal").
  virtual absl::string_view name() const = 0;
  // True when a guess is passed on to another system (a directory): a
  // locked account's guesses then stop here, or they would go on counting
  // against the person's account there.
  virtual bool ForwardsGuesses() const { return false; }
  // True when the provider may vouch for names not known here yet (and so
  // provision users at their first login).
  virtual bool ProvisionsAtLogin() const { return false; }
  // NOT_FOUND when the organization has no such provider configured.
  virtual absl::StatusOr<PasswordVerdict> CheckPassword(
      const PasswordAttempt& attempt) = 0;
  virtual absl::Status Health() { return absl::OkStatus(); }
};

// A redirect to the provider and back (SAML).
struct RedirectStart {
  std::string redirect_url;
  std::string relay_state;
};

struct RedirectVerdict {
  bool accepted = false;
  ExternalIdentity identity;  // accepted: who the provider vouched for
  std::string username;       // refused: the name it carried, if any
  std::string reason;         // refused: for the audit log
};

class RedirectProvider {
 public:
  virtual ~RedirectProvider() = default;
  virtual absl::string_view name() const = 0;
  // NOT_FOUND for an organization without this provider.
  virtual absl::StatusOr<RedirectStart> Begin(absl::string_view organization,
                                              absl::string_view return_url) = 0;
  // A refused answer is a value with its reason; errors are the service's
  // own failures (and INVALID_ARGUMENT for a malformed request).
  virtual absl::StatusOr<RedirectVerdict> Complete(
      const std::string& response, const std::string& relay_state) = 0;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_IDENTITY_PROVIDERS_IDENTITY_PROVIDER_H_
