// TOTP second factor, with codes computed independently by liboath here.
#include <liboath/oath.h>

#include <chrono>
#include <cstdlib>

#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

class TotpE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    oath_init();
    ExtraEnv() = {{"IDENTITY_SECRET_KEY",
                   "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU="},
                  {"IDENTITY_TOTP_ISSUER", "Acme ID"}};
    E2eTest::SetUpTestSuite();
  }

 protected:
  // The code for `base32` at now + offset_steps * 30 s.
  static std::string Code(const std::string& base32, int offset_steps = 0) {
    char* seed = nullptr;
    size_t len = 0;
    EXPECT_EQ(oath_base32_decode(base32.data(), base32.size(), &seed, &len),
              OATH_OK);
    char otp[7] = {};
    const time_t now = std::chrono::system_clock::to_time_t(
                           std::chrono::system_clock::now()) +
                       offset_steps * 30;
    oath_totp_generate(seed, len, now, 30, 0, 6, otp);
    std::free(seed);
    return otp;
  }

  static grpc::Status Login2(const std::string& user, const std::string& code,
                             v1::AuthenticateResponse* out = nullptr) {
    v1::AuthenticateRequest req;
    req.set_username(user);
    req.set_password(kPassword);
    req.set_totp_code(code);
    v1::AuthenticateResponse ignored;
    return auth_->Authenticate(Ctx().get(), req, out ? out : &ignored);
  }

  // Enrolls and confirms TOTP for a fresh user; returns its base32 seed.
  static std::string Enrolled(const v1::User& user,
                              std::vector<std::string>* recovery = nullptr) {
    std::string token = Login(user.username(), kPassword);
    v1::EnrollTotpResponse e;
    EXPECT_TRUE(auth_->EnrollTotp(Ctx(token).get(), {}, &e).ok());
    v1::ConfirmTotpRequest c;
    c.set_code(Code(e.secret()));
    v1::ConfirmTotpResponse codes;
    EXPECT_TRUE(auth_->ConfirmTotp(Ctx(token).get(), c, &codes).ok());
    if (recovery) recovery->assign(codes.recovery_codes().begin(),
                                   codes.recovery_codes().end());
    return e.secret();
  }
};

TEST_F(TotpE2eTest, EnrollmentConfirmationAndLoginWithoutReplays) {
  v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  std::string token = Login(user.username(), kPassword);
  v1::EnrollTotpResponse e;
  ASSERT_TRUE(auth_->EnrollTotp(Ctx(token).get(), {}, &e).ok());
  EXPECT_EQ(e.secret().size(), 32u) << "160 bits in base32";
  EXPECT_EQ(e.otpauth_uri().rfind("otpauth://totp/Acme%20ID:", 0), 0u)
      << e.otpauth_uri();
  EXPECT_NE(e.otpauth_uri().find("secret=" + e.secret()), std::string::npos);
  EXPECT_TRUE(TryLogin(user.username(), kPassword).ok())
      << "an unconfirmed enrollment changes nothing yet";

  v1::ConfirmTotpRequest c;
  c.set_code("000000" == Code(e.secret()) ? "111111" : "000000");
  v1::ConfirmTotpResponse codes;
  EXPECT_EQ(auth_->ConfirmTotp(Ctx(token).get(), c, &codes).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  const std::string used_at_confirm = Code(e.secret());
  c.set_code(used_at_confirm);
  ASSERT_TRUE(auth_->ConfirmTotp(Ctx(token).get(), c, &codes).ok());
  EXPECT_EQ(codes.recovery_codes_size(), 10);

  grpc::Status none = TryLogin(user.username(), kPassword);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(none.error_message().rfind("totp_code: required", 0), 0u);
  EXPECT_EQ(Login2(user.username(), used_at_confirm).error_code(),
            grpc::StatusCode::UNAUTHENTICATED) << "a used code is not replayed";
  const std::string next = Code(e.secret(), 1);
  EXPECT_TRUE(Login2(user.username(), next).ok());
  EXPECT_EQ(Login2(user.username(), next).error_code(),
            grpc::StatusCode::UNAUTHENTICATED) << "nor is this one";

  const std::string recovery = codes.recovery_codes(0);
  EXPECT_TRUE(Login2(user.username(), recovery).ok());
  EXPECT_EQ(Login2(user.username(), recovery).error_code(),
            grpc::StatusCode::UNAUTHENTICATED) << "recovery codes work once";
  EXPECT_EQ(Sql("SELECT octet_length(secret_box) FROM user_totp WHERE "
                "user_id = '" + user.id() + "'"),
            "60") << "the 20-byte seed is stored sealed (nonce + MAC + seed)";
}

TEST_F(TotpE2eTest, AnOrganizationCanRequireIt) {
  v1::Organization org = CreateOrg();
  v1::UpdateOrganizationRequest req;
  req.set_id(org.id());
  req.set_require_totp(true);
  v1::Organization out;
  ASSERT_TRUE(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), req, &out).ok());
  v1::User user = CreateUser(org.id(), "ADMIN");
  v1::AuthenticateResponse login;
  ASSERT_TRUE(TryLogin(user.username(), kPassword, &login).ok());
  ASSERT_EQ(login.required_actions_size(), 1);
  EXPECT_EQ(login.required_actions(0), "ENROLL_TOTP");
  v1::ListUsersResponse list;
  grpc::Status blocked =
      users_->ListUsers(Ctx(login.session_token()).get(), {}, &list);
  EXPECT_EQ(blocked.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(blocked.error_message().find("EnrollTotp"), std::string::npos);

  v1::EnrollTotpResponse e;
  ASSERT_TRUE(auth_->EnrollTotp(Ctx(login.session_token()).get(), {}, &e).ok());
  v1::ConfirmTotpRequest c;
  c.set_code(Code(e.secret()));
  v1::ConfirmTotpResponse codes;
  ASSERT_TRUE(auth_->ConfirmTotp(Ctx(login.session_token()).get(), c, &codes).ok());
  EXPECT_TRUE(users_->ListUsers(Ctx(login.session_token()).get(), {}, &list).ok());
}

