// A self-registration that nobody verifies holds its address only until its
// link expires, and never against anyone else: an invitation, a directory or
// SAML user, or a new registration of the address replaces it.
#include <chrono>
#include <thread>

#include "tests/e2e/providers/ldap/ldap_fixture.h"
#include "tests/e2e/providers/saml/saml_fixture.h"
#include "tests/support/smtp_server.h"

namespace identity::testing {
namespace {

// A pending self-registration of `email` in a fresh organization that
// allows it, as someone squatting on the address would leave it.
v1::User Squat(const std::string& email) {
  v1::Organization open = E2eTest::CreateOrg();
  v1::UpdateOrganizationRequest settings;
  settings.set_id(open.id());
  settings.set_self_registration_enabled(true);
  EXPECT_TRUE(E2eTest::orgs_
                  ->UpdateOrganization(Ctx(E2eTest::AdminToken()).get(),
                                       settings, &open)
                  .ok());
  v1::RegisterUserRequest reg;
  reg.set_organization_id(open.id());
  reg.set_email(email);
  reg.set_password("Squatter-Password-1");
  v1::User squatter;
  EXPECT_TRUE(
      E2eTest::users_->RegisterUser(Ctx().get(), reg, &squatter).ok());
  return squatter;
}

class RegistrationE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    smtp_ = SmtpServer::Start();
    ASSERT_NE(smtp_, nullptr);
    ExtraEnv() = {{"IDENTITY_SMTP_URL", smtp_->url() + "?tls=none"}};
    E2eTest::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    E2eTest::TearDownTestSuite();
    smtp_.reset();
  }

  static v1::Organization OpenOrg() {
    v1::Organization org = CreateOrg();
    v1::UpdateOrganizationRequest req;
    req.set_id(org.id());
    req.set_self_registration_enabled(true);
    EXPECT_TRUE(
        orgs_->UpdateOrganization(Ctx(AdminToken()).get(), req, &org).ok());
    return org;
  }

  // RegisterUser, and the token of the verification mail it sent.
  static grpc::Status Register(const std::string& org, const std::string& email,
                               const std::string& password,
                               std::string* token = nullptr) {
    v1::RegisterUserRequest req;
    req.set_organization_id(org);
    req.set_email(email);
    req.set_display_name("Some One");
    req.set_password(password);
    v1::User out;
    grpc::Status s = users_->RegisterUser(Ctx().get(), req, &out);
    if (token != nullptr) *token = TokenFromMail(smtp_->LastMessageTo(email));
    return s;
  }

  static grpc::Status Verify(const std::string& token) {
    v1::VerifyEmailRequest req;
    req.set_token(token);
    v1::User out;
    return users_->VerifyEmail(Ctx().get(), req, &out);
  }

  static std::string Audited(const std::string& action,
                             const std::string& email) {
    return Sql("SELECT count(*) FROM audit_events WHERE action = '" + action +
               "' AND details->>'username' = '" + email + "'");
  }

  static inline std::unique_ptr<SmtpServer> smtp_;
};

// Before: anyone could register a colleague's address in an organization
// open to registration, and no administrator could invite that person
// anywhere (ALREADY_EXISTS) for as long as the row stayed.
TEST_F(RegistrationE2eTest, AbandonedRegistrationDoesNotBlockAnInvitation) {
  const std::string victim = Unique("victim");
  std::string squatter_link;
  ASSERT_TRUE(
      Register(OpenOrg().id(), victim, "Squatter-Password-1", &squatter_link)
          .ok());
  const v1::Organization home = CreateOrg();
  v1::InviteUserRequest invite;
  invite.set_organization_id(home.id());
  invite.set_email(victim);
  invite.set_primary_role("BASIC_USER");
  v1::User invited;
  grpc::Status s =
      users_->InviteUser(Ctx(AdminToken()).get(), invite, &invited);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(invited.organization_id(), home.id());
  EXPECT_EQ(Verify(squatter_link).error_code(), grpc::StatusCode::NOT_FOUND)
      << "the replaced registration's link is dead";
  EXPECT_EQ(Audited("registration.discard", victim), "1");
  EXPECT_EQ(Sql("SELECT count(*) FROM users WHERE username = '" + victim + "'"),
            "1");
}

