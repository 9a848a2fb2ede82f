// The other rows of issue 8's table, each next to its baseline in the same
// run: logins against raw argon2id hashing on the same cores, GetUser and
// CreateUser against raw SQL, ListUsers pages as the organization grows to
// 1M users, and the server's memory and the data size per user at that size.
#include <sodium.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <thread>

#include <pqxx/connection>
#include <pqxx/transaction>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/bench_support.h"
#include "identity/v1/auth_service.grpc.pb.h"
#include "identity/v1/organization_service.grpc.pb.h"
#include "identity/v1/user_service.grpc.pb.h"
#include "tests/support/postgres_server.h"

namespace identity::bench {
namespace {

constexpr char kDriver[] = "operations_bench";
constexpr char kDatabase[] = "bench_operations";
constexpr char kPassword[] = "Bench-Password-123";

struct World {
  std::string admin_token;
  std::string org_id;
  std::string user_id;
  std::string username;
};

absl::StatusOr<World> Prepare(const testing::IdentitydServer& server) {
  auto channel = server.NewChannel();
  v1::AuthenticateRequest login;
  login.set_username(server.options().admin_username);
  login.set_password(server.options().admin_password);
  v1::AuthenticateResponse admin;
  if (!v1::AuthService::NewStub(channel)->Authenticate(Ctx().get(), login, &admin).ok()) {
    return absl::InternalError("admin login failed");
  }
  World w{admin.session_token()};
  v1::CreateOrganizationRequest org_req;
  org_req.set_name("bench");
  v1::Organization org;
  v1::OrganizationService::NewStub(channel)->CreateOrganization(
      Ctx(w.admin_token).get(), org_req, &org);
  w.org_id = org.id();
  v1::CreateUserRequest req;
  req.set_organization_id(org.id());
  req.set_username("bench-user@example.com");
  req.set_primary_role("BASIC_USER");
  req.set_password(kPassword);
  v1::CreateUserResponse user;
  if (!v1::UserService::NewStub(channel)->CreateUser(Ctx(w.admin_token).get(), req, &user).ok()) {
    return absl::InternalError("CreateUser failed");
  }
  w.user_id = user.user().id();
  w.username = user.user().username();
  return w;
}

// argon2id with the server's default parameters, one hash per call, on
// as many threads as there are cores.
Op RawHashes() {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return {absl::StrCat("raw argon2id hash (m=19 MiB, t=2), ", cores, " threads"),
          [](int) {
            char out[crypto_pwhash_STRBYTES];
            return crypto_pwhash_str_alg(out, kPassword, sizeof(kPassword) - 1, 2,
                                         19456u * 1024u,
                                         crypto_pwhash_ALG_ARGON2ID13) == 0;
          },
          cores};
}

Op Logins(const testing::IdentitydServer& s, const World& w) {
  auto stubs = Stubs<v1::AuthService>(s);
  return {"Authenticate (internal user)", [stubs, w](int t) {
            v1::AuthenticateRequest req;
            req.set_username(w.username);
            req.set_password(kPassword);
            v1::AuthenticateResponse resp;
            return (*stubs)[t]->Authenticate(Ctx().get(), req, &resp).ok();
          }};
}

Op GetUsers(const testing::IdentitydServer& s, const std::string& name,
            const World& w) {
  auto stubs = Stubs<v1::UserService>(s);
  return {name, [stubs, w](int t) {
            v1::GetUserRequest req;
            req.set_id(w.user_id);
            v1::User resp;
            return (*stubs)[t]->GetUser(Ctx(w.admin_token).get(), req, &resp).ok();
          }};
}

// The prepared statement `sql` with one text parameter, per thread.
Op RawSql(const std::string& name, const std::string& url, const std::string& sql,
          std::function<std::string(int thread, int n)> param) {
  auto conns = std::make_shared<std::vector<std::unique_ptr<pqxx::connection>>>();
  for (int t = 0; t < Threads(); ++t) {
    conns->push_back(std::make_unique<pqxx::connection>(url));
    conns->back()->prepare("q", sql);
  }
  auto n = std::make_shared<std::vector<int>>(Threads(), 0);
  return {name, [conns, n, param](int t) {
            pqxx::work tx(*(*conns)[t]);
            tx.exec_prepared("q", param(t, (*n)[t]++));
            tx.commit();
            return true;
          }};
}

Op CreateUsers(const testing::IdentitydServer& s, const World& w) {
  auto stubs = Stubs<v1::UserService>(s);
  auto n = std::make_shared<std::vector<int>>(Threads(), 0);
  return {"CreateUser (with an argon2id password hash)", [stubs, n, w](int t) {
            v1::CreateUserRequest req;
            req.set_organization_id(w.org_id);
            req.set_username(absl::StrCat("made-", t, "-", (*n)[t]++, "@example.com"));
            req.set_primary_role("BASIC_USER");
            req.set_password(kPassword);
            v1::CreateUserResponse resp;
            return (*stubs)[t]->CreateUser(Ctx(w.admin_token).get(), req, &resp).ok();
          }};
}

LoadResult ListPages(const testing::IdentitydServer& s, const World& w,
                     const std::string& name, absl::Duration warmup,
                     absl::Duration duration) {
  auto stubs = Stubs<v1::UserService>(s);
  return RunLoad(name, Threads(), warmup, duration, [&](int t) {
    v1::ListUsersRequest req;
    req.set_organization_id(w.org_id);
    req.set_page_size(100);
    v1::ListUsersResponse resp;
    return (*stubs)[t]->ListUsers(Ctx(w.admin_token).get(), req, &resp).ok() &&
           resp.users_size() == 100;
  });
}

// Adds users to the organization straight in SQL until it holds `total`.
void Populate(const std::string& org, int64_t total) {
  testing::SharedPostgres().QueryValue(
      kDatabase,
      absl::StrCat("INSERT INTO users (organization_id, username, email, "
                   "display_name, origin, primary_role) SELECT '", org,
                   "', 'bulk-' || g || '@example.com', 'bulk-' || g || "
                   "'@example.com', 'Bulk User ' || g, 'INTERNAL', 'BASIC_USER' "
                   "FROM generate_series((SELECT count(*) FROM users) + 1, ",
                   total, ") g"));
  testing::SharedPostgres().QueryValue(kDatabase, "ANALYZE users");
}

std::string PeakRss(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return line.substr(6);
  }
  return "?";
}

int Main(absl::Duration duration) {
  if (sodium_init() < 0) return Fail(kDriver, "libsodium");
  CachedAndUncached servers = StartCachedAndUncached(kDatabase);
  if (!servers.cached || !servers.uncached) return Fail(kDriver, "identityd did not start");
  testing::IdentitydServer* server = servers.cached.get();
  testing::IdentitydServer* uncached = servers.uncached.get();
  absl::StatusOr<World> w = Prepare(*server);
  if (!w.ok()) return Fail(kDriver, std::string(w.status().message()));
  const absl::Duration warmup = absl::Seconds(1);
  const std::string url = servers.database_url;

  // Each operation interleaved with its baseline (see RunInterleaved).
  std::vector<Row> rows;
  auto add = [&rows](std::vector<LoadResult> results) {
    for (Row& row : RowsAgainst(results, results.front().name)) {
      rows.push_back(std::move(row));
    }
  };
  add(RunInterleaved({RawHashes(), Logins(*server, *w)}, Threads(), warmup, duration));
  add(RunInterleaved({RawSql("raw libpqxx point select of a user (prepared)", url,
                             "SELECT * FROM users WHERE id = $1",
                             [id = w->user_id](int, int) { return id; }),
                      GetUsers(*server, "GetUser (admin token, cached)", *w),
                      GetUsers(*uncached, "GetUser (cache off: token and user from PostgreSQL)", *w)},
                     Threads(), warmup, duration));
  add(RunInterleaved(
      {RawSql("raw INSERT of a user row (prepared)", url,
              absl::StrCat("INSERT INTO users (organization_id, username, "
                           "origin, primary_role) VALUES ('", w->org_id,
                           "', $1, 'INTERNAL', 'BASIC_USER')"),
              [](int t, int n) { return absl::StrCat("raw-", t, "-", n, "@example.com"); }),
       CreateUsers(*server, *w)},
      Threads(), warmup, duration));
  const std::string first_list = "ListUsers page of 100 at 1k users";
  for (int64_t total : {1000, 100000, 1000000}) {
    Populate(w->org_id, total);
    const std::string name = total == 1000 ? first_list
                                           : absl::StrCat("ListUsers page of 100 at ",
                                                          total / 1000, "k users");
    rows.push_back({ListPages(*server, *w, name, warmup, duration),
                    total == 1000 ? "" : first_list});
  }
  const std::string users = testing::SharedPostgres().QueryValue(
      kDatabase, "SELECT count(*) FROM users");
  const std::string per_user = testing::SharedPostgres().QueryValue(
      kDatabase, "SELECT pg_total_relation_size('users') / count(*) FROM users");
  std::cout << absl::StrFormat(
                   "Operations, %d client threads, %s per row (the first seven "
                   "in 5 rounds interleaved with their baselines), client and "
                   "servers on this machine\n\n",
                   Threads(), absl::FormatDuration(duration))
            << Table(rows)
            << absl::StrFormat("\nAt %s users: identityd peak RSS %s; users table "
                               "with its indexes %s bytes per user.\n",
                               users, PeakRss(server->process().pid()), per_user);
  return 0;
}

}  // namespace
}  // namespace identity::bench

int main(int argc, char** argv) {
  return identity::bench::Main(identity::bench::RowDuration(argc, argv));
}