TEST_F(TotpE2eTest, WrongCodesCountTowardTheLockout) {
  v1::Organization org = CreateOrg();
  v1::UpdateOrganizationRequest req;
  req.set_id(org.id());
  req.mutable_lockout_policy()->set_max_failed_attempts(2);
  req.mutable_lockout_policy()->set_window_seconds(600);
  req.mutable_lockout_policy()->set_lockout_seconds(0);
  v1::Organization out;
  ASSERT_TRUE(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), req, &out).ok());
  v1::User user = CreateUser(org.id(), "BASIC_USER");
  std::string seed = Enrolled(user);
  const std::string wrong = Code(seed, 5);  // outside the window
  EXPECT_FALSE(Login2(user.username(), wrong).ok());
  EXPECT_FALSE(Login2(user.username(), wrong).ok());
  EXPECT_EQ(Login2(user.username(), Code(seed, 1)).error_code(),
            grpc::StatusCode::UNAUTHENTICATED) << "locked now";
  EXPECT_EQ(Sql("SELECT locked FROM users WHERE id = '" + user.id() + "'"), "t");
}

TEST_F(TotpE2eTest, DisablingNeedsACodeForOneselfAndAnAdminForOthers) {
  v1::Organization org = CreateOrg();
  v1::User user = CreateUser(org.id(), "BASIC_USER");
  std::vector<std::string> recovery;
  std::string seed = Enrolled(user, &recovery);
  v1::AuthenticateResponse login;
  ASSERT_TRUE(Login2(user.username(), recovery[0], &login).ok());
  v1::DisableTotpRequest self;
  v1::DisableTotpResponse done;
  EXPECT_EQ(auth_->DisableTotp(Ctx(login.session_token()).get(), self, &done)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT) << "a session alone is not enough";
  self.set_code(recovery[1]);
  ASSERT_TRUE(auth_->DisableTotp(Ctx(login.session_token()).get(), self, &done).ok());
  EXPECT_TRUE(TryLogin(user.username(), kPassword).ok());

  v1::User other = CreateUser(org.id(), "BASIC_USER");
  Enrolled(other);
  v1::User peer = CreateUser(org.id(), "BASIC_USER");
  v1::DisableTotpRequest theirs;
  theirs.set_user_id(other.id());
  EXPECT_EQ(auth_->DisableTotp(Ctx(Login(peer.username(), kPassword)).get(),
                               theirs, &done)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(auth_->DisableTotp(Ctx(AdminToken()).get(), theirs, &done).ok())
      << "an admin resets a lost device";
  EXPECT_TRUE(TryLogin(other.username(), kPassword).ok());
}

}  // namespace
}  // namespace identity::testing
