// Failure budgets of the public calls: a caller that keeps failing is told to
// back off (RESOURCE_EXHAUSTED with a google.rpc.RetryInfo detail) and may
// try again once the budget refills; successes spend nothing, and a valid
// API key is never refused.
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "identity/v1/api_key_service.grpc.pb.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/support/secret_watch.h"

namespace identity::testing {
namespace {

// The retry delay carried in the status details; -1 s when there is none.
absl::Duration RetryDelay(const grpc::Status& s) {
  google::rpc::Status rich;
  if (!rich.ParseFromString(s.error_details())) return absl::Seconds(-1);
  for (const google::protobuf::Any& any : rich.details()) {
    google::rpc::RetryInfo info;
    if (any.UnpackTo(&info)) {
      return absl::Seconds(info.retry_delay().seconds()) +
             absl::Nanoseconds(info.retry_delay().nanos());
    }
  }
  return absl::Seconds(-1);
}

class UsernameBudgetE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    // Three failures a username at once, then one a second.
    ExtraEnv() = {{"IDENTITY_RATE_LIMIT_TARGET_PER_MINUTE", "60"},
                  {"IDENTITY_RATE_LIMIT_TARGET_BURST", "3"}};
    E2eTest::SetUpTestSuite();
  }
};

TEST_F(UsernameBudgetE2eTest,
       WrongPasswordsForOneUsernameTripItsBudgetThenItRefills) {
  const v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(TryLogin(user.username(), "Wrong-Password-123").error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  const grpc::Status refused = TryLogin(user.username(), kPassword);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << refused.error_message();
  EXPECT_NE(refused.error_message().find("retry after"), std::string::npos)
      << refused.error_message();
  const absl::Duration delay = RetryDelay(refused);
  EXPECT_GE(delay, absl::Seconds(1));
  EXPECT_LE(delay, absl::Seconds(2));

  // Another account from the same address is not affected.
  EXPECT_TRUE(TryLogin(server().options().admin_username,
                       server().options().admin_password)
                  .ok());
  absl::SleepFor(delay + absl::Milliseconds(200));
  EXPECT_TRUE(TryLogin(user.username(), kPassword).ok())
      << "the budget refilled";
}

TEST_F(UsernameBudgetE2eTest, SuccessfulLoginsSpendNoBudget) {
  const v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  for (int i = 0; i < 8; ++i) {
    grpc::Status s = TryLogin(user.username(), kPassword);
    EXPECT_TRUE(s.ok()) << i << ": " << s.error_message();
  }
}

class AddressBudgetE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    // Five failures an address at once, then one a second.
    ExtraEnv() = {{"IDENTITY_RATE_LIMIT_ADDRESS_PER_MINUTE", "60"},
                  {"IDENTITY_RATE_LIMIT_ADDRESS_BURST", "5"}};
    E2eTest::SetUpTestSuite();
  }
};

grpc::Status ValidateKey(const std::string& key, const std::string& ip) {
  v1::ValidateApiKeyRequest req;
  req.set_api_key(key);
  req.set_client_ip(ip);
  v1::ValidateApiKeyResponse resp;
  return E2eTest::auth_->ValidateApiKey(Ctx().get(), req, &resp);
}

TEST_F(AddressBudgetE2eTest,
       GuessedKeysTripTheClientsBudgetButValidKeysAlwaysPass) {
  const v1::User owner = CreateUser(CreateOrg().id(), "ADMIN");
  v1::CreateApiKeyRequest create;
  create.set_user_id(owner.id());
  create.set_name("backend");
  v1::CreateApiKeyResponse created;
  auto keys = v1::ApiKeyService::NewStub(server().NewChannel());
  ASSERT_TRUE(
      keys->CreateApiKey(Ctx(AdminToken()).get(), create, &created).ok());
  RememberSecret(created.api_key());

  const std::string guesser = "203.0.113.7";
  std::map<grpc::StatusCode, int> codes;
  for (int i = 0; i < 12; ++i) {
    const std::string guess = "idk_abcdefgh_" + std::string(43, 'A' + i);
    ++codes[ValidateKey(guess, guesser).error_code()];
    EXPECT_TRUE(ValidateKey(created.api_key(), guesser).ok())
        << "a valid key from the same client is never refused";
  }
  EXPECT_EQ(codes[grpc::StatusCode::UNAUTHENTICATED], 5);
  EXPECT_EQ(codes[grpc::StatusCode::RESOURCE_EXHAUSTED], 7);
  EXPECT_EQ(ValidateKey("idk_abcdefgh_" + std::string(43, 'z'), "198.51.100.2")
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED)
      << "another client has its own budget";
}

TEST_F(AddressBudgetE2eTest, EachPublicCallSpendsTheAddressBudgetAndItRefills) {
  auto users = v1::UserService::NewStub(server().NewChannel());
  std::vector<grpc::Status> answers;
  for (int i = 0; i < 3; ++i) {
    v1::VerifyEmailRequest req;
    req.set_token("not-a-token");
    v1::User resp;
    answers.push_back(users->VerifyEmail(Ctx().get(), req, &resp));
    answers.push_back(TryLogin(Unique("nobody"), "Wrong-Password-123"));
  }
  int refused = 0;
  absl::Duration delay;
  for (const grpc::Status& s : answers) {
    if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      ++refused;
      delay = RetryDelay(s);
    }
  }
  EXPECT_EQ(refused, 1) << "five failures allowed, the sixth refused";
  EXPECT_GT(delay, absl::ZeroDuration());
  absl::SleepFor(delay + absl::Milliseconds(200));
  EXPECT_EQ(TryLogin(Unique("nobody"), "Wrong-Password-123").error_code(),
            grpc::StatusCode::UNAUTHENTICATED)
      << "a refilled budget lets the next attempt through";
}

}  // namespace
}  // namespace identity::testing
