#include "providers/ldap/ldap_entry.h"

#include <ldap.h>

#include "absl/strings/ascii.h"

namespace identity::ldap {

void FreeMessage::operator()(LDAPMessage* m) const { ldap_msgfree(m); }
void FreeControls::operator()(LDAPControl** c) const { ldap_controls_free(c); }

Entry ReadEntry(LDAP* ld, LDAPMessage* msg) {
  Entry entry;
  if (char* dn = ldap_get_dn(ld, msg)) {
    entry.dn = dn;
    ldap_memfree(dn);
  }
  BerElement* ber = nullptr;
  for (char* attr = ldap_first_attribute(ld, msg, &ber); attr != nullptr;
       attr = ldap_next_attribute(ld, msg, ber)) {
    berval** values = ldap_get_values_len(ld, msg, attr);
    std::vector<std::string>& out = entry.attributes[absl::AsciiStrToLower(attr)];
    for (int i = 0; values != nullptr && values[i] != nullptr; ++i) {
      out.emplace_back(values[i]->bv_val, values[i]->bv_len);
    }
    ldap_value_free_len(values);
    ldap_memfree(attr);
  }
  if (ber != nullptr) ber_free(ber, 0);
  return entry;
}

}  // namespace identity::ldap
