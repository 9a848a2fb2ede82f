#include "providers/internal/internal_provider.h"

#include "common/log.h"

namespace identity {

namespace {

PasswordVerdict Judged(bool right) {
  PasswordVerdict v;
  v.kind = right ? PasswordVerdict::Kind::kAccepted
                 : PasswordVerdict::Kind::kRejected;
  if (!right) v.reason = "wrong_password";
  v.about_known = true;
  return v;
}

}  // namespace

absl::StatusOr<PasswordVerdict> InternalProvider::CheckPassword(
    const PasswordAttempt& attempt) {
  if (attempt.known == nullptr) return absl::NotFoundError("unknown user");
  const domain::UserCredentials& user = *attempt.known;
  const absl::string_view password = attempt.password;
  if (user.password_hash.empty()) {
    // An internal user without a password (never set): same cost, no match.
    absl::Status s = hasher_->VerifyDummy(password);
    if (!s.ok()) return s;
    return Judged(false);
  }
  absl::StatusOr<bool> match = hasher_->Verify(user.password_hash, password);
  if (!match.ok()) return match.status();
  if (!*match) return Judged(false);
  if (hasher_->NeedsRehash(user.password_hash)) {
    // Parameters were raised since this hash was made: upgrade it now that
    // the plain password is at hand. A failure here does not fail the login.
    absl::StatusOr<std::string> fresh = hasher_->Hash(password);
    if (fresh.ok()) {
      absl::Status s =
          store_->RehashPassword(user.user.id, user.password_hash, *fresh);
      if (!s.ok()) log::Warn("password.rehash_failed", {{"user_id", user.user.id}});
    }
  }
  return Judged(true);
}

}  // namespace identity
