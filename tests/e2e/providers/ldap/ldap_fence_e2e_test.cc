// One organization's directory accepts connections and never answers (a TCP
// listener started here). Its logins must not take the server's threads:
// internal logins and token validations keep answering, the organization's
// logins are refused with UNAVAILABLE, and after repeated timeouts the
// circuit opens and they fail fast, as GetIdentityProvider and health show.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/support/secret_watch.h"
#include "tests/support/silent_listener.h"

namespace identity::testing {
namespace {

class HungDirectoryE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    // Few threads, so that logins held by the directory would take them all
    // without the fence.
    ExtraEnv() = {{"IDENTITY_SECRET_KEY",  // seals the bind password
                   "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU="},
                  {"IDENTITY_RPC_MAX_THREADS", "16"},
                  {"IDENTITY_LDAP_BREAKER_FAILURES", "3"},
                  {"IDENTITY_LDAP_BREAKER_OPEN_SECONDS", "60"}};
    E2eTest::SetUpTestSuite();
  }
};

// A context whose deadline is what a caller would wait at most. The
// deadlines below are many times what each call needs, so a slow machine
// does not fail them; a call that waits for a thread a hung directory holds
// (twice the 3 s operation timeout) does.
std::unique_ptr<grpc::ClientContext> WithDeadline(absl::Duration wait,
                                                  const std::string& token = "") {
  std::unique_ptr<grpc::ClientContext> ctx = Ctx(token);
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + wait));
  return ctx;
}

grpc::Status DirectoryLogin(const std::string& org_id) {
  v1::AuthenticateRequest req;
  req.set_username(Unique("someone"));
  req.set_password("Directory-Password-1");
  req.set_organization(org_id);
  v1::AuthenticateResponse resp;
  // Twice the operation timeout plus a connect (the pool retries once on a
  // fresh connection) and the fence's slot wait: 7.2 s at most. A login
  // that outlasts its timeouts ends DEADLINE_EXCEEDED here.
  return E2eTest::auth_->Authenticate(
      WithDeadline(absl::Seconds(12)).get(), req, &resp);
}

// The internal administrator's login and a token validation, each with a
// deadline shorter than a hung directory holds a thread.
grpc::Status InternalCalls(const IdentitydServer& server,
                           const std::string& token) {
  v1::AuthenticateRequest login;
  login.set_username(server.options().admin_username);
  login.set_password(server.options().admin_password);
  v1::AuthenticateResponse logged_in;
  grpc::Status s = E2eTest::auth_->Authenticate(
      WithDeadline(absl::Seconds(3)).get(), login, &logged_in);
  if (!s.ok()) return s;
  RememberSecret(logged_in.session_token());
  v1::ValidateTokenRequest validate;
  validate.set_token(token);
  v1::ValidateTokenResponse validated;
  return E2eTest::auth_->ValidateToken(WithDeadline(absl::Seconds(3)).get(),
                                       validate, &validated);
}

