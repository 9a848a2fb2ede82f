// What every benchmark driver shares: client contexts, one channel per
// client thread, and the no-op RPC baseline.
#ifndef IDENTITY_BENCH_BENCH_SUPPORT_H_
#define IDENTITY_BENCH_BENCH_SUPPORT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "bench/load_driver.h"
#include "tests/support/identityd_server.h"

namespace identity::bench {

// Client threads (closed loop, one connection each) in every row:
// IDENTITY_BENCH_THREADS, default 4; exits with a message when it is not a
// number from 1 to 256.
int Threads();

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token = "");

// A channel (its own connection) per client thread.
std::vector<std::shared_ptr<grpc::Channel>> Channels(
    const testing::IdentitydServer& server);

// Two identityd on one new database `database`: one with the credential
// cache, one with IDENTITY_CACHE_TTL_SECONDS=0. Null members when either
// did not start.
struct CachedAndUncached {
  std::string database_url;
  std::unique_ptr<testing::IdentitydServer> cached, uncached;
};
CachedAndUncached StartCachedAndUncached(const std::string& database);

// How long each row runs: the first argument in seconds, else 10.
absl::Duration RowDuration(int argc, char** argv);

// Prints "<driver>: <what>" to stderr and returns 1.
int Fail(const std::string& driver, const std::string& what);

// grpc.health.v1.Health/Check on `server`: the cost of any RPC there.
inline constexpr char kHealthCheck[] = "grpc.health.v1.Health/Check (no-op RPC)";
Op HealthChecks(const testing::IdentitydServer& server);

// One stub per client thread, each on its own channel.
template <typename Service>
std::shared_ptr<std::vector<std::unique_ptr<typename Service::Stub>>> Stubs(
    const testing::IdentitydServer& server) {
  auto stubs =
      std::make_shared<std::vector<std::unique_ptr<typename Service::Stub>>>();
  for (auto& channel : Channels(server)) stubs->push_back(Service::NewStub(channel));
  return stubs;
}

// The rows of `results`, each compared with `baseline` (a name; the row
// of that name is the baseline itself).
std::vector<Row> RowsAgainst(const std::vector<LoadResult>& results,
                             const std::string& baseline);

// With pg_stat_statements loaded (IDENTITY_TEST_PG_OPTIONS="-c
// shared_preload_libraries=pg_stat_statements -c
// pg_stat_statements.track_planning=on"), prints where `database`'s time went.
void PrintTopStatements(const std::string& database);

}  // namespace identity::bench

#endif  // IDENTITY_BENCH_BENCH_SUPPORT_H_
