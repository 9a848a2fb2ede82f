// What a hostile or merely numerous caller can do to the server's capacity:
// open health watches by the hundred, flood calls past the thread count.
// Each fence is checked against the real binary, and so is the code of each
// refusal.
#include <map>

#include "absl/time/clock.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/operations/watch_crowd.h"

namespace identity::testing {
namespace {

class OverloadE2eTest : public E2eTest {
 public:
  static constexpr int kMaxWatches = 100;
  static void SetUpTestSuite() {
    // The default IDENTITY_RPC_MAX_THREADS (64) stays: the watches below
    // outnumber the server's threads.
    ExtraEnv() = {{"IDENTITY_HEALTH_MAX_WATCHES", std::to_string(kMaxWatches)}};
    E2eTest::SetUpTestSuite();
  }
};

// Time one call takes.
template <typename F>
absl::Duration Timed(F f) {
  const absl::Time start = absl::Now();
  f();
  return absl::Now() - start;
}

TEST_F(OverloadE2eTest, WatchStreamsBeyondTheThreadCountBlockNoOtherCall) {
  const std::string token = AdminToken();
  const v1::Organization org = CreateOrg();
  WatchCrowd crowd(server().NewChannel(), kMaxWatches + 20);
  crowd.WaitForFirstAnswers(absl::Seconds(30));
  EXPECT_EQ(crowd.Serving(), kMaxWatches)
      << "every watch under the cap is open";
  const std::map<grpc::StatusCode, int> ends = crowd.Ends();
  EXPECT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends.count(grpc::StatusCode::RESOURCE_EXHAUSTED)
                ? ends.at(grpc::StatusCode::RESOURCE_EXHAUSTED)
                : 0,
            20)
      << "watches over the cap end at once with RESOURCE_EXHAUSTED";

  grpc::Status login;
  const absl::Duration login_time = Timed([&] {
    login = TryLogin(server().options().admin_username,
                     server().options().admin_password);
  });
  EXPECT_TRUE(login.ok()) << login.error_code() << " " << login.error_message();
  EXPECT_LT(login_time, absl::Seconds(2));
  grpc::Status validated;
  const absl::Duration validate_time =
      Timed([&] { PrincipalOf(token, &validated); });
  EXPECT_TRUE(validated.ok())
      << validated.error_code() << " " << validated.error_message();
  EXPECT_LT(validate_time, absl::Seconds(1));

  // Logins and validations take no thread of the sync pool; creating a
  // user with a password (it hashes, tens of milliseconds) takes one, and
  // so shows that the watches left the pool's threads free.
  v1::CreateUserRequest create;
  create.set_organization_id(org.id());
  create.set_username(Unique("after-watches"));
  create.set_primary_role("BASIC_USER");
  create.set_password(kPassword);
  v1::CreateUserResponse created;
  grpc::Status status;
  const absl::Duration create_time = Timed(
      [&] { status = users_->CreateUser(Ctx(token).get(), create, &created); });
  EXPECT_TRUE(status.ok()) << status.error_code() << " "
                           << status.error_message();
  EXPECT_LT(create_time, absl::Seconds(2));
}

// Streams closed by their callers free their places (the server learns of
// a cancellation asynchronously, hence the retries).
int ServingAfterRetries(const IdentitydServer& server, int n) {
  int serving = 0;
  for (int attempt = 0; attempt < 50 && serving != n; ++attempt) {
    if (attempt > 0) absl::SleepFor(absl::Milliseconds(100));
    WatchCrowd crowd(server.NewChannel(), n);
    crowd.WaitForFirstAnswers(absl::Seconds(10));
    serving = crowd.Serving();
  }
  return serving;
}

TEST_F(OverloadE2eTest, AClosedWatchFreesItsPlaceUnderTheCap) {
  EXPECT_EQ(ServingAfterRetries(server(), kMaxWatches), kMaxWatches);
  {
    WatchCrowd full(server().NewChannel(), kMaxWatches + 1);
    full.WaitForFirstAnswers(absl::Seconds(30));
    EXPECT_LE(full.Serving(), kMaxWatches) << "the cap holds";
    EXPECT_GE(full.Ends()[grpc::StatusCode::RESOURCE_EXHAUSTED], 1);
  }
  EXPECT_EQ(ServingAfterRetries(server(), kMaxWatches), kMaxWatches)
      << "closed watches gave their places back";
}

}  // namespace
}  // namespace identity::testing
