// Second-factor codes guessed outside the login form count toward the
// lockout too.
#include <liboath/oath.h>

#include <chrono>
#include <cstdlib>

#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

class TotpLockoutE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    oath_init();
    ExtraEnv() = {{"IDENTITY_SECRET_KEY",
                   "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU="}};
    E2eTest::SetUpTestSuite();
  }

 protected:
  static std::string Code(const std::string& base32) {
    char* seed = nullptr;
    size_t len = 0;
    EXPECT_EQ(oath_base32_decode(base32.data(), base32.size(), &seed, &len),
              OATH_OK);
    char otp[7] = {};
    oath_totp_generate(seed, len,
                       std::chrono::system_clock::to_time_t(
                           std::chrono::system_clock::now()),
                       30, 0, 6, otp);
    std::free(seed);
    return otp;
  }
};

TEST_F(TotpLockoutE2eTest, WrongCodesAtDisableTotpLockTheAccount) {
  v1::Organization org = CreateOrg();
  v1::UpdateOrganizationRequest policy;
  policy.set_id(org.id());
  policy.mutable_lockout_policy()->set_max_failed_attempts(3);
  policy.mutable_lockout_policy()->set_window_seconds(900);
  policy.mutable_lockout_policy()->set_lockout_seconds(900);
  v1::Organization updated;
  ASSERT_TRUE(
      orgs_->UpdateOrganization(Ctx(AdminToken()).get(), policy, &updated).ok());
  v1::User user = CreateUser(org.id(), "BASIC_USER");
  const std::string token = Login(user.username(), kPassword);
  v1::EnrollTotpResponse e;
  ASSERT_TRUE(auth_->EnrollTotp(Ctx(token).get(), {}, &e).ok());
  v1::ConfirmTotpRequest confirm;
  confirm.set_code(Code(e.secret()));
  v1::ConfirmTotpResponse codes;
  ASSERT_TRUE(auth_->ConfirmTotp(Ctx(token).get(), confirm, &codes).ok());

  // A stolen session guesses codes to strip the second factor.
  const std::string right = Code(e.secret());
  v1::DisableTotpRequest guess;
  v1::DisableTotpResponse done;
  for (int i = 0; i < 3; ++i) {
    guess.set_code(right == "000000" ? "111111" : "000000");
    EXPECT_EQ(auth_->DisableTotp(Ctx(token).get(), guess, &done).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  EXPECT_EQ(Sql("SELECT locked FROM users WHERE id = '" + user.id() + "'"),
            "t");
  guess.set_code(codes.recovery_codes(0));
  grpc::Status locked = auth_->DisableTotp(Ctx(token).get(), guess, &done);
  EXPECT_EQ(locked.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << "no more guesses while locked, even a right one";
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE target_id = '" +
                user.id() + "' AND action = 'auth.login_failed' AND "
                "details->>'reason' = 'wrong_totp'"),
            "3");
  // The lock does not end the owner's session.
  grpc::Status valid;
  PrincipalOf(token, &valid);
  EXPECT_TRUE(valid.ok()) << valid.error_message();
}

}  // namespace
}  // namespace identity::testing
