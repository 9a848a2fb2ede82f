#include "domain/password_policy.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/error_info.h"

namespace identity {
namespace {

int CodePoints(absl::string_view s) {
  int n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool Any(absl::string_view s, int (*pred)(int)) {
  for (unsigned char c : s) {
    if (pred(c)) return true;
  }
  return false;
}

int IsSymbol(int c) { return c < 0x80 && std::ispunct(c); }

}  // namespace

PasswordPolicy PasswordPolicy::For(
    const domain::PasswordPolicySettings& settings,
    const PasswordPolicy& floor) {
  PasswordPolicy p = floor;
  p.min_length = std::max(floor.min_length, settings.min_length);
  p.require_upper = floor.require_upper || settings.require_upper;
  p.require_lower = floor.require_lower || settings.require_lower;
  p.require_digit = floor.require_digit || settings.require_digit;
  p.require_symbol = floor.require_symbol || settings.require_symbol;
  p.history_size = std::max(floor.history_size, settings.history_size);
  return p;
}

absl::Status CheckPassword(const PasswordPolicy& policy,
                           absl::string_view field, absl::string_view password,
                           absl::string_view username,
                           absl::string_view email) {
  if (password.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  if (static_cast<int>(password.size()) > policy.max_bytes) {
    return WithReason(
        absl::InvalidArgumentError(absl::StrCat(field, ": must be at most ",
                                                policy.max_bytes, " bytes")),
        reason::kPasswordPolicy, {{"field", field}});
  }
  if (password.find('\0') != absl::string_view::npos) {
    return WithReason(absl::InvalidArgumentError(absl::StrCat(
                          field, ": must not contain NUL characters")),
                      reason::kPasswordPolicy, {{"field", field}});
  }
  if (CodePoints(password) < policy.min_length) {
    return WithReason(absl::InvalidArgumentError(
                          absl::StrCat(field, ": must be at least ",
                                       policy.min_length, " characters long")),
                      reason::kPasswordPolicy, {{"field", field}});
  }
  struct Class {
    bool required;
    int (*pred)(int);
    const char* name;
  };
  for (const Class& c : {Class{policy.require_upper, ::isupper, "an upper-case letter"},
                         Class{policy.require_lower, ::islower, "a lower-case letter"},
                         Class{policy.require_digit, ::isdigit, "a digit"},
                         Class{policy.require_symbol, IsSymbol, "a symbol"}}) {
    if (c.required && !Any(password, c.pred)) {
      return WithReason(absl::InvalidArgumentError(
                            absl::StrCat(field, ": must contain ", c.name)),
                        reason::kPasswordPolicy, {{"field", field}});
    }
  }
  if (absl::EqualsIgnoreCase(password, username) ||
      (!email.empty() && absl::EqualsIgnoreCase(password, email))) {
    return WithReason(absl::InvalidArgumentError(absl::StrCat(
                          field, ": must not equal the username or email")),
                      reason::kPasswordPolicy, {{"field", field}});
  }
  return absl::OkStatus();
}

std::string GeneratePassword(const PasswordPolicy& policy) {
  constexpr absl::string_view kClasses[] = {
      "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789",
      "!#$%&*+-=?@^_~"};
  const size_t length = std::max(20, policy.min_length);
  const std::string all = absl::StrCat(kClasses[0], kClasses[1], kClasses[2],
                                       kClasses[3]);
  std::string out;
  for (absl::string_view cls : kClasses) {
    out += cls[crypto::RandomUniform(cls.size())];
  }
  while (out.size() < length) out += all[crypto::RandomUniform(all.size())];
  // Fisher-Yates, so the guaranteed classes are not always up front.
  for (size_t i = out.size() - 1; i > 0; --i) {
    std::swap(out[i], out[crypto::RandomUniform(static_cast<uint32_t>(i + 1))]);
  }
  return out;
}

}  // namespace identity
