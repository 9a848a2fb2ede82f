// Logins wait on the login lanes, not on the server's threads, and a login
// judged here does not queue behind logins a directory judges: the internal
// admin logs in while hostile callers open watches, log in through a hung
// directory and guess passwords all at once, and a hung directory that fills
// its own lane refuses only its own logins. Every refusal says it is an
// overload (RESOURCE_EXHAUSTED or UNAVAILABLE).
#include <grpcpp/generic/generic_stub.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/operations/watch_crowd.h"
#include "tests/support/silent_listener.h"

namespace identity::testing {
namespace {

// An organization whose LDAP directory accepts connections and never
// answers.
v1::Organization HungDirectoryOrg(const SilentListener& directory) {
  const v1::Organization org = E2eTest::CreateOrg();
  v1::ConfigureLdapProviderRequest configure;
  configure.set_organization_id(org.id());
  v1::LdapConfig* l = configure.mutable_ldap();
  l->add_urls(directory.url());
  l->set_bind_dn("cn=reader,dc=example,dc=com");
  l->set_bind_password("Reader-Password-1");
  l->set_user_base_dn("dc=example,dc=com");
  l->set_user_filter("(uid={username})");
  l->set_connect_timeout_ms(1000);
  l->set_operation_timeout_ms(2000);
  v1::IdentityProvider configured;
  grpc::Status s = E2eTest::orgs_->ConfigureLdapProvider(
      Ctx(E2eTest::AdminToken()).get(), configure, &configured);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return org;
}

// Callers that log in over and over, each on its own channel, until
// stopped; the codes of their answers, counted.
class LoginCrowd {
 public:
  LoginCrowd(const IdentitydServer& server, int callers,
             const std::string& username, const std::string& password,
             const std::string& organization) {
    for (int i = 0; i < callers; ++i) {
      threads_.emplace_back([=, &server] {
        auto stub = v1::AuthService::NewStub(server.NewChannel());
        while (!stop_) {
          v1::AuthenticateRequest req;
          req.set_username(username.empty() ? Unique("someone") : username);
          req.set_password(password);
          req.set_organization(organization);
          v1::AuthenticateResponse resp;
          grpc::Status s = stub->Authenticate(Ctx().get(), req, &resp);
          std::lock_guard<std::mutex> lock(mu_);
          ++codes_[s.error_code()];
          if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
            messages_.insert(s.error_message().substr(0, 40));
          }
        }
      });
    }
  }
  ~LoginCrowd() { Stop(); }

  void Stop() {
    stop_ = true;
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }
  std::map<grpc::StatusCode, int> codes() {
    std::lock_guard<std::mutex> lock(mu_);
    return codes_;
  }
  // The beginnings of the RESOURCE_EXHAUSTED messages.
  std::set<std::string> messages() {
    std::lock_guard<std::mutex> lock(mu_);
    return messages_;
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::map<grpc::StatusCode, int> codes_;
  std::set<std::string> messages_;
};

std::string Describe(const std::map<grpc::StatusCode, int>& codes) {
  std::string out;
  for (const auto& [code, n] : codes) {
    out += std::to_string(n) + " x code " + std::to_string(code) + "; ";
  }
  return out;
}

class AllStressesE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    // The default thread count (64) and watch cap (1000) stay: the stress
    // below keeps more calls in flight than the server has threads. The
    // address budget is off because every caller here, the admin too,
    // comes from 127.0.0.1.
    ExtraEnv() = {{"IDENTITY_SECRET_KEY",  // seals the bind password
                   "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU="},
                  {"IDENTITY_RATE_LIMIT_ADDRESS_PER_MINUTE", "0"}};
    E2eTest::SetUpTestSuite();
  }
};

