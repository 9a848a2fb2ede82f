#include "providers/ldap/ldap_filter.h"

#include "gtest/gtest.h"

namespace identity::ldap {
namespace {

TEST(LdapFilterTest, EscapesEverySpecialCharacterPerRfc4515) {
  EXPECT_EQ(EscapeFilterValue("alice"), "alice");
  EXPECT_EQ(EscapeFilterValue("*"), "\\2a");
  EXPECT_EQ(EscapeFilterValue("admin)(uid=*"), "admin\\29\\28uid=\\2a");
  EXPECT_EQ(EscapeFilterValue("\\"), "\\5c");
  EXPECT_EQ(EscapeFilterValue(std::string("a\0b", 3)), "a\\00b");
  EXPECT_EQ(EscapeFilterValue("jürgen"), "j\\c3\\bcrgen");
}

TEST(LdapFilterTest, BuildsUserFiltersFromTemplates) {
  EXPECT_EQ(*UserFilter("(uid={username})", "a*"), "(uid=a\\2a)");
  EXPECT_EQ(*UserFilter("(|(uid={username})(mail={username}))", "x"),
            "(|(uid=x)(mail=x))");
  EXPECT_EQ(UserFilter("(uid=alice)", "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(UserFilter("uid={username}", "x").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace identity::ldap