TEST_F(RegistrationE2eTest, RegistrationDoesNotBlockALaterOneOfTheSameAddress) {
  const std::string email = Unique("again");
  std::string first, second;
  ASSERT_TRUE(
      Register(OpenOrg().id(), email, "First-Password-11", &first).ok());
  const v1::Organization org = OpenOrg();
  grpc::Status s = Register(org.id(), email, "Second-Password-22", &second);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(Verify(first).error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(Verify(second).ok());
  v1::AuthenticateResponse login;
  ASSERT_TRUE(TryLogin(email, "Second-Password-22", &login).ok());
  EXPECT_EQ(login.user().organization_id(), org.id());
  EXPECT_EQ(Audited("registration.discard", email), "1");
  EXPECT_EQ(Register(org.id(), email, "Third-Password-33").error_code(),
            grpc::StatusCode::ALREADY_EXISTS)
      << "a verified user is never replaced";
}

TEST_F(RegistrationE2eTest, RegistrationNeverReplacesAPendingInvitation) {
  const std::string email = Unique("invited");
  v1::InviteUserRequest invite;
  invite.set_organization_id(CreateOrg().id());
  invite.set_email(email);
  invite.set_primary_role("BASIC_USER");
  v1::User invited;
  ASSERT_TRUE(
      users_->InviteUser(Ctx(AdminToken()).get(), invite, &invited).ok());
  EXPECT_EQ(Register(OpenOrg().id(), email, "Squatter-Password-1").error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(
      Sql("SELECT organization_id FROM users WHERE username = '" + email + "'"),
      invited.organization_id());
}

TEST_F(RegistrationE2eTest, ExpiredRegistrationsArePurged) {
  const std::string email = Unique("expired");
  ASSERT_TRUE(Register(OpenOrg().id(), email, "Some-Password-123").ok());
  const std::string where = " FROM users WHERE username = '" + email + "'";
  EXPECT_EQ(Sql("SELECT registration_expires_at BETWEEN now() + interval "
                "'23 hours 59 minutes' AND now() + interval '24 hours'" +
                where),
            "t")
      << "IDENTITY_EMAIL_VERIFICATION_TTL_SECONDS, 24 h by default";
  Sql("UPDATE users SET registration_expires_at = now() - interval '1 second' "
      "WHERE username = '" +
      email + "'");
  ASSERT_TRUE(server().Restart());  // a pass runs at start, then every 10 min
  for (int i = 0; i < 100 && Sql("SELECT count(*)" + where) != "0"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(Sql("SELECT count(*)" + where), "0");
  EXPECT_EQ(Audited("registration.expire", email), "1");
}

// A directory whose login name is the mail address (userPrincipalName in
// Active Directory): a registration of that address must not keep the
// directory user out.
class RegistrationLdapE2eTest : public LdapE2eTest {
 public:
  static void SetUpTestSuite() {
    smtp_ = SmtpServer::Start();
    ASSERT_NE(smtp_, nullptr);
    slapd_ = SlapdServer::Start(kLdapSeed);
    ASSERT_NE(slapd_, nullptr);
    RememberSecret(SlapdServer::kReaderPassword);
    ExtraEnv() = {
        {"IDENTITY_SECRET_KEY", "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU="},
        {"IDENTITY_SMTP_URL", smtp_->url() + "?tls=none"}};
    E2eTest::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    LdapE2eTest::TearDownTestSuite();
    smtp_.reset();
  }
  static inline std::unique_ptr<SmtpServer> smtp_;
};

TEST_F(RegistrationLdapE2eTest, PendingRegistrationDoesNotBlockDirectoryUser) {
  const v1::User squatter = Squat("dave@example.com");

  v1::Organization org = CreateOrg();
  v1::ConfigureLdapProviderRequest req =
      ProviderConfig(org.id(), "(mail={username})");
  req.mutable_ldap()->set_username_attribute("mail");
  v1::IdentityProvider provider;
  ASSERT_TRUE(
      orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), req, &provider)
          .ok());
  v1::AuthenticateResponse login;
  grpc::Status s =
      LdapLogin("dave@example.com", "dave-password", org.id(), &login);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(login.user().origin(), v1::ORIGIN_LDAP);
  EXPECT_EQ(login.user().organization_id(), org.id());
  EXPECT_NE(login.user().id(), squatter.id());
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE action = "
                "'registration.discard' AND target_id = '" +
                squatter.id() + "'"),
            "1");
}

class RegistrationSamlE2eTest : public SamlE2eTest {
 public:
  static void SetUpTestSuite() {
    smtp_ = SmtpServer::Start();
    ASSERT_NE(smtp_, nullptr);
    ExtraEnv() = {{"IDENTITY_SECRET_KEY",
                   "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU="},
                  {"IDENTITY_SMTP_URL", smtp_->url() + "?tls=none"}};
    E2eTest::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    E2eTest::TearDownTestSuite();
    smtp_.reset();
  }
  static inline std::unique_ptr<SmtpServer> smtp_;
};

TEST_F(RegistrationSamlE2eTest, PendingRegistrationDoesNotBlockSamlUser) {
  const v1::User squatter = Squat("sam@saml.example.com");

  TestIdp idp = MakeIdp("registration");
  v1::Organization org = SamlOrg(idp);
  v1::AuthenticateResponse login;
  grpc::Status s = Complete(IdpAnswer(org.name(), idp, "idp-sam-01",
                                      {"user.email=sam@saml.example.com"}),
                            &login);
  ASSERT_TRUE(s.ok()) << s.error_message() << " / " << LastRefusal();
  EXPECT_EQ(login.user().origin(), v1::ORIGIN_SAML);
  EXPECT_EQ(login.user().organization_id(), org.id());
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE action = "
                "'registration.discard' AND target_id = '" +
                squatter.id() + "'"),
            "1");
}

}  // namespace
}  // namespace identity::testing