TEST_F(AllStressesE2eTest,
       TheInternalAdminLogsInWhileWatchesHungDirectoryAndGuessesPileUp) {
  SilentListener directory;
  const v1::Organization org = HungDirectoryOrg(directory);
  const v1::User victim = CreateUser(org.id(), "BASIC_USER");
  const std::string token = AdminToken();

  // (a) 500 open watches, (b) 64 callers logging in through the hung
  // directory, (c) 8 callers guessing one internal user's password: 72
  // callers in closed loops, more calls in flight than the server has
  // threads.
  WatchCrowd watches(server().NewChannel(), 500);
  watches.WaitForFirstAnswers(absl::Seconds(30));
  LoginCrowd hung(server(), 64, "", "Directory-Password-1", org.id());
  LoginCrowd guesses(server(), 8, victim.username(), "Wrong-Password-123", "");
  absl::SleepFor(absl::Seconds(1));

  std::map<grpc::StatusCode, int> admin_logins;
  std::string first_refusal;
  int validations_failed = 0;
  for (int i = 0; i < 20; ++i) {
    v1::AuthenticateResponse resp;
    grpc::Status s = TryLogin(server().options().admin_username,
                              server().options().admin_password, &resp);
    ++admin_logins[s.error_code()];
    if (!s.ok() && first_refusal.empty()) first_refusal = s.error_message();
    grpc::Status validated;
    PrincipalOf(token, &validated);
    validations_failed += !validated.ok();
    absl::SleepFor(absl::Milliseconds(50));
  }
  hung.Stop();
  guesses.Stop();

  EXPECT_EQ(admin_logins[grpc::StatusCode::OK], 20)
      << Describe(admin_logins) << "first refusal: " << first_refusal;
  EXPECT_EQ(validations_failed, 0);
  EXPECT_EQ(watches.Serving(), 500) << "the watches stayed open";
  // The stress was real, and each of its refusals names an overload or an
  // outage (or, for the guesses, the wrong password).
  const std::map<grpc::StatusCode, int> hung_codes = hung.codes();
  const std::map<grpc::StatusCode, int> guess_codes = guesses.codes();
  EXPECT_GT(hung_codes.count(grpc::StatusCode::UNAVAILABLE), 0u);
  EXPECT_GT(guess_codes.count(grpc::StatusCode::UNAUTHENTICATED), 0u);
  for (const auto& [code, n] : hung_codes) {
    EXPECT_TRUE(code == grpc::StatusCode::UNAVAILABLE ||
                code == grpc::StatusCode::RESOURCE_EXHAUSTED)
        << "hung-directory logins: " << Describe(hung_codes);
  }
  for (const auto& [code, n] : guess_codes) {
    EXPECT_TRUE(code == grpc::StatusCode::UNAUTHENTICATED ||
                code == grpc::StatusCode::RESOURCE_EXHAUSTED)
        << "guesses: " << Describe(guess_codes);
  }
}

class SmallDirectoryLaneE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    ExtraEnv() = {
        {"IDENTITY_SECRET_KEY", "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU="},
        {"IDENTITY_RATE_LIMIT_ADDRESS_PER_MINUTE", "0"},
        {"IDENTITY_DIRECTORY_LOGIN_THREADS", "1"},
        {"IDENTITY_DIRECTORY_LOGIN_QUEUE", "1"}};
    E2eTest::SetUpTestSuite();
  }
};

TEST_F(SmallDirectoryLaneE2eTest,
       DirectoryLoginsBeyondTheirLaneAreRefusedWhileInternalLoginsPass) {
  SilentListener directory;
  const v1::Organization org = HungDirectoryOrg(directory);
  // One lane thread, held by the hung directory for seconds; one login
  // waits for it; the rest are refused at once.
  LoginCrowd hung(server(), 12, "", "Directory-Password-1", org.id());
  absl::SleepFor(absl::Milliseconds(300));
  std::map<grpc::StatusCode, int> admin_logins;
  for (int i = 0; i < 5; ++i) {
    grpc::Status s = TryLogin(server().options().admin_username,
                              server().options().admin_password);
    ++admin_logins[s.error_code()];
  }
  hung.Stop();

  EXPECT_EQ(admin_logins[grpc::StatusCode::OK], 5) << Describe(admin_logins);
  const std::map<grpc::StatusCode, int> codes = hung.codes();
  EXPECT_GT(codes.count(grpc::StatusCode::RESOURCE_EXHAUSTED), 0u)
      << Describe(codes);
  for (const auto& [code, n] : codes) {
    EXPECT_TRUE(code == grpc::StatusCode::UNAVAILABLE ||
                code == grpc::StatusCode::RESOURCE_EXHAUSTED)
        << Describe(codes);
  }
  for (const std::string& m : hung.messages()) {
    EXPECT_EQ(m, std::string("too many directory logins in progress on this "
                             "server; retry after a short delay")
                     .substr(0, 40));
  }
}

// Authenticate is a callback method now: a body that does not parse is still
// the caller's mistake, answered INVALID_ARGUMENT before any login work.
class MalformedLoginE2eTest : public E2eTest {};

TEST_F(MalformedLoginE2eTest, AnAuthenticateBodyThatDoesNotParseIsInvalidArgument) {
  std::string bytes;
  for (int i = 0; i < 100000; ++i) bytes += '\x7b';  // field 15, start group
  for (int i = 0; i < 100000; ++i) bytes += '\x7c';  // field 15, end group
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::GenericStub stub(server().NewChannel());
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status s;
  stub.UnaryCall(&ctx, "/identity.v1.AuthService/Authenticate",
                 grpc::StubOptions(), &request, &response,
                 [&](grpc::Status status) {
                   std::lock_guard<std::mutex> lock(mu);
                   s = std::move(status);
                   done = true;
                   cv.notify_one();
                 });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << s.error_message();
  EXPECT_TRUE(TryLogin(server().options().admin_username,
                       server().options().admin_password)
                  .ok())
      << "and logins go on";
}

}  // namespace
}  // namespace identity::testing
