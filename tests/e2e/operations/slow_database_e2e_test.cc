// Credentials the cache cannot answer wait for PostgreSQL off gRPC's
// callback threads, which every validation shares: a caller who sends
// unknown tokens while the database is slow cannot stop the cached
// validations of everyone else.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

class SlowDatabaseE2eTest : public E2eTest {};

// A well-formed session token that names no session: one character of a
// real one changed.
std::string UnknownToken(std::string token, int n) {
  const int at = 10 + n % 30;
  token[at] = token[at] == 'A' ? 'B' : 'A';
  return token;
}

std::unique_ptr<grpc::ClientContext> Within(const std::string& token,
                                            std::chrono::milliseconds limit) {
  auto ctx = Ctx(token);
  ctx->set_deadline(std::chrono::system_clock::now() + limit);
  return ctx;
}

// Holds an exclusive lock on the sessions table for `seconds`, from when
// this returns: every read or write of a session waits for it, as it would
// on a database that stalls.
std::thread LockSessions(const std::string& database, int seconds) {
  std::thread holder([database, seconds] {
    SharedPostgres().Psql(
        database, "BEGIN; LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE; "
                  "SELECT pg_sleep(" + std::to_string(seconds) + "); COMMIT;");
  });
  const auto by = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (SharedPostgres().QueryValue(
             database,
             "SELECT count(*) FROM pg_locks l JOIN pg_class c ON "
             "c.oid = l.relation WHERE c.relname = 'sessions' AND "
             "l.mode = 'AccessExclusiveLock' AND l.granted") != "1" &&
         std::chrono::steady_clock::now() < by) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return holder;
}

TEST_F(SlowDatabaseE2eTest, UnknownCredentialsDoNotHoldUpCachedOnes) {
  const std::string user_token =
      Login(CreateUser(CreateOrg().id(), "ADMIN").username(), kPassword);
  grpc::Status warm;
  PrincipalOf(user_token, &warm);  // now in the cache
  ASSERT_TRUE(warm.ok()) << warm.error_message();

  std::thread lock = LockSessions(database(), 6);

  // Unknown tokens by every route that validates one; each waits on the
  // lock (or is refused as busy), none may hold a callback thread.
  std::vector<std::thread> crowd;
  for (int i = 0; i < 8; ++i) {
    crowd.emplace_back([&, i] {
      auto stub = v1::AuthService::NewStub(server().NewChannel());
      const std::string unknown = UnknownToken(user_token, i);
      v1::CheckPermissionRequest check;
      check.set_token(unknown);
      check.set_permission("users.read");
      v1::CheckPermissionResponse checked;
      stub->CheckPermission(Within("", std::chrono::seconds(9)).get(), check,
                            &checked);
      v1::BatchCheckPermissionsRequest batch;
      batch.set_token(unknown);
      batch.add_checks()->set_permission("users.read");
      v1::BatchCheckPermissionsResponse batched;
      stub->BatchCheckPermissions(Within("", std::chrono::seconds(9)).get(),
                                  batch, &batched);
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  auto stub = v1::AuthService::NewStub(server().NewChannel());
  v1::ValidateTokenRequest validate;
  validate.set_token(user_token);
  v1::ValidateTokenResponse validated;
  grpc::Status s = stub->ValidateToken(
      Within("", std::chrono::milliseconds(2000)).get(), validate, &validated);
  EXPECT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
  v1::CheckPermissionRequest check;
  check.set_token(user_token);
  check.set_permission("users.read");
  v1::CheckPermissionResponse checked;
  s = stub->CheckPermission(Within("", std::chrono::milliseconds(2000)).get(),
                            check, &checked);
  EXPECT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
  EXPECT_TRUE(checked.allowed());

  for (std::thread& t : crowd) t.join();
  lock.join();
}

// A cached session whose activity write is due (here every 2 s: an idle
// limit of 8 s) is validated on the lookup executor, which makes the write:
// several such validations stuck behind a slow database hold no callback
// thread either.
TEST_F(SlowDatabaseE2eTest, DueActivityWritesDoNotHoldUpCachedValidations) {
  const v1::Organization idle_org = CreateOrg();
  v1::UpdateOrganizationRequest policy;
  policy.set_id(idle_org.id());
  policy.mutable_session_policy()->set_idle_timeout_seconds(8);
  v1::Organization updated;
  ASSERT_TRUE(
      orgs_->UpdateOrganization(Ctx(AdminToken()).get(), policy, &updated)
          .ok());
  const std::string idle_user = CreateUser(idle_org.id(), "ADMIN").username();
  std::vector<std::string> due;
  for (int i = 0; i < 6; ++i) {
    due.push_back(Login(idle_user, kPassword));
    grpc::Status s;
    PrincipalOf(due.back(), &s);  // now in the cache
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  const std::string fresh =
      Login(CreateUser(CreateOrg().id(), "ADMIN").username(), kPassword);
  grpc::Status warm;
  PrincipalOf(fresh, &warm);
  ASSERT_TRUE(warm.ok()) << warm.error_message();
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // due now

  std::thread lock = LockSessions(database(), 6);
  std::vector<std::thread> crowd;
  for (const std::string& token : due) {
    crowd.emplace_back([&, token] {
      auto stub = v1::AuthService::NewStub(server().NewChannel());
      v1::ValidateTokenRequest req;
      req.set_token(token);
      v1::ValidateTokenResponse resp;
      stub->ValidateToken(Within("", std::chrono::seconds(9)).get(), req, &resp);
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  auto stub = v1::AuthService::NewStub(server().NewChannel());
  v1::ValidateTokenRequest validate;
  validate.set_token(fresh);
  v1::ValidateTokenResponse validated;
  grpc::Status s = stub->ValidateToken(
      Within("", std::chrono::milliseconds(2000)).get(), validate, &validated);
  EXPECT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();

  for (std::thread& t : crowd) t.join();
  lock.join();
}

}  // namespace
}  // namespace identity::testing
