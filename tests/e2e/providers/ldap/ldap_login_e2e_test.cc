// LDAP users logging in: routing, just-in-time provisioning, refresh from
// the directory, and the failures an operator cares about.
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "absl/time/clock.h"
#include "tests/e2e/providers/ldap/ldap_fixture.h"

namespace identity::testing {
namespace {

class LdapLoginE2eTest : public LdapE2eTest {};

TEST_F(LdapLoginE2eTest, FirstLoginProvisionsAndLaterLoginsRefreshRoles) {
  v1::Organization org = LdapOrg();
  v1::AuthenticateResponse login;
  ASSERT_TRUE(LdapLogin("grace", "grace-password", org.name(), &login).ok());
  const v1::User u = login.user();  // a copy: `login` is reused below
  EXPECT_EQ(u.origin(), v1::ORIGIN_LDAP);
  EXPECT_EQ(u.organization_id(), org.id());
  EXPECT_EQ(u.username(), "grace");
  EXPECT_EQ(u.email(), "grace@example.com");
  EXPECT_EQ(u.display_name(), "Grace Hopper");
  EXPECT_EQ(u.primary_role(), "ADMIN") << "member of cn=admins";
  ASSERT_EQ(u.roles_size(), 2);
  EXPECT_EQ(u.roles(1), "CONTROL_CENTER");
  EXPECT_EQ(Sql("SELECT password_hash IS NULL FROM users WHERE id = '" + u.id() + "'"),
            "t") << "no password is stored for a directory user";

  ASSERT_TRUE(slapd_->Modify(
      "dn: cn=admins,ou=groups,dc=example,dc=com\nchangetype: modify\n"
      "delete: member\nmember: uid=grace,ou=people,dc=example,dc=com\n"));
  ASSERT_TRUE(LdapLogin("grace", "grace-password", "", &login).ok())
      << "a known LDAP user needs no organization";
  EXPECT_EQ(login.user().primary_role(), "BASIC_USER") << "refreshed from the directory";
  EXPECT_EQ(login.user().roles_size(), 1);
  EXPECT_EQ(login.user().id(), u.id());
}

TEST_F(LdapLoginE2eTest, UnknownUsersAreRoutedByLoginDomain) {
  v1::Organization org = LdapOrg("(mail={username})", "example.com");
  v1::AuthenticateResponse login;
  ASSERT_TRUE(LdapLogin("dave@example.com", "dave-password", "", &login).ok());
  EXPECT_EQ(login.user().organization_id(), org.id());
  EXPECT_EQ(login.user().username(), "dave") << "the username attribute's value";
  // dave is in cn=ops, which is in cn=staff; cn=loop-a and cn=loop-b contain
  // each other: nesting is followed and the loop ends.
  EXPECT_EQ(login.user().primary_role(), "BASIC_USER");
  ASSERT_EQ(login.user().roles_size(), 2);
  EXPECT_EQ(login.user().roles(1), "PORTAL_ACCESS");
  EXPECT_EQ(LdapLogin("nobody@example.net", "x").error_code(),
            grpc::StatusCode::UNAUTHENTICATED) << "no organization serves it";
}

TEST_F(LdapLoginE2eTest, ANameOfAnotherAccountIsNeverLinked) {
  v1::CreateUserRequest internal;  // an internal user named "carol"
  internal.set_organization_id(CreateOrg().id());
  internal.set_username("carol");
  internal.set_primary_role("BASIC_USER");
  internal.set_generate_password(true);
  v1::CreateUserResponse made;
  ASSERT_TRUE(users_->CreateUser(Ctx(AdminToken()).get(), internal, &made).ok());
  // A login name known here goes to its own origin; so the directory is
  // asked by mail, and answers with uid "carol", which is taken.
  v1::Organization org = LdapOrg("(mail={username})");
  grpc::Status s = LdapLogin("carol@example.com", "carol-password", org.id());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Sql("SELECT origin FROM users WHERE username = 'carol'"), "INTERNAL");
  EXPECT_EQ(Sql("SELECT details->>'reason' FROM audit_events WHERE action = "
                "'auth.login_failed' AND details->>'username' = 'carol@example.com' "
                "ORDER BY id DESC LIMIT 1"),
            "username_belongs_to_another_account");
}

TEST_F(LdapLoginE2eTest, WrongPasswordsInjectionsAndLockout) {
  v1::Organization org = LdapOrg();
  v1::UpdateOrganizationRequest up;
  up.set_id(org.id());
  up.mutable_lockout_policy()->set_max_failed_attempts(2);
  up.mutable_lockout_policy()->set_window_seconds(600);
  up.mutable_lockout_policy()->set_lockout_seconds(0);
  v1::Organization out;
  ASSERT_TRUE(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), up, &out).ok());
  ASSERT_TRUE(LdapLogin("frank", "frank-password", org.id()).ok());
  for (const std::string& name : {std::string("*"), std::string("frank)(uid=*")}) {
    EXPECT_EQ(LdapLogin(name, "frank-password", org.id()).error_code(),
              grpc::StatusCode::UNAUTHENTICATED) << name;
  }
  EXPECT_EQ(Sql("SELECT count(*) FROM users WHERE username LIKE '%*%'"), "0");
  EXPECT_EQ(LdapLogin("frank", "", org.id()).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT) << "empty passwords never bind";
  EXPECT_FALSE(LdapLogin("frank", "wrong-1").ok());
  EXPECT_FALSE(LdapLogin("frank", "wrong-2").ok());
  grpc::Status locked = LdapLogin("frank", "frank-password");
  EXPECT_EQ(locked.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << "lockout counts LDAP users too";
  EXPECT_EQ(locked.error_message(), "invalid username or password");
  // Once locked here, guesses no longer reach the directory (where they
  // would count against the person's own directory account).
  EXPECT_FALSE(LdapLogin("frank", "wrong-3").ok());
  EXPECT_EQ(Sql("SELECT details->>'reason' FROM audit_events WHERE action = "
                "'auth.login_failed' ORDER BY id DESC LIMIT 1"),
            "locked");
}

