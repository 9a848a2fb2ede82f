// Lockout, odd input and the invariants an anonymous or careless caller
// would break first, tried over the public API.
#include <atomic>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

class AccountSafetyE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    ExtraEnv() = {{"IDENTITY_SECRET_KEY",
                   "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU="}};
    E2eTest::SetUpTestSuite();
  }

 protected:
  static v1::Organization OrgWithLockout(int attempts, int64_t lock_s) {
    v1::Organization org = CreateOrg();
    v1::UpdateOrganizationRequest req;
    req.set_id(org.id());
    req.mutable_lockout_policy()->set_max_failed_attempts(attempts);
    req.mutable_lockout_policy()->set_window_seconds(900);
    req.mutable_lockout_policy()->set_lockout_seconds(lock_s);
    v1::Organization out;
    grpc::Status s = orgs_->UpdateOrganization(Ctx(AdminToken()).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return org;
  }
  // A provider configuration that passes every check but the one tried.
  static v1::ConfigureLdapProviderRequest LdapSettings(const std::string& org) {
    v1::ConfigureLdapProviderRequest req;
    req.set_organization_id(org);
    req.mutable_ldap()->add_urls("ldap://127.0.0.1:1");
    req.mutable_ldap()->set_bind_dn("cn=x");
    req.mutable_ldap()->set_bind_password("x");
    req.mutable_ldap()->set_user_base_dn("dc=x");
    req.mutable_ldap()->set_user_filter("(uid={username})");
    return req;
  }
  static std::string Column(const v1::User& user, const std::string& column) {
    return Sql("SELECT " + column + " FROM users WHERE id = '" + user.id() + "'");
  }
};

TEST_F(AccountSafetyE2eTest, ANulSuffixedNameIsRefusedBeforeAnyLookup) {
  v1::User user = CreateUser(OrgWithLockout(3, 900).id(), "BASIC_USER");
  const std::vector<std::string> tails = {std::string("\0", 1), "\x01", "\x7f",
                                          "\n", "\xc2\x85"};
  for (const std::string& tail : tails) {
    grpc::Status s = TryLogin(user.username() + tail, "Wrong-Password-42");
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(s.error_message().rfind("username: must not contain control", 0),
              0u)
        << s.error_message();
  }
  EXPECT_EQ(Column(user, "failed_login_attempts"), "0");
  // Every guess under the real name is counted, up to the lock.
  for (int i = 0; i < 3; ++i) TryLogin(user.username(), "Wrong-Password-42");
  EXPECT_EQ(Column(user, "locked"), "t");
}

TEST_F(AccountSafetyE2eTest, ControlCharactersAreRefusedInEveryFieldByName) {
  v1::Organization org = CreateOrg();
  v1::CreateUserRequest create;
  create.set_organization_id(org.id());
  create.set_username(Unique("ctl"));
  create.set_display_name(std::string("Mallory\0Admin", 13));
  create.set_primary_role("BASIC_USER");
  create.set_generate_password(true);
  v1::CreateUserResponse made;
  grpc::Status s = users_->CreateUser(Ctx(AdminToken()).get(), create, &made);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("display_name: must not contain", 0), 0u)
      << s.error_message();

  v1::ConfigureLdapProviderRequest ldap = LdapSettings(org.id());
  ldap.mutable_ldap()->add_group_role_mappings()->set_group("cn=a");
  ldap.mutable_ldap()->add_group_role_mappings()->set_group("cn=b\x1b[0m");
  v1::IdentityProvider out;
  s = orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), ldap, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("ldap.group_role_mappings[1].group:", 0),
            0u)
      << s.error_message();
  // Passwords are compared, never looked up: a tab is theirs to hold.
  s = TryLogin(Unique("nobody"), "tab\there-Password-1");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << s.error_message();
  // Documents keep their line breaks.
  v1::CreateRoleRequest role;
  role.set_organization_id(org.id());
  role.set_name("MULTI_LINE");
  role.set_description("first line\nsecond line");
  v1::Role made_role;
  s = roles_->CreateRole(Ctx(AdminToken()).get(), role, &made_role);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

