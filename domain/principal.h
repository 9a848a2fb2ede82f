// Who is calling: the user behind a credential and what it may do.
#ifndef IDENTITY_DOMAIN_PRINCIPAL_H_
#define IDENTITY_DOMAIN_PRINCIPAL_H_

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/memo.h"
#include "domain/records.h"

namespace identity {

struct Principal {
  domain::User user;
  std::string session_id;  // set when the credential is a session token
  std::string api_key_id;  // set when the credential is an API key
  absl::Time expires_at;   // InfiniteFuture for a key that does not expire
  std::vector<std::string> roles;        // primary first
  std::vector<std::string> permissions;  // sorted
  // For an API key with a scope: everything its owner holds (sorted), which
  // tells a permission the scope left out from one the owner lacks too.
  // Empty otherwise (without a scope, `permissions` is the owner's).
  std::vector<std::string> owner_permissions;
  bool global = false;                   // holds a global role
  // Pending steps such as kChangePassword; while any is pending the
  // credential reaches only the RPCs that complete them.
  std::vector<std::string> required_actions;
  // This principal as the API encodes it, made by the API layer on its
  // first answer and reused by every answer of the same shared principal
  // (one per cached credential), since a shared principal never changes.
  Memo<std::string> encoded;

  bool Has(absl::string_view permission) const {
    return std::binary_search(permissions.begin(), permissions.end(),
                              permission);
  }
  // Whether the key's owner holds `permission` though the key's scope does
  // not (always false for a credential without a scope).
  bool OnlyOwnerHas(absl::string_view permission) const {
    return !Has(permission) &&
           std::binary_search(owner_permissions.begin(),
                              owner_permissions.end(), permission);
  }
};

// A principal built once and shared by the calls it answers.
using SharedPrincipal = std::shared_ptr<const Principal>;

// Where a call comes from, as the audit log and sessions record it, for a
// transport that learns it only when first asked: reading it costs
// allocations that the calls which never record it (validations answered
// from memory) should not pay.
class PeerSource {
 public:
  virtual const std::string& Peer() const = 0;

 protected:
  ~PeerSource() = default;
};

// The caller of one operation: its principal (null when anonymous) and the
// peer address, for authorization and the audit log.
class Caller {
 public:
  Caller() = default;
  Caller(const Principal* principal, std::string peer)
      : principal(principal), peer_(std::move(peer)) {}
  // A caller whose peer `source` gives, on first reading; `source` must
  // outlive this caller, but not its copies.
  Caller(const Principal* principal, const PeerSource* source)
      : principal(principal), source_(source) {}
  // A copy holds its peer: it may outlive the source (a login handed on).
  Caller(const Caller& other)
      : principal(other.principal), peer_(other.peer()) {}
  Caller& operator=(const Caller& other) {
    principal = other.principal;
    peer_ = other.peer();
    source_ = nullptr;
    return *this;
  }

  const std::string& peer() const {
    return source_ != nullptr ? source_->Peer() : peer_;
  }

  // Null when anonymous. Public as before: the services set it once the
  // credential validates.
  const Principal* principal = nullptr;

 private:
  std::string peer_;
  const PeerSource* source_ = nullptr;
};

inline constexpr char kChangePassword[] = "CHANGE_PASSWORD";
inline constexpr char kAcceptTermsOfUse[] = "ACCEPT_TERMS_OF_USE";
inline constexpr char kEnrollTotp[] = "ENROLL_TOTP";

// What an organization asks of its users' sessions.
struct SessionRequirements {
  int password_max_age_days = 0;
  std::string terms_of_use_version;
  bool require_totp = false;
};

// The steps `user` must take before its session grants anything else.
std::vector<std::string> RequiredActions(const domain::User& user,
                                         const SessionRequirements& org,
                                         absl::Time now);

// True when `user`'s password is older than `max_age_days` (0: never).
bool PasswordExpired(const domain::User& user, int max_age_days,
                     absl::Time now);

// Builds the principal of `user` from its current roles.
Principal PrincipalFor(const domain::User& user);

// Narrows `owner`'s principal to an API key's `scope` (sorted; empty: the
// key may do all its owner may), keeping what the owner holds for refusals
// to name the scope as the reason.
Principal ScopedToKey(Principal owner, const std::vector<std::string>& scope);

}  // namespace identity

#endif  // IDENTITY_DOMAIN_PRINCIPAL_H_
