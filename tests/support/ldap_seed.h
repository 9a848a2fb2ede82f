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

dn: ou=policies,dc=example,dc=com
objectClass: organizationalUnit
ou: policies

dn: cn=default,ou=policies,dc=example,dc=com
objectClass: organizationalRole
objectClass: pwdPolicy
cn: default
pwdAttribute: userPassword
pwdLockout: TRUE

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

dn: uid=carol,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: carol
cn: Carol Internal
sn: Internal
mail: carol@example.com
userPassword: carol-password

dn: uid=dave,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: dave
cn: Dave Domain
sn: Domain
mail: dave@example.com
userPassword: dave-password

dn: uid=eve,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: eve
cn: Eve Leaving
sn: Leaving
mail: eve@example.com
userPassword: eve-password

dn: uid=frank,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: frank
cn: Frank Locked
sn: Locked
mail: frank@example.com
userPassword: frank-password

dn: uid=grace,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: grace
cn: Grace Hopper
sn: Hopper
mail: grace@example.com
userPassword: grace-password

dn: uid=heidi,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: heidi
cn: Heidi Lamarr
sn: Lamarr
mail: heidi@example.com
userPassword: heidi-password

dn: uid=ivan,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: ivan
cn: Ivan Locked
sn: Locked
mail: ivan@example.com
userPassword: ivan-password

dn: ou=groups,dc=example,dc=com
objectClass: organizationalUnit
ou: groups

dn: cn=admins,ou=groups,dc=example,dc=com
objectClass: groupOfNames
cn: admins
member: uid=alice,ou=eng,ou=people,dc=example,dc=com
member: uid=grace,ou=people,dc=example,dc=com

dn: cn=ops,ou=groups,dc=example,dc=com
objectClass: groupOfNames
cn: ops
member: uid=dave,ou=people,dc=example,dc=com

dn: cn=staff,ou=groups,dc=example,dc=com
objectClass: groupOfNames
cn: staff
member: cn=ops,ou=groups,dc=example,dc=com
member: cn=loop-a,ou=groups,dc=example,dc=com

dn: cn=loop-a,ou=groups,dc=example,dc=com
objectClass: groupOfNames
cn: loop-a
member: cn=loop-b,ou=groups,dc=example,dc=com
member: uid=dave,ou=people,dc=example,dc=com

dn: cn=loop-b,ou=groups,dc=example,dc=com
objectClass: groupOfNames
cn: loop-b
member: cn=loop-a,ou=groups,dc=example,dc=com
)";

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_SUPPORT_LDAP_SEED_H_