TEST_F(AccountSafetyE2eTest, AGuessThatCannotBeCountedFailsClosed) {
  v1::User user = CreateUser(OrgWithLockout(3, 900).id(), "BASIC_USER");
  // The database refuses to count this user's failures (a full disk, a
  // broken replica): the guess must not be free.
  Sql("CREATE FUNCTION refuse_count() RETURNS trigger LANGUAGE plpgsql AS "
      "$$BEGIN RAISE EXCEPTION 'refused'; END$$");
  Sql("CREATE TRIGGER refuse_count BEFORE UPDATE OF failed_login_attempts ON "
      "users FOR EACH ROW WHEN (NEW.id = '" + user.id() + "') EXECUTE "
      "FUNCTION refuse_count()");
  grpc::Status s = TryLogin(user.username(), "Wrong-Password-42");
  Sql("DROP TRIGGER refuse_count ON users");
  Sql("DROP FUNCTION refuse_count()");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_TRUE(TryLogin(user.username(), kPassword).ok());
}

TEST_F(AccountSafetyE2eTest, WrongCurrentPasswordsAtChangePasswordCount) {
  v1::User user = CreateUser(OrgWithLockout(3, 900).id(), "BASIC_USER");
  const std::string token = Login(user.username(), kPassword);
  v1::ChangePasswordRequest req;
  req.set_new_password("Another-Long-Password-7");
  v1::ChangePasswordResponse out;
  for (int i = 0; i < 3; ++i) {
    req.set_current_password("Guess-Number-" + std::to_string(i));
    EXPECT_EQ(users_->ChangePassword(Ctx(token).get(), req, &out).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  EXPECT_EQ(Column(user, "locked"), "t");
  req.set_current_password(kPassword);
  EXPECT_EQ(users_->ChangePassword(Ctx(token).get(), req, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "no more guesses while locked";
}

TEST_F(AccountSafetyE2eTest, ParallelWrongGuessesAreEachCounted) {
  v1::User user = CreateUser(OrgWithLockout(100, 900).id(), "BASIC_USER");
  std::vector<std::thread> guessers;
  for (int t = 0; t < 8; ++t) {
    guessers.emplace_back([&] {
      for (int i = 0; i < 3; ++i) TryLogin(user.username(), "Wrong-Password-42");
    });
  }
  for (std::thread& g : guessers) g.join();
  EXPECT_EQ(Column(user, "failed_login_attempts"), "24");
}

TEST_F(AccountSafetyE2eTest, AGuessThatLocksDuringALoginKeepsTheLock) {
  // One wrong guess locks. The owner logs in without pause; a success whose
  // password check overlapped the guess must not clear the lock it set.
  v1::User user = CreateUser(OrgWithLockout(1, 900).id(), "BASIC_USER");
  for (int round = 0; round < 5; ++round) {
    std::atomic<bool> stop{false};
    std::thread owner([&] {
      while (!stop) TryLogin(user.username(), kPassword);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    TryLogin(user.username(), "Wrong-Password-42");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop = true;
    owner.join();
    ASSERT_EQ(Column(user, "locked"), "t") << "round " << round;
    v1::UnlockUserRequest unlock;
    unlock.set_id(user.id());
    v1::User out;
    ASSERT_TRUE(users_->UnlockUser(Ctx(AdminToken()).get(), unlock, &out).ok());
  }
}

TEST_F(AccountSafetyE2eTest, ALockDoesNotEndSessionsOrSwitchOffApiKeys) {
  v1::User user = CreateUser(OrgWithLockout(3, 0).id(), "ADMIN");
  const std::string token = Login(user.username(), kPassword);
  auto keys = v1::ApiKeyService::NewStub(server().NewChannel());
  v1::CreateApiKeyRequest make;
  make.set_name("integration");
  v1::CreateApiKeyResponse key;
  ASSERT_TRUE(keys->CreateApiKey(Ctx(token).get(), make, &key).ok());
  // Anyone who knows the name types three wrong passwords.
  for (int i = 0; i < 3; ++i) TryLogin(user.username(), "Wrong-Password-42");
  ASSERT_EQ(Column(user, "locked"), "t");
  EXPECT_FALSE(TryLogin(user.username(), kPassword).ok());
  grpc::Status session;
  PrincipalOf(token, &session);
  EXPECT_TRUE(session.ok()) << session.error_message();
  v1::ValidateApiKeyRequest validate;
  validate.set_api_key(key.api_key());
  v1::ValidateApiKeyResponse who;
  grpc::Status s = auth_->ValidateApiKey(Ctx().get(), validate, &who);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

TEST_F(AccountSafetyE2eTest, AGlobalAdminIsOnlyEverLockedForAWhile) {
  v1::User global =
      CreateUser(OrgWithLockout(3, 0).id(), "GLOBAL_ADMIN");
  for (int i = 0; i < 3; ++i) TryLogin(global.username(), "Wrong-Password-42");
  EXPECT_EQ(Column(global, "locked"), "t");
  EXPECT_EQ(Column(global, "locked_until IS NOT NULL AND locked_until <= "
                           "now() + interval '901 seconds'"),
            "t")
      << "a policy of 'until an admin unlocks' becomes 900 s for it";
  v1::UnlockUserRequest unlock;
  unlock.set_id(global.id());
  v1::User out;
  ASSERT_TRUE(users_->UnlockUser(Ctx(AdminToken()).get(), unlock, &out).ok());
}

TEST_F(AccountSafetyE2eTest, OnlyAGlobalAdminChangesLockoutWhereOneLives) {
  v1::Organization org = CreateOrg();
  CreateUser(org.id(), "GLOBAL_ADMIN");
  v1::User admin = CreateUser(org.id(), "ADMIN");
  const std::string token = Login(admin.username(), kPassword);
  v1::UpdateOrganizationRequest req;
  req.set_id(org.id());
  req.mutable_lockout_policy()->set_max_failed_attempts(0);  // never lock
  req.mutable_lockout_policy()->set_window_seconds(900);
  v1::Organization out;
  grpc::Status s = orgs_->UpdateOrganization(Ctx(token).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("global admin"), std::string::npos);
  v1::UpdateOrganizationRequest ranges;
  ranges.set_id(org.id());
  ranges.mutable_trusted_ip_ranges()->add_values("192.0.2.0/24");
  EXPECT_EQ(orgs_->UpdateOrganization(Ctx(token).get(), ranges, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "trusted ranges would switch off the global admin's keys";
  v1::UpdateOrganizationRequest rename;
  rename.set_id(org.id());
  rename.set_name(Unique("renamed"));
  EXPECT_TRUE(orgs_->UpdateOrganization(Ctx(token).get(), rename, &out).ok())
      << "other settings stay the admin's";
  EXPECT_TRUE(
      orgs_->UpdateOrganization(Ctx(AdminToken()).get(), req, &out).ok());
}

TEST_F(AccountSafetyE2eTest, DirectoryUsersDoNotMoveAwayFromTheirProvider) {
  v1::Organization source = CreateOrg();
  v1::Organization target = CreateOrg();
  v1::User internal = CreateUser(source.id(), "BASIC_USER");
  v1::User ldap = CreateUser(source.id(), "BASIC_USER", Unique("dir"));
  // As a directory login would have provisioned it.
  Sql("UPDATE users SET origin = 'LDAP', password_hash = NULL WHERE id = '" +
      ldap.id() + "'");
  v1::MoveOrganizationContentsRequest move;
  move.set_source_organization_id(source.id());
  move.set_target_organization_id(target.id());
  v1::MoveOrganizationContentsResponse moved;
  grpc::Status s =
      orgs_->MoveOrganizationContents(Ctx(AdminToken()).get(), move, &moved);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find(ldap.username()), std::string::npos)
      << s.error_message();
  EXPECT_EQ(Column(internal, "organization_id::text"), source.id())
      << "nothing moved";
}

TEST_F(AccountSafetyE2eTest, ServiceUserNeverReachesAnExternallyManagedUser) {
  v1::Organization org = CreateOrg();
  v1::ConfigureLdapProviderRequest ldap = LdapSettings(org.id());
  v1::GroupRoleMapping* m = ldap.mutable_ldap()->add_group_role_mappings();
  m->set_group("cn=robots,dc=x");
  m->add_add_on_roles("SERVICE_USER");
  v1::IdentityProvider out;
  grpc::Status s =
      orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), ldap, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("SERVICE_USER"), std::string::npos)
      << s.error_message();

  // A group with a SAML member cannot be given SERVICE_USER afterwards.
  v1::User saml = CreateUser(org.id(), "BASIC_USER");
  auto keys = v1::ApiKeyService::NewStub(server().NewChannel());
  v1::CreateApiKeyRequest make_key;
  make_key.set_user_id(saml.id());
  make_key.set_name("probe");
  v1::CreateApiKeyResponse key;
  ASSERT_TRUE(keys->CreateApiKey(Ctx(AdminToken()).get(), make_key, &key).ok());
  v1::CreateGroupRequest make;
  make.set_organization_id(org.id());
  make.set_name(Unique("robots"));
  v1::Group group;
  ASSERT_TRUE(roles_->CreateGroup(Ctx(AdminToken()).get(), make, &group).ok());
  v1::AddGroupMemberRequest add;
  add.set_group_id(group.id());
  add.set_user_id(saml.id());
  ASSERT_TRUE(roles_->AddGroupMember(Ctx(AdminToken()).get(), add, &group).ok());
  Sql("UPDATE users SET origin = 'SAML', password_hash = NULL WHERE id = '" +
      saml.id() + "'");
  v1::SetGroupRolesRequest set;
  set.set_group_id(group.id());
  set.add_roles("SERVICE_USER");
  s = roles_->SetGroupRoles(Ctx(AdminToken()).get(), set, &group);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find(saml.username()), std::string::npos)
      << s.error_message();
  // Written in by hand, it still grants nothing.
  Sql("UPDATE groups SET roles = '{SERVICE_USER}' WHERE id = '" + group.id() +
      "'");
  v1::ValidateApiKeyRequest validate;
  validate.set_api_key(key.api_key());
  v1::ValidateApiKeyResponse who;
  ASSERT_TRUE(auth_->ValidateApiKey(Ctx().get(), validate, &who).ok());
  for (const std::string& perm : who.principal().permissions()) {
    EXPECT_NE(perm, "apis.invoke") << "SERVICE_USER's permission leaked";
  }
  for (const std::string& role : who.principal().roles()) {
    EXPECT_NE(role, "SERVICE_USER");
  }
}

class LastAdminE2eTest : public E2eTest {};

TEST_F(LastAdminE2eTest, APendingGlobalAdminInvitationIsNoWayBackIn) {
  // A mistyped invitation to GLOBAL_ADMIN: enabled, but pending and without
  // a password. It must not let the last real global admin go.
  const v1::Principal me = PrincipalOf(AdminToken());
  Sql("INSERT INTO users (organization_id, username, origin, primary_role, "
      "pending) VALUES ('" + me.organization_id() + "', '" +
      Unique("typo") + "@example.com', 'INTERNAL', 'GLOBAL_ADMIN', true)");
  // Another global admin whose way in is an IdP, not a password here.
  v1::User sso = CreateUser(me.organization_id(), "GLOBAL_ADMIN");
  const std::string token = Login(sso.username(), kPassword);
  Sql("UPDATE users SET origin = 'SAML', password_hash = NULL WHERE id = '" +
      sso.id() + "'");
  v1::DisableUserRequest off;
  off.set_id(me.user_id());
  v1::User out;
  grpc::Status s = users_->DisableUser(Ctx(token).get(), off, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << s.error_message();
  EXPECT_NE(s.error_message().find("last enabled internal GLOBAL_ADMIN"),
            std::string::npos)
      << s.error_message();
  EXPECT_EQ(Sql("SELECT enabled FROM users WHERE id = '" + me.user_id() + "'"), "t");
}

}  // namespace
}  // namespace identity::testing
