// TOTP second factor (RFC 6238 through liboath): enrollment, confirmation
// with one-time recovery codes, verification without replays, removal.
#ifndef IDENTITY_APPLICATION_SESSIONS_TOTP_H_
#define IDENTITY_APPLICATION_SESSIONS_TOTP_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/secret_box.h"
#include "application/sessions/login_failures.h"
#include "domain/principal.h"
#include "storage/store.h"

namespace identity {

struct TotpEnrollment {
  std::string secret;  // base32, for manual entry
  std::string uri;     // otpauth://totp/... for QR codes
};

class TotpManager {
 public:
  // Call liboath's oath_init() once per process before using this.
  // `failures` counts wrong codes given to Disable toward the lockout.
  TotpManager(storage::Store* store, const SecretBox* box, std::string issuer,
              LoginFailures* failures)
      : store_(store), box_(box), issuer_(std::move(issuer)),
        failures_(failures) {}

  // A new seed for the caller; replaces an unconfirmed one.
  absl::StatusOr<TotpEnrollment> Enroll(const Caller& caller);
  // Activates the seed with a current code; returns 10 recovery codes, shown
  // once.
  absl::StatusOr<std::vector<std::string>> Confirm(const Caller& caller,
                                                   absl::string_view code);
  // The caller's own (with a current or recovery code; a wrong one counts
  // toward the lockout like a wrong login code, and a locked account cannot
  // disable its second factor), or, for an admin, another user's (a lost
  // device).
  absl::Status Disable(const Caller& caller, absl::string_view user_id,
                       absl::string_view code);
  // OK(true) for a current code not used before, or an unused recovery
  // code; either is then used up.
  absl::StatusOr<bool> Verify(const domain::User& user, absl::string_view code);

 private:
  // The time step `code` is valid at for `seed` (window of one step either
  // side), or nullopt.
  std::optional<int64_t> StepOf(const std::string& seed,
                                absl::string_view code) const;

  storage::Store* store_;
  const SecretBox* box_;
  const std::string issuer_;
  LoginFailures* failures_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_SESSIONS_TOTP_H_
