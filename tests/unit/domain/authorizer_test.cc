#include "domain/authorizer.h"

#include <set>

#include "gtest/gtest.h"
#include "domain/roles.h"
#include "domain/operations.h"
#include "identity/v1/api_key_service.grpc.pb.h"
#include "identity/v1/audit_service.grpc.pb.h"
#include "identity/v1/auth_service.grpc.pb.h"
#include "identity/v1/organization_service.grpc.pb.h"
#include "identity/v1/role_service.grpc.pb.h"
#include "identity/v1/user_service.grpc.pb.h"

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

TEST(AuthorizerTest, EveryApiMethodHasARule) {
  // Deny-by-default would make a forgotten rule an outage; the table must
  // cover every method the protos declare.
  for (const auto* file :
       {identity::v1::AuthenticateRequest::descriptor()->file(),
        identity::v1::CreateOrganizationRequest::descriptor()->file(),
        identity::v1::CreateUserRequest::descriptor()->file(),
        identity::v1::ListRolesRequest::descriptor()->file(),
        identity::v1::CreateApiKeyRequest::descriptor()->file(),
        identity::v1::ListAuditEventsRequest::descriptor()->file()}) {
    for (int s = 0; s < file->service_count(); ++s) {
      const auto* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        std::string name = "/" + service->full_name() + "/" +
                           service->method(m)->name();
        EXPECT_NE(FindRpcRule(name), nullptr) << name;
      }
    }
  }
}

TEST(AuthorizerTest, UnknownMethodIsDenied) {
  Principal admin = Make(kGlobalAdmin);
  EXPECT_EQ(Admit("/identity.v1.UserService/Nope", &admin).code(),
            absl::StatusCode::kInternal);
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
