#include "providers/ldap/ldap_filter.h"

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace identity::ldap {

std::string EscapeFilterValue(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    if (c == '*' || c == '(' || c == ')' || c == '\\' || c < 0x20 ||
        c >= 0x7f) {
      // UTF-8 bytes are escaped too: harmless to the server, and the filter
      // stays plain ASCII.
      out += absl::StrFormat("\\%02x", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

namespace {

absl::Status CheckTemplate(absl::string_view filter_template) {
  if (!absl::StrContains(filter_template, "{username}")) {
    return absl::InvalidArgumentError(
        "user_filter: must contain {username}, e.g. (uid={username})");
  }
  if (!absl::StartsWith(filter_template, "(") ||
      !absl::EndsWith(filter_template, ")")) {
    return absl::InvalidArgumentError(
        "user_filter: must be enclosed in parentheses, e.g. "
        "(&(objectClass=person)(uid={username}))");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> UserFilter(absl::string_view filter_template,
                                       absl::string_view username) {
  absl::Status valid = CheckTemplate(filter_template);
  if (!valid.ok()) return valid;
  return absl::StrReplaceAll(filter_template,
                             {{"{username}", EscapeFilterValue(username)}});
}

absl::StatusOr<std::string> AnyUserFilter(absl::string_view filter_template) {
  absl::Status valid = CheckTemplate(filter_template);
  if (!valid.ok()) return valid;
  return absl::StrReplaceAll(filter_template, {{"{username}", "*"}});
}

}  // namespace identity::ldap
