// CheckPermission on two replicas of one database: answered from each
// replica's credential cache, and a change made through one replica (a
// logout, a disable, a role or group change, new trusted IP ranges) changes
// the answer of both within a second.
#include <functional>

#include "absl/time/clock.h"
#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using Reason = v1::CheckPermissionResponse::Reason;

class CheckPermissionReplicasE2eTest : public E2eTest {
 protected:
  static void SetUpTestSuite() {
    E2eTest::SetUpTestSuite();
    other_ = IdentitydServer::Start(server().options());
    ASSERT_NE(other_, nullptr);
  }
  static void TearDownTestSuite() {
    other_.reset();
    E2eTest::TearDownTestSuite();
  }

  static v1::CheckPermissionResponse Ask(
      IdentitydServer& replica, const v1::CheckPermissionRequest& req) {
    v1::CheckPermissionResponse resp;
    grpc::Status s = v1::AuthService::NewStub(replica.NewChannel())
                         ->CheckPermission(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }
  static double CacheHits(const IdentitydServer& replica) {
    return MetricValue(replica.Metrics(),
                       "identity_credential_cache_hits_total");
  }
  // Asks both replicas twice; the second answer comes from their caches.
  static void Warm(const v1::CheckPermissionRequest& req, Reason want) {
    for (IdentitydServer* replica : {&server(), other_.get()}) {
      const double hits = CacheHits(*replica);
      for (int i = 0; i < 2; ++i) ASSERT_EQ(Ask(*replica, req).reason(), want);
      ASSERT_GT(CacheHits(*replica), hits) << "served from the replica's cache";
    }
  }
  // How long until both replicas answer `want`; 3 s when they do not.
  static absl::Duration Until(const v1::CheckPermissionRequest& req,
                              Reason want) {
    const absl::Time start = absl::Now();
    for (IdentitydServer* replica : {&server(), other_.get()}) {
      while (Ask(*replica, req).reason() != want) {
        if (absl::Now() - start > absl::Seconds(3)) return absl::Seconds(3);
        absl::SleepFor(absl::Milliseconds(10));
      }
    }
    return absl::Now() - start;
  }
  static v1::CheckPermissionRequest For(const std::string& token,
                                        const std::string& permission) {
    v1::CheckPermissionRequest req;
    req.set_token(token);
    req.set_permission(permission);
    return req;
  }

  static inline std::unique_ptr<IdentitydServer> other_;
};

constexpr Reason kAllowed = v1::CheckPermissionResponse::REASON_UNSPECIFIED;
constexpr Reason kUnauthenticated =
    v1::CheckPermissionResponse::UNAUTHENTICATED_CREDENTIAL;
constexpr Reason kNoPermission = v1::CheckPermissionResponse::NO_PERMISSION;

TEST_F(CheckPermissionReplicasE2eTest,
       ARevokedTokenIsRefusedEverywhereWithinASecond) {
  const v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  const std::string token = Login(user.username(), kPassword);
  const v1::CheckPermissionRequest req = For(token, "apps.create");
  Warm(req, kAllowed);
  v1::LogoutResponse out;
  ASSERT_TRUE(auth_->Logout(Ctx(token).get(), {}, &out).ok());
  EXPECT_LT(Until(req, kUnauthenticated), absl::Seconds(1));
}

TEST_F(CheckPermissionReplicasE2eTest,
       ADisabledUserIsRefusedEverywhereWithinASecond) {
  const v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  const v1::CheckPermissionRequest req =
      For(Login(user.username(), kPassword), "apps.create");
  Warm(req, kAllowed);
  v1::DisableUserRequest disable;
  disable.set_id(user.id());
  v1::User disabled;
  ASSERT_TRUE(
      users_->DisableUser(Ctx(AdminToken()).get(), disable, &disabled).ok());
  EXPECT_LT(Until(req, kUnauthenticated), absl::Seconds(1));
}

TEST_F(CheckPermissionReplicasE2eTest,
       AChangedPrimaryRoleShowsEverywhereWithinASecond) {
  const v1::User user = CreateUser(CreateOrg().id(), "ADMIN");
  const v1::CheckPermissionRequest req =
      For(Login(user.username(), kPassword), "users.read");
  Warm(req, kAllowed);
  v1::SetPrimaryRoleRequest demote;
  demote.set_id(user.id());
  demote.set_primary_role("BASIC_USER");
  v1::User out;
  ASSERT_TRUE(
      users_->SetPrimaryRole(Ctx(AdminToken()).get(), demote, &out).ok());
  EXPECT_LT(Until(req, kNoPermission), absl::Seconds(1));
}

// A group gains a member, then the custom role the group carries loses the
// permission: both show on every replica within a second.
TEST_F(CheckPermissionReplicasE2eTest,
       GroupAndCustomRoleChangesShowEverywhereWithinASecond) {
  const v1::Organization org = CreateOrg();
  v1::CreateRoleRequest make_role;
  make_role.set_organization_id(org.id());
  make_role.set_name("AUDITOR");
  make_role.add_permissions("audit.read");
  v1::Role role;
  ASSERT_TRUE(
      roles_->CreateRole(Ctx(AdminToken()).get(), make_role, &role).ok());
  v1::CreateGroupRequest make_group;
  make_group.set_organization_id(org.id());
  make_group.set_name("Auditors");
  make_group.add_roles("AUDITOR");
  v1::Group group;
  ASSERT_TRUE(
      roles_->CreateGroup(Ctx(AdminToken()).get(), make_group, &group).ok());
  const v1::User user = CreateUser(org.id(), "BASIC_USER");
  const v1::CheckPermissionRequest req =
      For(Login(user.username(), kPassword), "audit.read");
  Warm(req, kNoPermission);

  v1::AddGroupMemberRequest add;
  add.set_group_id(group.id());
  add.set_user_id(user.id());
  ASSERT_TRUE(
      roles_->AddGroupMember(Ctx(AdminToken()).get(), add, &group).ok());
  EXPECT_LT(Until(req, kAllowed), absl::Seconds(1));

  Warm(req, kAllowed);
  v1::UpdateRoleRequest narrow;
  narrow.set_id(role.id());
  narrow.mutable_permissions()->add_values("billing.read");
  v1::Role narrowed;
  grpc::Status s =
      roles_->UpdateRole(Ctx(AdminToken()).get(), narrow, &narrowed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_LT(Until(req, kNoPermission), absl::Seconds(1));
}

TEST_F(CheckPermissionReplicasE2eTest,
       NewTrustedRangesShowEverywhereWithinASecond) {
  const v1::Organization org = CreateOrg();
  const std::string owner =
      Login(CreateUser(org.id(), "BASIC_USER").username(), kPassword);
  v1::CreateApiKeyRequest create;
  create.set_name("gateway");
  v1::CreateApiKeyResponse key;
  ASSERT_TRUE(v1::ApiKeyService::NewStub(server().NewChannel())
                  ->CreateApiKey(Ctx(owner).get(), create, &key)
                  .ok());
  v1::CheckPermissionRequest req;
  req.set_api_key(key.api_key());
  req.set_client_ip("10.1.2.3");
  req.set_permission("apps.create");
  Warm(req, kAllowed);

  v1::UpdateOrganizationRequest ranges;
  ranges.set_id(org.id());
  ranges.mutable_trusted_ip_ranges()->add_values("192.0.2.0/24");
  v1::Organization updated;
  ASSERT_TRUE(
      orgs_->UpdateOrganization(Ctx(AdminToken()).get(), ranges, &updated)
          .ok());
  EXPECT_LT(Until(req, v1::CheckPermissionResponse::OUTSIDE_TRUSTED_IPS),
            absl::Seconds(1));

  ranges.mutable_trusted_ip_ranges()->add_values("10.0.0.0/8");
  ASSERT_TRUE(
      orgs_->UpdateOrganization(Ctx(AdminToken()).get(), ranges, &updated)
          .ok());
  EXPECT_LT(Until(req, kAllowed), absl::Seconds(1));
}

}  // namespace
}  // namespace identity::testing