TEST_F(HungDirectoryE2eTest,
       AHungDirectoryHoldsNoThreadsOthersNeedAndTripsTheBreaker) {
  SilentListener directory;
  const v1::Organization org = CreateOrg();
  v1::ConfigureLdapProviderRequest configure;
  configure.set_organization_id(org.id());
  v1::LdapConfig* l = configure.mutable_ldap();
  l->add_urls(directory.url());
  l->set_bind_dn("cn=reader,dc=example,dc=com");
  l->set_bind_password("Reader-Password-1");
  l->set_user_base_dn("dc=example,dc=com");
  l->set_user_filter("(uid={username})");
  l->set_connect_timeout_ms(1000);
  l->set_operation_timeout_ms(3000);
  l->set_pool_size(2);
  v1::IdentityProvider configured;
  grpc::Status s = orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(),
                                                configure, &configured);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const std::string token = AdminToken();

  // 24 callers keep logging in through the hung directory for 7 s, each
  // holding a server thread while it waits: without the fence they would
  // take all 16.
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::map<grpc::StatusCode, int> directory_codes;
  std::string first_other_answer;
  std::vector<std::thread> callers;
  for (int i = 0; i < 24; ++i) {
    callers.emplace_back([&, i] {
      // Spread out, as people are: 24 calls arriving in the same instant
      // would outnumber the threads whatever the directory does.
      absl::SleepFor(absl::Milliseconds(7 * i));
      while (!stop) {
        grpc::Status s = DirectoryLogin(org.id());
        std::lock_guard<std::mutex> lock(mu);
        ++directory_codes[s.error_code()];
        if (s.error_code() != grpc::StatusCode::UNAVAILABLE &&
            first_other_answer.empty()) {
          first_other_answer = s.error_message();
        }
        // People retrying a login, not a flood (the rate limits and the
        // thread count are other tests' business).
        absl::SleepFor(absl::Milliseconds(40 + 7 * i));
      }
    });
  }
  int internal_calls = 0;
  int internal_failures = 0;
  // Long enough for a second round of logins to start, whose timeouts
  // (with the first round's) open the circuit.
  const absl::Time until = absl::Now() + absl::Seconds(7);
  while (absl::Now() < until) {
    grpc::Status s = InternalCalls(server(), token);
    ++internal_calls;
    if (!s.ok() && internal_failures++ == 0) {
      ADD_FAILURE() << "first internal failure: " << s.error_code() << " "
                    << s.error_message();
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  stop = true;
  for (std::thread& t : callers) t.join();

  EXPECT_GT(internal_calls, 0);
  EXPECT_EQ(internal_failures, 0) << "of " << internal_calls;
  // Every directory login ended within its timeouts, refused as
  // unavailable (timed out, busy, or the circuit open).
  for (const auto& [code, n] : directory_codes) {
    EXPECT_EQ(code, grpc::StatusCode::UNAVAILABLE)
        << n << " directory logins answered " << code << ", the first: "
        << first_other_answer;
  }

  // Three timeouts in a row opened the circuit: logins fail fast, without
  // touching the directory.
  grpc::Status fast = DirectoryLogin(org.id());
  EXPECT_EQ(fast.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(fast.error_message().find("fail fast"), std::string::npos)
      << fast.error_message();

  v1::GetIdentityProviderRequest get;
  get.set_organization_id(org.id());
  v1::IdentityProvider shown;
  ASSERT_TRUE(orgs_->GetIdentityProvider(Ctx(token).get(), get, &shown).ok());
  EXPECT_EQ(shown.pool().circuit(), "OPEN");
  EXPECT_EQ(shown.pool().max_concurrent_logins(), 2) << "pool_size by default";
  EXPECT_GT(shown.pool().refused_open(), 0);
  EXPECT_TRUE(shown.pool().has_circuit_retry_at());

  auto health = grpc::health::v1::Health::NewStub(server().NewChannel());
  grpc::health::v1::HealthCheckRequest req;
  req.set_service("identity.ldap/" + org.id());
  grpc::health::v1::HealthCheckResponse resp;
  grpc::ClientContext ctx;
  ASSERT_TRUE(health->Check(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
}

TEST_F(HungDirectoryE2eTest, TimeoutsThatOutlastACallersDeadlineAreRefused) {
  const v1::Organization org = CreateOrg();
  v1::ConfigureLdapProviderRequest configure;
  configure.set_organization_id(org.id());
  v1::LdapConfig* l = configure.mutable_ldap();
  for (int i = 0; i < 4; ++i) l->add_urls("ldap://127.0.0.1:1");
  l->set_bind_dn("cn=reader,dc=example,dc=com");
  l->set_bind_password("Reader-Password-1");
  l->set_user_base_dn("dc=example,dc=com");
  l->set_user_filter("(uid={username})");
  l->set_connect_timeout_ms(10000);
  l->set_operation_timeout_ms(10000);
  v1::IdentityProvider configured;
  grpc::Status s = orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(),
                                                configure, &configured);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("50000 ms"), std::string::npos)
      << s.error_message();
}

// A caller that retries one name through a directory that cannot answer is
// told to back off once the name's failure budget is spent (each retry
// costs a user lookup and cannot succeed); other names, and the
// organization's internal users, still get through.
class DownDirectoryBudgetE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    ExtraEnv() = {{"IDENTITY_SECRET_KEY",  // seals the bind password
                   "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU="},
                  {"IDENTITY_RATE_LIMIT_TARGET_BURST", "5"}};
    E2eTest::SetUpTestSuite();
  }
};

TEST_F(DownDirectoryBudgetE2eTest, RetriesOfOneNameAreToldToBackOff) {
  const v1::Organization org = CreateOrg();
  v1::ConfigureLdapProviderRequest configure;
  configure.set_organization_id(org.id());
  v1::LdapConfig* l = configure.mutable_ldap();
  l->add_urls("ldap://127.0.0.1:1");  // refuses every connection
  l->set_bind_dn("cn=reader,dc=example,dc=com");
  l->set_bind_password("Reader-Password-1");
  l->set_user_base_dn("dc=example,dc=com");
  l->set_user_filter("(uid={username})");
  v1::IdentityProvider configured;
  ASSERT_TRUE(orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), configure,
                                           &configured)
                  .ok());
  const std::string name = Unique("retrying");
  auto login = [&](const std::string& username) {
    v1::AuthenticateRequest req;
    req.set_username(username);
    req.set_password("Directory-Password-1");
    req.set_organization(org.id());
    v1::AuthenticateResponse resp;
    return auth_->Authenticate(Ctx().get(), req, &resp);
  };
  int unavailable = 0;
  grpc::Status last;
  for (int i = 0; i < 20; ++i) {
    last = login(name);
    if (last.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    ++unavailable;
  }
  EXPECT_GE(unavailable, 1) << "the directory's refusal is said first";
  EXPECT_EQ(unavailable, 5) << "the name's budget (a burst of 5)";
  EXPECT_EQ(last.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << last.error_message();
  EXPECT_NE(last.error_message().find("username"), std::string::npos)
      << last.error_message();
  EXPECT_NE(last.error_message().find("retry after"), std::string::npos)
      << last.error_message();

  // Another name still reaches the directory (the address's budget is
  // large in these tests).
  EXPECT_EQ(login(Unique("other")).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // And the organization's internal users are not held back.
  const std::string internal = Unique("internal");
  CreateUser(org.id(), "BASIC_USER", internal);
  v1::AuthenticateRequest req;
  req.set_username(internal);
  req.set_password(kPassword);
  req.set_organization(org.id());
  v1::AuthenticateResponse resp;
  grpc::Status s = auth_->Authenticate(Ctx().get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
  RememberSecret(resp.session_token());
}

}  // namespace
}  // namespace identity::testing
