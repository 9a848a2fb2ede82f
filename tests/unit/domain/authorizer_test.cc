#include "domain/authorizer.h"

#include "gtest/gtest.h"
#include "domain/roles.h"
#include "domain/operations.h"

namespace identity {
namespace {

Principal Make(absl::string_view role, const std::string& org = "org-a",
               const std::string& id = "user-1") {
  domain::User u;
  u.id = id;
  u.organization_id = org;
  u.primary_role = std::string(role);
  return PrincipalFor(u);
}

TEST(AuthorizerTest, UnknownOperationIsDenied) {
  Principal admin = Make(kGlobalAdmin);
  EXPECT_EQ(Admit("Nope", &admin).code(),
            absl::StatusCode::kInternal);
}

// organizations.write renames an organization; pointing its identity
// provider elsewhere decides who logs in as its users and takes all an
// ADMIN holds.
TEST(AuthorizerTest, ConfiguringAProviderTakesWhatAnAdminHolds) {
  Principal narrow = Make(kBasicUser);
  narrow.permissions = {"organizations.read", "organizations.write"};
  EXPECT_TRUE(Check(op::kUpdateOrganization, narrow, Target{"org-a"}).ok());
  for (absl::string_view configure :
       {op::kConfigureLdapProvider, op::kConfigureSamlProvider,
        op::kConfigureIdentityProvider}) {
    absl::Status s = Check(configure, narrow, Target{"org-a"});
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << configure;
    EXPECT_NE(s.message().find("an ADMIN holds"), absl::string_view::npos)
        << s.message();
    EXPECT_TRUE(Check(configure, Make(kAdmin), Target{"org-a"}).ok())
        << configure;
    EXPECT_TRUE(Check(configure, Make(kGlobalAdmin), Target{"org-a"}).ok())
        << configure;
    EXPECT_EQ(Check(configure, Make(kAdmin), Target{"org-b"}).code(),
              absl::StatusCode::kPermissionDenied)
        << configure;
  }
}

TEST(AuthorizerTest, AnonymousOnlyReachesPublicMethods) {
  EXPECT_TRUE(Admit(op::kAuthenticate, nullptr).ok());
  EXPECT_TRUE(Admit(op::kValidateToken, nullptr).ok());
  EXPECT_EQ(Admit(op::kLogout, nullptr).code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Admit(op::kListUsers, nullptr).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(AuthorizerTest, AdminActsOnlyInItsOwnOrganization) {
  Principal admin = Make(kAdmin, "org-a");
  EXPECT_TRUE(Check(op::kCreateUser, admin, Target{"org-a"}).ok());
  EXPECT_EQ(Check(op::kCreateUser, admin, Target{"org-b"}).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Check(op::kCreateOrganization, admin, Target{}).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AuthorizerTest, AdminCannotChangeAGlobalAdmin) {
  Principal admin = Make(kAdmin, "org-a");
  EXPECT_EQ(Check(op::kDisableUser, admin, Target{"org-a", "u2", true}).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AuthorizerTest, GlobalAdminActsEverywhere) {
  Principal root = Make(kGlobalAdmin, "org-a");
  EXPECT_TRUE(Check(op::kCreateUser, root, Target{"org-b"}).ok());
  EXPECT_TRUE(Check(op::kDeleteOrganization, root, Target{"org-b"}).ok());
  EXPECT_TRUE(Check(op::kDisableUser, root, Target{"org-b", "u", true}).ok());
}

TEST(AuthorizerTest, BasicUserReadsAndEditsOnlyItself) {
  Principal basic = Make(kBasicUser, "org-a", "me");
  EXPECT_TRUE(Check(op::kGetUser, basic, Target{"org-a", "me"}).ok());
  EXPECT_TRUE(Check(op::kUpdateUser, basic, Target{"org-a", "me"}).ok());
  EXPECT_EQ(Check(op::kGetUser, basic, Target{"org-a", "other"}).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Admit(op::kListUsers, &basic).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Admit(op::kCreateUser, &basic).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Check(op::kDisableUser, basic, Target{"org-a", "me"}).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AuthorizerTest, BillingContactHasNoSettings) {
  Principal billing = Make(kBillingContact);
  EXPECT_TRUE(billing.Has("billing.write"));
  EXPECT_EQ(Admit(op::kGetOrganization, &billing).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Admit(op::kChangePassword, &billing).ok());
}

TEST(AuthorizerTest, DenialNamesTheMissingPermission) {
  Principal basic = Make(kBasicUser);
  absl::Status s = Admit(op::kCreateUser, &basic);
  EXPECT_NE(s.message().find("users.create"), absl::string_view::npos)
      << s.message();
}

}  // namespace
}  // namespace identity
