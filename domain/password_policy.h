// What a password must look like, and generation of ones that comply.
#ifndef IDENTITY_DOMAIN_PASSWORD_POLICY_H_
#define IDENTITY_DOMAIN_PASSWORD_POLICY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "domain/records.h"

namespace identity {

struct PasswordPolicy {
  int min_length = 12;   // characters (UTF-8 code points)
  int max_bytes = 1024;  // bounds hashing work per request
  bool require_upper = false;
  bool require_lower = false;
  bool require_digit = false;
  bool require_symbol = false;
  int history_size = 0;  // previous passwords a new one must differ from

  // An organization's policy, never weaker than the server's `floor`.
  static PasswordPolicy For(const domain::PasswordPolicySettings& settings,
                            const PasswordPolicy& floor);
};

// INVALID_ARGUMENT naming `field` and what to fix. The password itself never
// appears in the message.
absl::Status CheckPassword(const PasswordPolicy& policy,
                           absl::string_view field, absl::string_view password,
                           absl::string_view username,
                           absl::string_view email);

// Random characters (20, or the policy's minimum if longer) with upper,
// lower, digit and symbol each present: satisfies every policy.
std::string GeneratePassword(const PasswordPolicy& policy = {});

}  // namespace identity

#endif  // IDENTITY_DOMAIN_PASSWORD_POLICY_H_
