// Invitations, self-registration and Terms of Use, following the links in
// mail received by a real SMTP server.
#include <chrono>
#include <thread>

#include "tests/e2e/e2e_fixture.h"
#include "tests/support/smtp_server.h"

namespace identity::testing {
namespace {

class OnboardingE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    smtp_ = SmtpServer::Start();
    ASSERT_NE(smtp_, nullptr);
    // A plain relay on loopback: said so explicitly, as an operator must.
    ExtraEnv() = {{"IDENTITY_SMTP_URL", smtp_->url() + "?tls=none"},
                  {"IDENTITY_SMTP_FROM", "identity@example.com"},
                  {"IDENTITY_PUBLIC_URL", "https://id.example.com/"}};
    E2eTest::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    E2eTest::TearDownTestSuite();
    smtp_.reset();
  }

 protected:
  static v1::Organization OrgWithTerms(const std::string& version,
                                       bool self_registration = false) {
    v1::Organization org = CreateOrg();
    v1::UpdateOrganizationRequest req;
    req.set_id(org.id());
    req.set_terms_of_use_version(version);
    req.set_self_registration_enabled(self_registration);
    v1::Organization out;
    EXPECT_TRUE(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), req, &out).ok());
    return out;
  }

  static v1::User Invite(const std::string& org, const std::string& email) {
    v1::InviteUserRequest req;
    req.set_organization_id(org);
    req.set_email(email);
    req.set_display_name("Invited Person");
    req.set_primary_role("BASIC_USER");
    v1::User out;
    grpc::Status s = users_->InviteUser(Ctx(AdminToken()).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  static grpc::Status Accept(const std::string& token, v1::User* out = nullptr) {
    v1::AcceptInvitationRequest req;
    req.set_token(token);
    req.set_password(kPassword);
    v1::User ignored;
    return users_->AcceptInvitation(Ctx().get(), req, out ? out : &ignored);
  }

  static std::unique_ptr<SmtpServer> smtp_;
};

std::unique_ptr<SmtpServer> OnboardingE2eTest::smtp_;

TEST_F(OnboardingE2eTest, InvitedUserSetsAPasswordThenAcceptsTheTerms) {
  v1::Organization org = OrgWithTerms("2026-11");
  const std::string email = Unique("invitee");
  v1::User invited = Invite(org.id(), email);
  EXPECT_TRUE(invited.pending());
  EXPECT_EQ(invited.username(), email);
  EXPECT_EQ(TryLogin(email, kPassword).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  const std::string mail = smtp_->LastMessageTo(email);
  ASSERT_FALSE(mail.empty()) << "no invitation mail arrived";
  EXPECT_NE(mail.find("From: <identity@example.com>"), std::string::npos);
  EXPECT_NE(mail.find("https://id.example.com/accept-invitation?token="),
            std::string::npos)
      << mail;
  const std::string token = TokenFromMail(mail);
  v1::User accepted;
  ASSERT_TRUE(Accept(token, &accepted).ok());
  EXPECT_FALSE(accepted.pending());
  EXPECT_EQ(Accept(token).error_code(), grpc::StatusCode::NOT_FOUND)
      << "single use";

  v1::AuthenticateResponse login;
  ASSERT_TRUE(TryLogin(email, kPassword, &login).ok());
  ASSERT_EQ(login.required_actions_size(), 1);
  EXPECT_EQ(login.required_actions(0), "ACCEPT_TERMS_OF_USE");
  const std::string session = login.session_token();
  v1::UpdateUserRequest update;
  update.set_id(invited.id());
  update.set_display_name("Not yet");
  v1::User out;
  grpc::Status blocked = users_->UpdateUser(Ctx(session).get(), update, &out);
  EXPECT_EQ(blocked.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(blocked.error_message().find("AcceptTermsOfUse"), std::string::npos);
  EXPECT_TRUE(users_->GetCurrentUser(Ctx(session).get(), {}, &out).ok());

  v1::AcceptTermsOfUseRequest terms;
  terms.set_version("2025-01");
  grpc::Status old = users_->AcceptTermsOfUse(Ctx(session).get(), terms, &out);
  EXPECT_EQ(old.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(old.error_message().find("2026-11"), std::string::npos);
  terms.set_version("2026-11");
  ASSERT_TRUE(users_->AcceptTermsOfUse(Ctx(session).get(), terms, &out).ok());
  EXPECT_EQ(out.terms_accepted_version(), "2026-11");
  EXPECT_TRUE(users_->UpdateUser(Ctx(session).get(), update, &out).ok());

  // A new version of the terms asks again.
  v1::UpdateOrganizationRequest bump;
  bump.set_id(org.id());
  bump.set_terms_of_use_version("2027-01");
  v1::Organization o;
  ASSERT_TRUE(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), bump, &o).ok());
  EXPECT_EQ(users_->UpdateUser(Ctx(session).get(), update, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(OnboardingE2eTest, ResendVoidsTheOldLinkAndBadTokensHarmNothing) {
  v1::Organization org = OrgWithTerms("");
  const std::string email = Unique("resend");
  v1::User invited = Invite(org.id(), email);
  const std::string first = TokenFromMail(smtp_->LastMessageTo(email));

  EXPECT_EQ(Accept("itk_" + std::string(43, 'A')).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Accept("garbage").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  Sql("UPDATE user_tokens SET expires_at = now() - interval '1 minute' "
      "WHERE user_id = '" + invited.id() + "'");
  grpc::Status expired = Accept(first);
  EXPECT_EQ(expired.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(expired.error_message().find("expired"), std::string::npos);

  v1::ResendInvitationRequest resend;
  resend.set_user_id(invited.id());
  v1::User out;
  ASSERT_TRUE(users_->ResendInvitation(Ctx(AdminToken()).get(), resend, &out).ok());
  std::vector<std::string> mails = smtp_->MessagesTo(email);
  ASSERT_EQ(mails.size(), 2u);
  std::string second;
  for (const std::string& m : mails) {
    if (TokenFromMail(m) != first) second = TokenFromMail(m);
  }
  ASSERT_FALSE(second.empty()) << "the resent mail carries a new token";
  EXPECT_EQ(Accept(first).error_code(), grpc::StatusCode::NOT_FOUND)
      << "the old link is void";
  ASSERT_TRUE(Accept(second).ok());
  v1::AuthenticateResponse login;
  ASSERT_TRUE(TryLogin(email, kPassword, &login).ok());
  EXPECT_EQ(login.required_actions_size(), 0) << "this organization has no terms";
  EXPECT_EQ(users_->ResendInvitation(Ctx(AdminToken()).get(), resend, &out)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "an accepted invitation is not resent";
}

TEST_F(OnboardingE2eTest, SelfRegistrationNeedsTheSettingAndAVerifiedEmail) {
  v1::Organization closed = OrgWithTerms("", false);
  v1::RegisterUserRequest reg;
  reg.set_organization_id(closed.id());
  reg.set_email(Unique("self"));
  reg.set_display_name("Self Starter");
  reg.set_password(kPassword);
  v1::User out;
  EXPECT_EQ(users_->RegisterUser(Ctx().get(), reg, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  v1::Organization open = OrgWithTerms("v1", true);
  reg.set_organization_id(open.id());
  ASSERT_TRUE(users_->RegisterUser(Ctx().get(), reg, &out).ok());
  EXPECT_TRUE(out.pending());
  EXPECT_EQ(out.primary_role(), "BASIC_USER");
  EXPECT_EQ(TryLogin(reg.email(), kPassword).error_code(),
            grpc::StatusCode::UNAUTHENTICATED) << "not verified yet";
  const std::string mail = smtp_->LastMessageTo(reg.email());
  EXPECT_NE(mail.find("/verify-email?token="), std::string::npos) << mail;
  v1::VerifyEmailRequest verify;
  verify.set_token(TokenFromMail(mail));
  ASSERT_TRUE(users_->VerifyEmail(Ctx().get(), verify, &out).ok());
  EXPECT_FALSE(out.pending());
  v1::AuthenticateResponse login;
  ASSERT_TRUE(TryLogin(reg.email(), kPassword, &login).ok());
  ASSERT_EQ(login.required_actions_size(), 1);
  EXPECT_EQ(login.required_actions(0), "ACCEPT_TERMS_OF_USE");

  reg.set_password("short");
  reg.set_email(Unique("weak"));
  EXPECT_EQ(users_->RegisterUser(Ctx().get(), reg, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// Alerts are mailed in the background: wait a little for them.
std::vector<std::string> WaitForMails(const SmtpServer& smtp,
                                      const std::string& to, size_t count) {
  for (int i = 0; i < 100; ++i) {
    std::vector<std::string> mails = smtp.MessagesTo(to);
    if (mails.size() >= count) return mails;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return smtp.MessagesTo(to);
}

TEST_F(OnboardingE2eTest, SecurityAlertsGoToUsersWhoAskedForThem) {
  v1::Organization org = CreateOrg();
  v1::UpdateOrganizationRequest policy;
  policy.set_id(org.id());
  policy.mutable_lockout_policy()->set_max_failed_attempts(1);
  policy.mutable_lockout_policy()->set_window_seconds(60);
  policy.mutable_lockout_policy()->set_lockout_seconds(1);
  v1::Organization o;
  ASSERT_TRUE(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), policy, &o).ok());
  v1::User careful = CreateUser(org.id(), "BASIC_USER");
  v1::User quiet = CreateUser(org.id(), "BASIC_USER");

  std::string token = Login(careful.username(), kPassword);
  v1::UpdateUserRequest prefs;
  prefs.set_id(careful.id());
  prefs.set_security_alerts(true);
  v1::User out;
  ASSERT_TRUE(users_->UpdateUser(Ctx(token).get(), prefs, &out).ok());
  EXPECT_TRUE(out.security_alerts());

  for (const v1::User& u : {careful, quiet}) {
    std::string t = Login(u.username(), kPassword);
    v1::ChangePasswordRequest change;
    change.set_current_password(kPassword);
    change.set_new_password("Changed-Password-77");
    v1::ChangePasswordResponse done;
    ASSERT_TRUE(users_->ChangePassword(Ctx(t).get(), change, &done).ok());
    v1::CreateApiKeyRequest key;
    key.set_name("alerted key");
    v1::CreateApiKeyResponse created;
    ASSERT_TRUE(v1::ApiKeyService::NewStub(server().NewChannel())
                    ->CreateApiKey(Ctx(t).get(), key, &created)
                    .ok());
    EXPECT_FALSE(TryLogin(u.username(), "Wrong-Password-1").ok());  // locks
  }
  std::vector<std::string> mails = WaitForMails(*smtp_, careful.email(), 3);
  ASSERT_EQ(mails.size(), 3u);
  EXPECT_NE(mails[0].find("Subject: Your password was changed"), std::string::npos);
  EXPECT_NE(mails[1].find("Subject: A new API key was created"), std::string::npos);
  EXPECT_NE(mails[2].find("Subject: Your account was locked"), std::string::npos);
  for (const std::string& m : mails) {
    EXPECT_EQ(m.find("Changed-Password-77"), std::string::npos);
  }
  EXPECT_TRUE(smtp_->MessagesTo(quiet.email()).empty())
      << "no alerts for users who did not ask";
}

}  // namespace
}  // namespace identity::testing
