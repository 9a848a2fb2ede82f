// What a directory entry or a bind answer says about an account, and the
// stable identifier's stored form and filter.
#include "providers/ldap/ldap_account.h"

#include <gtest/gtest.h>

#include "providers/ldap/ldap_filter.h"

namespace identity::ldap {
namespace {

Entry With(std::map<std::string, std::vector<std::string>> attributes) {
  return Entry{"CN=x,DC=corp,DC=example", std::move(attributes)};
}

TEST(LdapAccountTest, ObjectGuidIsStoredInItsRegistryFormAndSearchedAsBytes) {
  // {01234567-89ab-cdef-0123-456789abcdef}: the first three fields are
  // little-endian in the attribute's bytes.
  const std::string raw(
      "\x67\x45\x23\x01\xab\x89\xef\xcd\x01\x23\x45\x67\x89"
      "\xab\xcd\xef",
      16);
  const Entry e = With({{"objectguid", {raw}}});
  EXPECT_EQ(StableId(e, "objectGUID"), "01234567-89ab-cdef-0123-456789abcdef");
  EXPECT_EQ(
      StableIdFilter("objectGUID", "01234567-89ab-cdef-0123-456789abcdef"),
      "(objectGUID=" + EscapeFilterValue(raw) + ")");
  EXPECT_EQ(StableIdFilter("objectGUID", "not-a-guid"), "");
  EXPECT_EQ(StableId(With({{"objectguid", {"short"}}}), "objectGUID"), "");
}

TEST(LdapAccountTest, TextIdentifiersAreEscapedInFilters) {
  const Entry e =
      With({{"entryuuid", {"6c7b8f3e-1b7a-103f-9d6e-5b1c4a3f2e10"}}});
  EXPECT_EQ(StableId(e, "entryUUID"), "6c7b8f3e-1b7a-103f-9d6e-5b1c4a3f2e10");
  EXPECT_EQ(StableIdFilter("entryUUID", "a)(uid=*"),
            "(entryUUID=a\\29\\28uid=\\2a)");
  EXPECT_EQ(StableId(e, "objectGUID"), "") << "an attribute the entry lacks";
}

TEST(LdapAccountTest, ActiveDirectoryEntryStates) {
  const absl::Time now = absl::FromUnixSeconds(1800000000);
  EXPECT_EQ(EntryState(With({{"useraccountcontrol", {"512"}}}), now),
            AccountState::kActive);
  EXPECT_EQ(EntryState(With({{"useraccountcontrol", {"514"}}}), now),
            AccountState::kDisabled);
  // 131000000000000000 is in 2016; 0 and the largest value mean never.
  EXPECT_EQ(EntryState(With({{"accountexpires", {"131000000000000000"}}}), now),
            AccountState::kExpired);
  for (const char* never : {"0", "9223372036854775807"}) {
    EXPECT_EQ(EntryState(With({{"accountexpires", {never}}}), now),
              AccountState::kActive);
  }
  EXPECT_FALSE(LockedSince(With({{"lockouttime", {"0"}}})));
  EXPECT_TRUE(LockedSince(With({{"lockouttime", {"134405951435079880"}}})));
}

TEST(LdapAccountTest, BindDiagnosticsAreToldApart) {
  const std::string prefix =
      "80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext "
      "error, data ";
  EXPECT_EQ(BindDiagnosticState(prefix + "533, v1db1"),
            AccountState::kDisabled);
  EXPECT_EQ(BindDiagnosticState(prefix + "701, v1db1"), AccountState::kExpired);
  EXPECT_EQ(BindDiagnosticState(prefix + "773, v1db1"),
            AccountState::kPasswordChangeRequired);
  EXPECT_EQ(BindDiagnosticState(prefix + "775, v1db1"), AccountState::kLocked);
  EXPECT_FALSE(BindDiagnosticState(prefix + "52e, v1db1"))
      << "a wrong password";
  EXPECT_TRUE(DisablesLocalUser(AccountState::kDisabled));
  EXPECT_TRUE(DisablesLocalUser(AccountState::kExpired));
  EXPECT_FALSE(DisablesLocalUser(AccountState::kLocked))
      << "a lockout ends by itself; anyone can cause one";
  EXPECT_FALSE(DisablesLocalUser(AccountState::kPasswordChangeRequired));
}

}  // namespace
}  // namespace identity::ldap
