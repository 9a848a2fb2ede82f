#include "providers/ldap/ldap_account.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "providers/ldap/ldap_filter.h"

namespace identity::ldap {
namespace {

constexpr int64_t kAccountDisable = 0x2;
// Windows FILETIME: 100 ns ticks since 1601-01-01; 0 and the largest value
// mean "never".
constexpr int64_t kFileTimeNever = 0x7FFFFFFFFFFFFFFF;
constexpr int64_t kFileTimeUnixEpoch = 116444736000000000;

const std::string* First(const Entry& entry, absl::string_view attribute) {
  auto it = entry.attributes.find(absl::AsciiStrToLower(attribute));
  if (it == entry.attributes.end() || it->second.empty()) return nullptr;
  return &it->second.front();
}

std::optional<int64_t> Number(const Entry& entry, absl::string_view attribute) {
  const std::string* text = First(entry, attribute);
  int64_t value = 0;
  if (text == nullptr || !absl::SimpleAtoi(*text, &value)) return std::nullopt;
  return value;
}

std::optional<absl::Time> FromFileTime(int64_t ticks) {
  if (ticks <= 0 || ticks == kFileTimeNever) return std::nullopt;
  return absl::FromUnixMicros((ticks - kFileTimeUnixEpoch) / 10);
}

bool IsGuid(absl::string_view attribute) {
  return absl::EqualsIgnoreCase(attribute, "objectGUID");
}

// GUID byte order: the first three fields little-endian, the rest as is.
constexpr int kGuidOrder[16] = {3, 2, 1,  0,  5,  4,  7,  6,
                                8, 9, 10, 11, 12, 13, 14, 15};

}  // namespace

const char* RefusalReason(AccountState state) {
  switch (state) {
    case AccountState::kActive:
      return "";
    case AccountState::kDisabled:
      return "disabled_in_directory";
    case AccountState::kExpired:
      return "expired_in_directory";
    case AccountState::kLocked:
      return "locked_in_directory";
    case AccountState::kPasswordChangeRequired:
      return "password_change_required_in_directory";
  }
  return "";
}

const char* DescribeState(AccountState state) {
  switch (state) {
    case AccountState::kActive:
      return "active";
    case AccountState::kDisabled:
      return "the account is disabled or locked in the directory";
    case AccountState::kExpired:
      return "the account has expired in the directory";
    case AccountState::kLocked:
      return "the account is locked out in the directory (too many wrong "
             "passwords there)";
    case AccountState::kPasswordChangeRequired:
      return "the directory requires a password change before the next login";
  }
  return "";
}

bool DisablesLocalUser(AccountState state) {
  return state == AccountState::kDisabled || state == AccountState::kExpired;
}

std::string StableId(const Entry& entry, const std::string& attribute) {
  if (attribute.empty()) return "";
  const std::string* raw = First(entry, attribute);
  if (raw == nullptr) return "";
  if (!IsGuid(attribute)) return *raw;
  if (raw->size() != 16) return "";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    absl::StrAppendFormat(&out, "%02x",
                          static_cast<unsigned char>((*raw)[kGuidOrder[i]]));
  }
  return out;
}

std::string StableIdFilter(const std::string& attribute,
                           const std::string& stored) {
  if (attribute.empty() || stored.empty()) return "";
  if (!IsGuid(attribute)) {
    return absl::StrCat("(", attribute, "=", EscapeFilterValue(stored), ")");
  }
  std::string hex;
  for (char c : stored) {
    if (c != '-') hex += c;
  }
  if (hex.size() != 32) return "";
  std::string bytes(16, '\0');
  for (int i = 0; i < 16; ++i) {
    int value = 0;
    if (!absl::SimpleHexAtoi(hex.substr(2 * i, 2), &value)) return "";
    bytes[kGuidOrder[i]] = static_cast<char>(value);
  }
  return absl::StrCat("(", attribute, "=", EscapeFilterValue(bytes), ")");
}

AccountState EntryState(const Entry& entry, absl::Time now) {
  if (std::optional<int64_t> uac = Number(entry, "userAccountControl");
      uac && (*uac & kAccountDisable) != 0) {
    return AccountState::kDisabled;
  }
  if (std::optional<int64_t> expires = Number(entry, "accountExpires")) {
    std::optional<absl::Time> at = FromFileTime(*expires);
    if (at && *at <= now) return AccountState::kExpired;
  }
  return AccountState::kActive;
}

std::optional<absl::Time> LockedSince(const Entry& entry) {
  std::optional<int64_t> ticks = Number(entry, "lockoutTime");
  if (!ticks) return std::nullopt;
  return FromFileTime(*ticks);
}

std::optional<AccountState> BindDiagnosticState(absl::string_view diagnostic) {
  // "80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext
  // error, data 533, v4563"; 532 (password expired) is left to the user.
  static constexpr struct {
    const char* code;
    AccountState state;
  } kCodes[] = {{"data 533", AccountState::kDisabled},
                {"data 701", AccountState::kExpired},
                {"data 773", AccountState::kPasswordChangeRequired},
                {"data 775", AccountState::kLocked}};
  for (const auto& c : kCodes) {
    if (absl::StrContains(diagnostic, c.code)) return c.state;
  }
  return std::nullopt;
}

}  // namespace identity::ldap
