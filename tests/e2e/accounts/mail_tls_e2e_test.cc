// Invitation links are bearer secrets: they travel only over TLS unless the
// operator names a plain local relay explicitly (smtp://...?tls=none).
#include "tests/e2e/e2e_fixture.h"
#include "tests/support/smtp_server.h"

namespace identity::testing {
namespace {

// One identityd per suite, mailing through an SMTP server of kind `Tls`.
template <SmtpServer::Tls kTls, bool kTrustTestCa>
class MailTlsE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    smtp_ = SmtpServer::Start(kTls);
    ASSERT_NE(smtp_, nullptr);
    ExtraEnv() = {{"IDENTITY_SMTP_URL", smtp_->url()},
                  {"IDENTITY_SMTP_FROM", "identity@example.com"}};
    if (kTrustTestCa) ExtraEnv()["IDENTITY_SMTP_CA_FILE"] = smtp_->ca_file();
    E2eTest::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    E2eTest::TearDownTestSuite();
    smtp_.reset();
  }

 protected:
  static grpc::Status Invite(const std::string& email) {
    v1::InviteUserRequest req;
    req.set_organization_id(CreateOrg().id());
    req.set_email(email);
    req.set_display_name("Invited Person");
    req.set_primary_role("BASIC_USER");
    v1::User out;
    return users_->InviteUser(Ctx(AdminToken()).get(), req, &out);
  }

  static std::unique_ptr<SmtpServer> smtp_;
};

template <SmtpServer::Tls kTls, bool kTrustTestCa>
std::unique_ptr<SmtpServer> MailTlsE2eTest<kTls, kTrustTestCa>::smtp_;

using PlainRelayE2eTest = MailTlsE2eTest<SmtpServer::Tls::kNone, false>;
using StartTlsE2eTest = MailTlsE2eTest<SmtpServer::Tls::kStartTls, true>;
using UntrustedStartTlsE2eTest =
    MailTlsE2eTest<SmtpServer::Tls::kStartTls, false>;
using SmtpsE2eTest = MailTlsE2eTest<SmtpServer::Tls::kImplicit, true>;

// Before: smtp:// without IDENTITY_SMTP_REQUIRE_TLS sent the link in clear
// to a server that offered no STARTTLS (or to anyone stripping it).
TEST_F(PlainRelayE2eTest, InvitationIsNotSentInClearWithoutStartTls) {
  const std::string email = Unique("cleartext");
  grpc::Status s = Invite(email);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_NE(s.error_message().find("could not be sent"), std::string::npos)
      << s.error_message();
  EXPECT_TRUE(smtp_->MessagesTo(email).empty()) << "the link went out in clear";
  EXPECT_NE(server().log().find("does not offer STARTTLS"), std::string::npos);
}

TEST_F(StartTlsE2eTest, InvitationTravelsOverStartTlsWithAVerifiedCertificate) {
  const std::string email = Unique("starttls");
  grpc::Status s = Invite(email);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // The server refuses MAIL before STARTTLS, so arrival proves TLS was used.
  EXPECT_FALSE(TokenFromMail(smtp_->LastMessageTo(email)).empty());
}

TEST_F(UntrustedStartTlsE2eTest,
       MailServerWithAnUnverifiedCertificateGetsNothing) {
  const std::string email = Unique("untrusted");
  EXPECT_EQ(Invite(email).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(smtp_->MessagesTo(email).empty());
  EXPECT_NE(server().log().find("certificate is not trusted"),
            std::string::npos);
}

TEST_F(SmtpsE2eTest, InvitationTravelsOverImplicitTls) {
  const std::string email = Unique("smtps");
  grpc::Status s = Invite(email);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_FALSE(TokenFromMail(smtp_->LastMessageTo(email)).empty());
}

}  // namespace
}  // namespace identity::testing
