#include "bench/bench_support.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/numbers.h"

#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/support/postgres_server.h"

namespace identity::bench {

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return ctx;
}

std::vector<std::shared_ptr<grpc::Channel>> Channels(
    const testing::IdentitydServer& server) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int t = 0; t < Threads(); ++t) {
    grpc::ChannelArguments args;
    args.SetInt("bench.channel", t);  // distinct arguments: no sharing
    channels.push_back(grpc::CreateCustomChannel(
        server.address(), grpc::InsecureChannelCredentials(), args));
  }
  return channels;
}

CachedAndUncached StartCachedAndUncached(const std::string& database) {
  CachedAndUncached servers;
  testing::IdentitydServer::Options options;
  servers.database_url = testing::SharedPostgres().CreateDatabase(database);
  options.database_url = servers.database_url;
  options.env = {{"IDENTITY_LOG_LEVEL", "warning"}};
  servers.cached = testing::IdentitydServer::Start(options);
  options.env["IDENTITY_CACHE_TTL_SECONDS"] = "0";
  servers.uncached = testing::IdentitydServer::Start(options);
  return servers;
}

int Threads() {
  static const int threads = [] {
    const char* set = std::getenv("IDENTITY_BENCH_THREADS");
    if (set == nullptr || *set == '\0') return 4;
    int n = 0;
    if (!absl::SimpleAtoi(set, &n) || n < 1 || n > 256) {
      std::cerr << "IDENTITY_BENCH_THREADS: expected a number of client "
                   "threads from 1 to 256, got \"" << set << "\"\n";
      std::exit(2);
    }
    return n;
  }();
  return threads;
}

absl::Duration RowDuration(int argc, char** argv) {
  Threads();  // every driver reads this first: a bad setting stops it early
  const int seconds = argc > 1 ? std::atoi(argv[1]) : 10;
  return absl::Seconds(seconds > 0 ? seconds : 10);
}

int Fail(const std::string& driver, const std::string& what) {
  std::cerr << driver << ": " << what << "\n";
  return 1;
}

Op HealthChecks(const testing::IdentitydServer& server) {
  auto stubs = Stubs<grpc::health::v1::Health>(server);
  return {kHealthCheck, [stubs](int t) {
            grpc::health::v1::HealthCheckRequest req;
            grpc::health::v1::HealthCheckResponse resp;
            return (*stubs)[t]->Check(Ctx().get(), req, &resp).ok();
          }};
}

std::vector<Row> RowsAgainst(const std::vector<LoadResult>& results,
                             const std::string& baseline) {
  std::vector<Row> rows;
  for (const LoadResult& r : results) {
    rows.push_back({r, r.name == baseline ? "" : baseline});
  }
  return rows;
}

void PrintTopStatements(const std::string& database) {
  if (std::getenv("IDENTITY_TEST_PG_OPTIONS") == nullptr) return;
  testing::PostgresServer& pg = testing::SharedPostgres();
  pg.QueryValue(database, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  std::cout << "\n"
            << pg.QueryValue(
                   database,
                   "SELECT string_agg(format('%s calls, %s ms [plan %s, exec %s]: %s', "
                   "calls, round(total_exec_time + total_plan_time), "
                   "round(total_plan_time), round(total_exec_time), left(query, 100)), "
                   "E'\\n') FROM (SELECT * FROM pg_stat_statements ORDER BY "
                   "total_exec_time + total_plan_time DESC LIMIT 15) s")
            << "\n";
}

}  // namespace identity::bench
