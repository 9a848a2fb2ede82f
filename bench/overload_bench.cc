// Whether the hot path holds while hostile or broken parts pull at the
// server: ValidateToken throughput and p99 alone, and then while (a) 500
// health Watch streams are open, (b) 64 callers log in through an LDAP
// provider whose directory accepts connections and never answers, and (c) 8
// callers flood Authenticate with wrong passwords for one internal user. The
// rows alternate round by round (the stress is started and stopped during
// the warm-ups), so that the machine's drift weighs on both alike. Also: the
// internal admin's Authenticate under the same stress, and the server's peak
// thread count and peak RSS.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/bench_support.h"
#include "bench/noop_crowd.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "identity/v1/auth_service.grpc.pb.h"
#include "identity/v1/organization_service.grpc.pb.h"
#include "identity/v1/user_service.grpc.pb.h"
#include "tests/support/postgres_server.h"
#include "tests/support/silent_listener.h"

namespace identity::bench {
namespace {

constexpr char kDriver[] = "overload_bench";
constexpr char kAlone[] = "ValidateToken (cache hit), alone";
constexpr char kStressed[] = "ValidateToken (cache hit), under (a)+(b)+(c)";
constexpr char kAdmin[] = "admin Authenticate, under (a)+(b)+(c)";
constexpr char kCrowded[] =
    "ValidateToken (cache hit), beside 72 callers of the no-op RPC";


// The server's thread count and peak RSS (VmHWM), sampled every 50 ms.
class ProcessSampler {
 public:
  explicit ProcessSampler(pid_t pid) : pid_(pid) {
    thread_ = std::thread([this] {
      while (!stop_) {
        Sample();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  }
  ~ProcessSampler() {
    stop_ = true;
    thread_.join();
  }
  int peak_threads() const { return peak_threads_; }
  int64_t peak_rss_kib() const { return peak_rss_kib_; }

 private:
  void Sample() {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string key;
    while (in >> key) {
      if (key == "Threads:") {
        int n;
        in >> n;
        peak_threads_ = std::max<int>(peak_threads_, n);
      } else if (key == "VmHWM:") {
        int64_t kib;
        in >> kib;
        peak_rss_kib_ = std::max<int64_t>(peak_rss_kib_, kib);
      }
    }
  }
  pid_t pid_;
  std::atomic<bool> stop_{false};
  std::atomic<int> peak_threads_{0};
  std::atomic<int64_t> peak_rss_kib_{0};
  std::thread thread_;
};

// Every admin login attempted under the stress, warm-ups included: how long
// each took to answer and with which code.
class AdminLogins {
 public:
  void Add(absl::Duration took, grpc::StatusCode code) {
    std::lock_guard<std::mutex> lock(mu_);
    took_.push_back(took);
    ++codes_[code];
  }
  // A Markdown table against the target of an answer in under 1 s.
  std::string Table() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<absl::Duration> all = took_;
    std::sort(all.begin(), all.end());
    auto at = [&all](double q) {
      return all.empty() ? absl::ZeroDuration()
                         : all[std::min(all.size() - 1,
                                        static_cast<size_t>(all.size() * q))];
    };
    std::string failures;
    int failed = 0;
    for (const auto& [code, n] : codes_) {
      if (code == grpc::StatusCode::OK) continue;
      failed += n;
      absl::StrAppendFormat(&failures, " %d with code %d;", n, code);
    }
    const bool met =
        failed == 0 && !all.empty() && all.back() < absl::Seconds(1);
    return absl::StrFormat(
        "| admin Authenticate under (a)+(b)+(c) | attempts | failed | p50 | "
        "p99 | max | target: every one answered OK in < 1 s |\n"
        "|---|---:|---:|---:|---:|---:|---|\n"
        "| every attempt, warm-ups included | %d | %d%s | %.2f ms | %.2f ms | "
        "%.2f ms | %s |\n",
        all.size(), failed, failures, absl::ToDoubleMilliseconds(at(0.5)),
        absl::ToDoubleMilliseconds(at(0.99)),
        absl::ToDoubleMilliseconds(all.empty() ? absl::ZeroDuration()
                                               : all.back()),
        met ? "met" : "not met");
  }

 private:
  std::mutex mu_;
  std::vector<absl::Duration> took_;
  std::map<grpc::StatusCode, int> codes_;
};

// (a), (b) and (c) together, started and stopped on demand.
class Stress {
 public:
  Stress(const testing::IdentitydServer& server, std::string ldap_org,
         std::string flood_user)
      : server_(server),
        ldap_org_(std::move(ldap_org)),
        flood_user_(std::move(flood_user)) {}
  ~Stress() { Set(false); }

  // Cheap when already in that state.
  void Set(bool on) {
    if (on_.load() == on) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (on_.load() == on) return;
    on ? Start() : Stop();
    on_ = on;
  }

  int64_t ldap_calls() const { return ldap_calls_; }
  int64_t flood_calls() const { return flood_calls_; }
  int watches_refused() const { return watches_refused_; }

 private:
  void Start() {
    running_ = true;
    watch_cq_ = std::make_unique<grpc::CompletionQueue>();
    auto health = grpc::health::v1::Health::NewStub(server_.NewChannel());
    watches_.clear();
    for (size_t i = 0; i < 500; ++i) {
      Watch& w = *watches_.emplace_back(std::make_unique<Watch>());
      w.reader = health->PrepareAsyncWatch(&w.ctx, {}, watch_cq_.get());
      w.reader->StartCall(reinterpret_cast<void*>(i * 2));
    }
    threads_.emplace_back([this] { DriveWatches(); });
    for (int i = 0; i < 64; ++i) {
      threads_.emplace_back([this] {
        Loop(ldap_org_, Unique("ldap-user"), "Directory-Password-1",
             &ldap_calls_);
      });
    }
    for (int i = 0; i < 8; ++i) {
      threads_.emplace_back([this] {
        Loop("", flood_user_, "Wrong-Password-123", &flood_calls_);
      });
    }
  }

  void Stop() {
    running_ = false;
    for (auto& w : watches_) w->ctx.TryCancel();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

  static std::string Unique(const std::string& prefix) {
    static std::atomic<int> n{0};
    return absl::StrFormat("%s-%d@example.com", prefix, n++);
  }

  void Loop(const std::string& org, const std::string& user,
            const std::string& password, std::atomic<int64_t>* calls) {
    auto auth = v1::AuthService::NewStub(server_.NewChannel());
    while (running_) {
      v1::AuthenticateRequest req;
      req.set_username(user);
      req.set_password(password);
      req.set_organization(org);
      v1::AuthenticateResponse resp;
      auth->Authenticate(Ctx().get(), req, &resp);
      ++*calls;
    }
  }

  // Reads every stream until it ends; returns when all ended.
  void DriveWatches() {
    size_t ended = 0;
    void* tag;
    bool ok;
    while (ended < watches_.size() && watch_cq_->Next(&tag, &ok)) {
      const size_t i = reinterpret_cast<size_t>(tag) / 2;
      const bool finished = reinterpret_cast<size_t>(tag) % 2 == 1;
      Watch& w = *watches_[i];
      if (finished) {
        ++ended;
        if (w.status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
          ++watches_refused_;
        }
      } else if (ok) {
        w.reader->Read(&w.resp, reinterpret_cast<void*>(i * 2));
      } else {
        w.reader->Finish(&w.status, reinterpret_cast<void*>(i * 2 + 1));
      }
    }
    watch_cq_->Shutdown();
    while (watch_cq_->Next(&tag, &ok)) {
    }
  }

  struct Watch {
    grpc::ClientContext ctx;
    std::unique_ptr<
        grpc::ClientAsyncReader<grpc::health::v1::HealthCheckResponse>>
        reader;
    grpc::health::v1::HealthCheckResponse resp;
    grpc::Status status;
  };

  const testing::IdentitydServer& server_;
  const std::string ldap_org_, flood_user_;
  std::mutex mu_;
  std::atomic<bool> on_{false}, running_{false};
  std::unique_ptr<grpc::CompletionQueue> watch_cq_;
  std::vector<std::unique_ptr<Watch>> watches_;
  std::vector<std::thread> threads_;
  std::atomic<int64_t> ldap_calls_{0}, flood_calls_{0};
  std::atomic<int> watches_refused_{0};
};

int Main(int argc, char** argv) {
  const absl::Duration duration = RowDuration(argc, argv);
  testing::IdentitydServer::Options options;
  options.database_url =
      testing::SharedPostgres().CreateDatabase("bench_overload");
  options.env = {
      {"IDENTITY_LOG_LEVEL", "warning"},
      {"IDENTITY_SECRET_KEY", "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU="},
      // Defaults, except the address budget: every caller here,
      // the admin included, comes from 127.0.0.1.
      {"IDENTITY_RATE_LIMIT_ADDRESS_PER_MINUTE", "0"},
      {"IDENTITY_RATE_LIMIT_TARGET_BURST", "20"}};
  std::unique_ptr<testing::IdentitydServer> server =
      testing::IdentitydServer::Start(options);
  if (server == nullptr) return Fail(kDriver, "identityd did not start");

  auto channel = server->NewChannel();
  auto auth = v1::AuthService::NewStub(channel);
  auto orgs = v1::OrganizationService::NewStub(channel);
  auto users = v1::UserService::NewStub(channel);
  v1::AuthenticateRequest login;
  login.set_username(server->options().admin_username);
  login.set_password(server->options().admin_password);
  v1::AuthenticateResponse admin;
  if (!auth->Authenticate(Ctx().get(), login, &admin).ok()) {
    return Fail(kDriver, "admin login failed");
  }
  const std::string token = admin.session_token();

  testing::SilentListener directory;
  v1::CreateOrganizationRequest create_org;
  create_org.set_name("hung-directory");
  v1::Organization org;
  if (!orgs->CreateOrganization(Ctx(token).get(), create_org, &org).ok()) {
    return Fail(kDriver, "CreateOrganization failed");
  }
  v1::ConfigureLdapProviderRequest configure;
  configure.set_organization_id(org.id());
  v1::LdapConfig* l = configure.mutable_ldap();
  l->add_urls(directory.url());
  l->set_bind_dn("cn=reader,dc=example,dc=com");
  l->set_bind_password("Reader-Password-1");
  l->set_user_base_dn("dc=example,dc=com");
  l->set_user_filter("(uid={username})");
  v1::IdentityProvider provider;
  if (!orgs->ConfigureLdapProvider(Ctx(token).get(), configure, &provider)
           .ok()) {
    return Fail(kDriver, "ConfigureLdapProvider failed");
  }
  v1::CreateUserRequest create_user;
  create_user.set_organization_id(org.id());
  create_user.set_username("flooded@example.com");
  create_user.set_primary_role("BASIC_USER");
  create_user.set_password("Correct-Horse-Battery-9");
  v1::CreateUserResponse flooded;
  if (!users->CreateUser(Ctx(token).get(), create_user, &flooded).ok()) {
    return Fail(kDriver, "CreateUser failed");
  }

  ProcessSampler sampler(server->process().pid());
  AdminLogins admin_logins;
  Stress stress(*server, org.id(), flooded.user().username());
  NoopCrowd crowd(*server);
  auto validators = Stubs<v1::AuthService>(*server);
  auto validate = [validators, token](int t) {
    v1::ValidateTokenRequest req;
    req.set_token(token);
    v1::ValidateTokenResponse resp;
    return (*validators)[t]->ValidateToken(Ctx().get(), req, &resp).ok();
  };
  const std::vector<Op> ops = {
      {kAlone,
       [&](int t) {
         crowd.Set(false);
         stress.Set(false);
         return validate(t);
       }},
      {kStressed,
       [&](int t) {
         crowd.Set(false);
         stress.Set(true);
         return validate(t);
       }},
      {kCrowded,
       [&](int t) {
         stress.Set(false);
         crowd.Set(true);
         return validate(t);
       }},
      {kAdmin,
       [&](int t) {
         crowd.Set(false);
         stress.Set(true);
         v1::AuthenticateResponse resp;
         const absl::Time start = absl::Now();
         grpc::Status s =
             (*validators)[t]->Authenticate(Ctx().get(), login, &resp);
         admin_logins.Add(absl::Now() - start, s.error_code());
         return s.ok();
       },
       1},
  };
  const std::vector<LoadResult> results =
      RunInterleaved(ops, Threads(), absl::Seconds(2), duration);
  stress.Set(false);
  crowd.Set(false);

  std::vector<Row> rows = RowsAgainst(results, kAlone);
  // The stressed row against its floor: the same number of callers that
  // ask nothing of the server but an answer.
  for (const LoadResult& r : results) {
    if (r.name != kStressed) continue;
    LoadResult against_floor = r;
    against_floor.name += ", against the same crowd calling the no-op RPC";
    rows.push_back({against_floor, kCrowded});
  }
  std::cout << "## overload_bench: " << Threads() << " client threads, "
            << absl::FormatDuration(duration) << " a row\n\n"
            << Table(rows) << "\n"
            << admin_logins.Table() << "\n"
            << absl::StrFormat(
                   "server peak threads %d, peak RSS %.1f MiB; hung-directory "
                   "logins %d, flood logins %d, watches refused %d\n\n",
                   sampler.peak_threads(), sampler.peak_rss_kib() / 1024.0,
                   stress.ldap_calls(), stress.flood_calls(),
                   stress.watches_refused());
  return 0;
}

}  // namespace
}  // namespace identity::bench

int main(int argc, char** argv) { return identity::bench::Main(argc, argv); }
