// A directory entry as read from a search result.
#ifndef IDENTITY_PROVIDERS_LDAP_LDAP_ENTRY_H_
#define IDENTITY_PROVIDERS_LDAP_LDAP_ENTRY_H_

#include <map>
#include <string>
#include <vector>

typedef struct ldap LDAP;
typedef struct ldapmsg LDAPMessage;
typedef struct ldapcontrol LDAPControl;

namespace identity::ldap {

struct Entry {
  std::string dn;
  std::map<std::string, std::vector<std::string>> attributes;  // lower-case names
};

// Reads the entry `msg` of a search result.
Entry ReadEntry(LDAP* ld, LDAPMessage* msg);

// Frees a search result (for std::unique_ptr).
struct FreeMessage {
  void operator()(LDAPMessage* m) const;
};
// Frees a result's controls (for std::unique_ptr<LDAPControl*, ...>).
struct FreeControls {
  void operator()(LDAPControl** c) const;
};

}  // namespace identity::ldap

#endif  // IDENTITY_PROVIDERS_LDAP_LDAP_ENTRY_H_
