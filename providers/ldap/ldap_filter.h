// LDAP search filters built from untrusted input (RFC 4515).
#ifndef IDENTITY_PROVIDERS_LDAP_LDAP_FILTER_H_
#define IDENTITY_PROVIDERS_LDAP_LDAP_FILTER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace identity::ldap {

// Escapes a value for use inside a filter: '*', '(', ')', '\' and NUL (and
// any byte outside printable ASCII) become \XX, so a username can never
// change the filter's structure.
std::string EscapeFilterValue(absl::string_view value);

// Replaces every "{username}" in `filter_template` (e.g. "(uid={username})")
// with the escaped username. INVALID_ARGUMENT for a template without the
// placeholder or not enclosed in parentheses.
absl::StatusOr<std::string> UserFilter(absl::string_view filter_template,
                                       absl::string_view username);

// The filter with "{username}" replaced by "*": every entry a login could
// find, for a sync. Same errors as UserFilter.
absl::StatusOr<std::string> AnyUserFilter(absl::string_view filter_template);

}  // namespace identity::ldap

#endif  // IDENTITY_PROVIDERS_LDAP_LDAP_FILTER_H_