TEST_F(LdapLoginE2eTest, LeavingTheDirectoryDisablesTheLocalUser) {
  v1::Organization org = LdapOrg();
  v1::AuthenticateResponse login;
  ASSERT_TRUE(LdapLogin("eve", "eve-password", org.id(), &login).ok());
  ASSERT_TRUE(slapd_->Modify("dn: uid=eve,ou=people,dc=example,dc=com\n"
                             "changetype: delete\n"));
  EXPECT_EQ(LdapLogin("eve", "eve-password").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Sql("SELECT enabled FROM users WHERE id = '" + login.user().id() + "'"),
            "f");
  v1::User me;
  EXPECT_EQ(users_->GetCurrentUser(Ctx(login.session_token()).get(), {}, &me)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED) << "its sessions ended";
}

TEST_F(LdapLoginE2eTest, AnAccountLockedInTheDirectoryIsDisabledHere) {
  v1::Organization org = LdapOrg();
  v1::AuthenticateResponse login;
  ASSERT_TRUE(LdapLogin("ivan", "ivan-password", org.id(), &login).ok());
  ASSERT_TRUE(slapd_->Modify("dn: uid=ivan,ou=people,dc=example,dc=com\n"
                             "changetype: modify\nadd: pwdAccountLockedTime\n"
                             "pwdAccountLockedTime: 000001010000Z\n"));
  grpc::Status s = LdapLogin("ivan", "ivan-password");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message(), "invalid username or password")
      << "the caller learns nothing more";
  EXPECT_EQ(Sql("SELECT enabled FROM users WHERE id = '" + login.user().id() + "'"),
            "f");
  EXPECT_EQ(Sql("SELECT details->>'reason' FROM audit_events WHERE action = "
                "'user.disable' AND target_id = '" + login.user().id() + "'"),
            "disabled_in_directory");
  v1::TestIdentityProviderRequest test;
  test.set_organization_id(org.id());
  test.set_username("ivan");
  test.set_password("ivan-password");
  v1::TestIdentityProviderResponse steps;
  ASSERT_TRUE(orgs_->TestIdentityProvider(Ctx(AdminToken()).get(), test, &steps).ok());
  EXPECT_EQ(steps.steps(steps.steps_size() - 1).message(),
            "the account is disabled or locked in the directory");
}

TEST_F(LdapLoginE2eTest, AMisconfiguredProviderIsTheAdministratorsToKnow) {
  v1::Organization org = CreateOrg();
  v1::ConfigureLdapProviderRequest req =
      ProviderConfig(org.id(), "(uid={username})");
  req.mutable_ldap()->set_bind_password("not-the-reader-secret");
  v1::IdentityProvider out;
  ASSERT_TRUE(orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), req, &out).ok());
  // "admin" is a directory user no other test logs in.
  grpc::Status s = LdapLogin("admin", "admin-password", org.id());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message(), "invalid username or password");
  EXPECT_NE(Sql("SELECT details->>'reason' FROM audit_events WHERE action = "
                "'auth.login_failed' AND details->>'username' = 'admin' "
                "ORDER BY id DESC LIMIT 1")
                .find("service account"),
            std::string::npos);
}

