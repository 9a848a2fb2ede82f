// The process killed with SIGKILL in the middle of writes: after a restart
// the database holds no half-done change (every change commits with its
// audit event or not at all) and the invariants hold.
#include <signal.h>

#include <atomic>
#include <thread>

#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using FaultsE2eTest = E2eTest;

TEST_F(FaultsE2eTest, SigkillDuringWritesLeavesNothingHalfDone) {
  IdentitydServer::Options o = server().options();
  o.database_url = SharedPostgres().CreateDatabase("e2e_sigkill");
  auto s = IdentitydServer::Start(o);
  ASSERT_NE(s, nullptr);
  auto channel = s->NewChannel();
  auto auth = v1::AuthService::NewStub(channel);
  auto orgs = v1::OrganizationService::NewStub(channel);
  auto users = v1::UserService::NewStub(channel);
  v1::AuthenticateRequest login;
  login.set_username(o.admin_username);
  login.set_password(o.admin_password);
  v1::AuthenticateResponse admin;
  ASSERT_TRUE(auth->Authenticate(Ctx().get(), login, &admin).ok());
  const std::string token = admin.session_token();
  v1::Organization a, b;
  v1::CreateOrganizationRequest create;
  create.set_name("left");
  ASSERT_TRUE(orgs->CreateOrganization(Ctx(token).get(), create, &a).ok());
  create.set_name("right");
  ASSERT_TRUE(orgs->CreateOrganization(Ctx(token).get(), create, &b).ok());
  v1::Organization c;
  create.set_name("growing");
  ASSERT_TRUE(orgs->CreateOrganization(Ctx(token).get(), create, &c).ok());
  for (int i = 0; i < 20; ++i) {
    v1::CreateUserRequest req;
    req.set_organization_id(a.id());
    req.set_username("moved-" + std::to_string(i) + "@example.com");
    req.set_primary_role("BASIC_USER");
    req.set_generate_password(true);
    v1::CreateUserResponse resp;
    ASSERT_TRUE(users->CreateUser(Ctx(token).get(), req, &resp).ok());
  }

  // Writers: users created in "growing", and the 20 users of "left" moved
  // back and forth between "left" and "right", until the process dies.
  std::atomic<bool> alive{true};
  std::thread creator([&] {
    for (int i = 0; alive; ++i) {
      v1::CreateUserRequest req;
      req.set_organization_id(c.id());
      req.set_username("killed-" + std::to_string(i) + "@example.com");
      req.set_primary_role("BASIC_USER");
      req.set_generate_password(true);
      v1::CreateUserResponse resp;
      if (!users->CreateUser(Ctx(token).get(), req, &resp).ok()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
  });
  std::thread mover([&] {
    for (int i = 0; alive; ++i) {
      v1::MoveOrganizationContentsRequest req;
      req.set_source_organization_id(i % 2 ? b.id() : a.id());
      req.set_target_organization_id(i % 2 ? a.id() : b.id());
      v1::MoveOrganizationContentsResponse resp;
      (void)orgs->MoveOrganizationContents(Ctx(token).get(), req, &resp);
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(s->Stop(SIGKILL), 128 + SIGKILL);
  alive = false;
  creator.join();
  mover.join();

  auto sql = [&](const std::string& q) {
    return SharedPostgres().QueryValue("e2e_sigkill", q);
  };
  const int created = std::stoi(sql("SELECT count(*) FROM users WHERE username LIKE 'killed-%'"));
  EXPECT_GT(created, 3) << "the writers wrote before the kill";
  EXPECT_GT(std::stoi(sql("SELECT count(*) FROM audit_events WHERE action = "
                          "'organization.move_contents'")),
            1) << "and moved";
  EXPECT_EQ(sql("SELECT count(*) FROM users u WHERE username LIKE 'killed-%' AND NOT "
                "EXISTS (SELECT 1 FROM audit_events e WHERE e.action = 'user.create' "
                "AND e.target_id = u.id::text)"),
            "0") << "every user has its audit event";
  EXPECT_EQ(sql("SELECT count(DISTINCT organization_id) || '/' || count(*) FROM "
                "users WHERE username LIKE 'moved-%'"),
            "1/20") << "no half-moved organization: all 20 on one side";
  EXPECT_EQ(sql("SELECT count(*) FROM users WHERE primary_role IS NULL OR "
                "primary_role = ''"),
            "0") << "no user without a role";

  ASSERT_TRUE(s->Restart());
  EXPECT_EQ(sql("SELECT count(*) FROM users WHERE primary_role = 'GLOBAL_ADMIN'"), "1")
      << "exactly one bootstrap admin after the restart";
  v1::AuthenticateResponse again;
  EXPECT_TRUE(v1::AuthService::NewStub(s->NewChannel())
                  ->Authenticate(Ctx().get(), login, &again)
                  .ok());
}

}  // namespace
}  // namespace identity::testing
