#include "domain/roles.h"

#include "gtest/gtest.h"
#include "domain/permissions.h"

namespace identity {
namespace {

TEST(RolesTest, PrimaryRolesAreTheFourBuiltIns) {
  EXPECT_TRUE(IsPrimaryRole("GLOBAL_ADMIN"));
  EXPECT_TRUE(IsPrimaryRole("ADMIN"));
  EXPECT_TRUE(IsPrimaryRole("BASIC_USER"));
  EXPECT_TRUE(IsPrimaryRole("BILLING_CONTACT"));
  EXPECT_FALSE(IsPrimaryRole("admin"));
  EXPECT_FALSE(IsPrimaryRole(""));
}

TEST(RolesTest, OnlyGlobalAdminIsGlobalAndHoldsGlobalPermissions) {
  for (const RoleDefinition& r : BuiltInRoles()) {
    const bool has_create_org =
        std::find(r.permissions.begin(), r.permissions.end(),
                  perm::kOrganizationsCreate) != r.permissions.end();
    EXPECT_EQ(r.global, r.name == kGlobalAdmin) << r.name;
    EXPECT_EQ(has_create_org, r.name == kGlobalAdmin) << r.name;
  }
}

TEST(RolesTest, PermissionsAreSortedAndKnown) {
  const auto& all = perm::All();
  for (const RoleDefinition& r : BuiltInRoles()) {
    EXPECT_TRUE(std::is_sorted(r.permissions.begin(), r.permissions.end()));
    for (absl::string_view p : r.permissions) {
      EXPECT_TRUE(std::binary_search(all.begin(), all.end(), p)) << p;
    }
  }
}

TEST(RolesTest, EveryPrimaryRoleCanManageItsOwnAccount) {
  for (const RoleDefinition& r : BuiltInRoles()) {
    if (!r.primary) continue;  // add-ons only add to a primary role
    std::vector<std::string> perms = PermissionsOf({std::string(r.name)});
    EXPECT_TRUE(std::binary_search(perms.begin(), perms.end(), "self.password"))
        << r.name;
  }
}

TEST(RolesTest, AddOnRolesAreNotPrimary) {
  for (const char* r : {"SERVICE_USER", "CONTROL_CENTER", "PORTAL_ACCESS"}) {
    EXPECT_TRUE(IsAddOnRole(r)) << r;
    EXPECT_FALSE(IsPrimaryRole(r)) << r;
  }
  EXPECT_FALSE(IsAddOnRole("ADMIN"));
  std::vector<std::string> perms = PermissionsOf({"BASIC_USER", "SERVICE_USER"});
  EXPECT_TRUE(std::binary_search(perms.begin(), perms.end(), "apis.invoke"));
  EXPECT_TRUE(std::binary_search(perms.begin(), perms.end(), "apps.create"));
}

TEST(RolesTest, UnknownRolesGrantNothing) {
  EXPECT_TRUE(PermissionsOf({"NOPE"}).empty());
  EXPECT_FALSE(AnyGlobal({"NOPE"}));
}

}  // namespace
}  // namespace identity
