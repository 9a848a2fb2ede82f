#include "identity/internal/internal_provider.h"

#include "common/log.h"

namespace identity {

absl::StatusOr<PasswordAuthenticatorPtr> InternalProvider::Create(
    const ProviderDeps& deps) {
  return std::make_unique<InternalProvider>(deps.store, deps.hasher);
}

absl::StatusOr<Verdict> InternalProvider::Authenticate(
    const storage::UserCredentials& user, absl::string_view password) {
  if (user.password_hash.empty()) {
    // An internal user without a password (never set): same cost, no match.
    absl::Status s = hasher_->VerifyDummy(password);
    if (!s.ok()) return s;
    return Verdict::kRejected;
  }
  absl::StatusOr<bool> match = hasher_->Verify(user.password_hash, password);
  if (!match.ok()) return match.status();
  if (!*match) return Verdict::kRejected;
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
  return Verdict::kAccepted;
}

}  // namespace identity
