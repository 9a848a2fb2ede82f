// Password history and maximum age (organization password policy).
#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using PasswordE2eTest = E2eTest;

v1::User UserWithPasswordPolicy(int history, int max_age_days) {
  v1::Organization org = E2eTest::CreateOrg();
  v1::UpdateOrganizationRequest req;
  req.set_id(org.id());
  req.mutable_password_policy()->set_min_length(12);
  req.mutable_password_policy()->set_history_size(history);
  req.mutable_password_policy()->set_max_age_days(max_age_days);
  v1::Organization out;
  EXPECT_TRUE(E2eTest::orgs_->UpdateOrganization(
                  Ctx(E2eTest::AdminToken()).get(), req, &out)
                  .ok());
  return E2eTest::CreateUser(org.id(), "ADMIN");
}

grpc::Status Change(const std::string& token, const std::string& from,
                    const std::string& to) {
  v1::ChangePasswordRequest req;
  req.set_current_password(from);
  req.set_new_password(to);
  v1::ChangePasswordResponse resp;
  return E2eTest::users_->ChangePassword(Ctx(token).get(), req, &resp);
}

TEST_F(PasswordE2eTest, RecentPasswordsCannotBeReused) {
  v1::User user = UserWithPasswordPolicy(2, 0);
  std::string token = Login(user.username(), kPassword);
  const std::string b = "Second-Password-B1", c = "Third-Password-C1";
  ASSERT_TRUE(Change(token, kPassword, b).ok());
  ASSERT_TRUE(Change(token, b, c).ok());
  for (const std::string& reused : {std::string(kPassword), b, c}) {
    grpc::Status s = Change(token, c, reused);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << reused;
    EXPECT_EQ(s.error_message(),
              "new_password: must differ from the current and the last 2 "
              "passwords");
  }
  v1::ResetPasswordRequest reset;
  reset.set_id(user.id());
  reset.set_new_password(b);
  v1::ResetPasswordResponse out;
  EXPECT_EQ(users_->ResetPassword(Ctx(AdminToken()).get(), reset, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT)
      << "an admin reset obeys the history too";
  EXPECT_TRUE(Change(token, c, "Fourth-Password-D1").ok());
  EXPECT_TRUE(Change(token, "Fourth-Password-D1", kPassword).ok())
      << "three changes later the first one may come back";
}

TEST_F(PasswordE2eTest, AnExpiredPasswordMustBeChangedBeforeAnythingElse) {
  v1::User user = UserWithPasswordPolicy(0, 30);
  Sql("UPDATE users SET password_changed_at = now() - interval '31 days' "
      "WHERE id = '" + user.id() + "'");
  v1::AuthenticateResponse login;
  ASSERT_TRUE(TryLogin(user.username(), kPassword, &login).ok());
  ASSERT_EQ(login.required_actions_size(), 1);
  EXPECT_EQ(login.required_actions(0), "CHANGE_PASSWORD");
  const std::string token = login.session_token();

  v1::ValidateTokenRequest vt;
  vt.set_token(token);
  v1::ValidateTokenResponse who;
  ASSERT_TRUE(auth_->ValidateToken(Ctx().get(), vt, &who).ok());
  EXPECT_EQ(who.principal().required_actions_size(), 1);
  EXPECT_EQ(who.principal().permissions_size(), 0)
      << "gateways that check permissions only must deny too";

  v1::ListUsersResponse list;
  grpc::Status blocked = users_->ListUsers(Ctx(token).get(), {}, &list);
  EXPECT_EQ(blocked.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(blocked.error_message().find("ChangePassword"), std::string::npos);
  v1::User me;
  EXPECT_TRUE(users_->GetCurrentUser(Ctx(token).get(), {}, &me).ok());

  ASSERT_TRUE(Change(token, kPassword, "A-Fresh-Password-9").ok());
  EXPECT_TRUE(users_->ListUsers(Ctx(token).get(), {}, &list).ok())
      << "the same session works fully once the password is changed";
  ASSERT_TRUE(auth_->ValidateToken(Ctx().get(), vt, &who).ok());
  EXPECT_EQ(who.principal().required_actions_size(), 0);
  EXPECT_GT(who.principal().permissions_size(), 0);
}

}  // namespace
}  // namespace identity::testing
