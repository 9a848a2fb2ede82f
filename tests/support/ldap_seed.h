// The directory the LDAP tests share: a service account, users in nested
// OUs, and two entries with the same uid.
#ifndef IDENTITY_TESTS_SUPPORT_LDAP_SEED_H_
#define IDENTITY_TESTS_SUPPORT_LDAP_SEED_H_

namespace identity::testing {

inline constexpr char kLdapSeed[] = R"(dn: dc=example,dc=com
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: cn=reader,dc=example,dc=com
objectClass: simpleSecurityObject
objectClass: organizationalRole
cn: reader
userPassword: reader-secret

dn: ou=people,dc=example,dc=com
objectClass: organizationalUnit
ou: people

dn: ou=eng,ou=people,dc=example,dc=com
objectClass: organizationalUnit
ou: eng

dn: uid=alice,ou=eng,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: alice
cn: Alice Liddell
sn: Liddell
mail: alice@example.com
userPassword: alice-password

dn: uid=admin,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: admin
cn: Directory Admin
sn: Admin
userPassword: admin-password

dn: uid=twin,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: twin
cn: Twin One
sn: One
userPassword: twin-password

dn: uid=twin,ou=eng,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: twin
cn: Twin Two
sn: Two
userPassword: twin-password
)";

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_SUPPORT_LDAP_SEED_H_