TEST_F(LdapLoginE2eTest, ADirectoryOutageIsUnavailableOnlyForItsUsers) {
  v1::Organization org = LdapOrg();
  ASSERT_TRUE(LdapLogin("alice", "alice-password", org.id()).ok());
  EXPECT_EQ(Health("identity.ldap/" + org.id()),
            grpc::health::v1::HealthCheckResponse::SERVING);
  ASSERT_TRUE(slapd_->Stop());
  EXPECT_EQ(LdapLogin("alice", "alice-password").error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(TryLogin(server().options().admin_username,
                       server().options().admin_password)
                  .ok()) << "the internal fallback admin still logs in";
  v1::ListUsersRequest list;
  list.set_organization_id(org.id());
  v1::ListUsersResponse users;
  EXPECT_TRUE(users_->ListUsers(Ctx(AdminToken()).get(), list, &users).ok())
      << "admin views come from PostgreSQL";
  using grpc::health::v1::HealthCheckResponse;
  EXPECT_EQ(Health("identity.ldap/" + org.id()), HealthCheckResponse::NOT_SERVING)
      << "the provider is reported degraded";
  EXPECT_EQ(Health("identity.ldap"), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Health(""), HealthCheckResponse::SERVING)
      << "but the server keeps serving";
  v1::GetIdentityProviderRequest get;
  get.set_organization_id(org.id());
  v1::IdentityProvider provider;
  ASSERT_TRUE(orgs_->GetIdentityProvider(Ctx(AdminToken()).get(), get, &provider).ok());
  EXPECT_FALSE(provider.pool().reachable());
  EXPECT_NE(provider.pool().last_error(), "");

  ASSERT_TRUE(slapd_->Restart());
  EXPECT_TRUE(LdapLogin("alice", "alice-password").ok());
  EXPECT_EQ(Health("identity.ldap/" + org.id()), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health("identity.ldap"), HealthCheckResponse::SERVING);
}

// The directory dies under load (SIGKILL: connections reset mid-operation)
// and comes back: logins in flight fail as UNAVAILABLE, never as a wrong
// password, nobody is locked or disabled for it, and logins work again
// without restarting identityd.
TEST_F(LdapLoginE2eTest, KillingTheDirectoryUnderLoadFailsCleanlyAndRecovers) {
  v1::Organization org = LdapOrg();
  v1::AuthenticateResponse first;
  ASSERT_TRUE(LdapLogin("alice", "alice-password", org.id(), &first).ok());
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::map<grpc::StatusCode, int> codes;
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&] {
      while (!stop) {
        const grpc::StatusCode code =
            LdapLogin("alice", "alice-password", org.id()).error_code();
        std::lock_guard<std::mutex> lock(mu);
        ++codes[code];
      }
    });
  }
  absl::SleepFor(absl::Milliseconds(300));
  ASSERT_TRUE(slapd_->Kill());
  absl::SleepFor(absl::Milliseconds(500));
  ASSERT_TRUE(slapd_->Restart());
  absl::SleepFor(absl::Milliseconds(700));
  stop = true;
  for (std::thread& t : callers) t.join();
  for (const auto& [code, n] : codes) {
    EXPECT_TRUE(code == grpc::StatusCode::OK || code == grpc::StatusCode::UNAVAILABLE)
        << n << " logins ended with code " << code;
  }
  EXPECT_GT(codes[grpc::StatusCode::UNAVAILABLE], 0) << "the outage was seen";
  EXPECT_TRUE(LdapLogin("alice", "alice-password", org.id()).ok())
      << "and logins work again with the same identityd";
  EXPECT_EQ(Sql("SELECT enabled::text || ',' || locked::text || ',' || "
                "failed_login_attempts FROM users WHERE id = '" +
                first.user().id() + "'"),
            "true,false,0")
      << "an outage is not a failed login";
  EXPECT_EQ(Health(""), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(LdapLoginE2eTest, LoginsShareAFewPooledConnections) {
  v1::Organization org = LdapOrg();
  for (int i = 0; i < 6; ++i) {
    // heidi is a directory user no other test logs in.
    ASSERT_TRUE(LdapLogin("heidi", "heidi-password", org.id()).ok());
    EXPECT_EQ(LdapLogin("heidi", "wrong", org.id()).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  v1::GetIdentityProviderRequest get;
  get.set_organization_id(org.id());
  v1::IdentityProvider provider;
  ASSERT_TRUE(orgs_->GetIdentityProvider(Ctx(AdminToken()).get(), get, &provider).ok());
  const v1::LdapPoolStatus& pool = provider.pool();
  EXPECT_EQ(pool.capacity(), 4) << "the default pool_size";
  EXPECT_GE(pool.acquired(), 24) << "a search and a bind per login";
  EXPECT_EQ(pool.connects(), 2)
      << "sequential logins reuse one connection for searches, one for binds";
  EXPECT_EQ(pool.rebinds(), 0);
  EXPECT_EQ(pool.in_use(), 0);
  EXPECT_TRUE(pool.reachable());
  EXPECT_EQ(Health("identity.ldap/" + CreateOrg().id()),
            grpc::health::v1::HealthCheckResponse::UNKNOWN)
      << "no use of a provider yet";
}

}  // namespace
}  // namespace identity::testing
