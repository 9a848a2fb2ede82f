// Login names go into LDAP filters: whatever the name, the escaped value
// must hold no character that could change the filter's structure.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "providers/ldap/ldap_filter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view name(reinterpret_cast<const char*>(data), size);
  const std::string escaped = identity::ldap::EscapeFilterValue(name);
  for (char c : escaped) {
    if (c == '*' || c == '(' || c == ')' || c == '\0') std::abort();
  }
  auto filter = identity::ldap::UserFilter("(&(objectClass=person)(uid={username}))", name);
  if (!filter.ok()) std::abort();
  // The structure is the template's: exactly its parentheses.
  int open = 0, close = 0;
  for (char c : *filter) {
    open += c == '(';
    close += c == ')';
  }
  if (open != 3 || close != 3) std::abort();
  // Templates are administrator input: any bytes give a filter or an error.
  (void)identity::ldap::UserFilter(name, "alice");
  (void)identity::ldap::AnyUserFilter(name);
  return 0;
}
