#include "tests/support/identityd_server.h"

#include "tests/support/secret_watch.h"

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "grpc/health/v1/health.grpc.pb.h"

namespace identity::testing {

std::string IdentitydPath() {
  if (const char* p = getenv("IDENTITYD_PATH")) return p;
  return IDENTITYD_DEFAULT_PATH;
}

std::unique_ptr<IdentitydServer> IdentitydServer::Start(Options options) {
  std::unique_ptr<IdentitydServer> s(new IdentitydServer());
  s->options_ = std::move(options);
  s->dir_ = MakeTempDir("identityd-");
  s->log_path_ = s->dir_ + "/identityd.log";
  // A free port can be taken by another process (a test binary running
  // beside this one, an outgoing connection) before identityd binds it:
  // a server that found its address taken starts again on other ports.
  for (int attempt = 1;; ++attempt) {
    s->address_ = s->options_.listen_host + ":" + std::to_string(FreePort());
    s->metrics_port_ = FreePort();
    if (s->Launch()) return s;
    // Launch gives up on a server that exited or never answered; one that
    // is still running is stopped, so that none is left behind.
    s->Stop(SIGKILL);
    const std::string log = s->log();
    if (attempt < 3 && log.find("address in use") != std::string::npos) {
      std::cerr << "identityd found its port taken; starting again\n";
      std::ofstream(s->log_path_, std::ios::trunc);  // this attempt's log only
      continue;
    }
    std::cerr << "identityd did not start; its log:\n" << log << "\n";
    return nullptr;
  }
}

bool IdentitydServer::Launch() {
  std::map<std::string, std::string> env = {
      {"IDENTITY_LISTEN_ADDRESS", address_},
      {"IDENTITY_DATABASE_URL", options_.database_url},
      {"IDENTITY_BOOTSTRAP_ADMIN_USERNAME", options_.admin_username},
      {"IDENTITY_BOOTSTRAP_ADMIN_PASSWORD", options_.admin_password},
      {"IDENTITY_DB_STARTUP_TIMEOUT_SECONDS", "20"},
      {"IDENTITY_SHUTDOWN_GRACE_SECONDS", "5"},
      {"IDENTITY_METRICS_ADDRESS", "127.0.0.1:" + std::to_string(metrics_port_)},
      // Every test calls from 127.0.0.1 and many fail on purpose: budgets
      // far above what any test spends, except where a suite sets its own.
      {"IDENTITY_RATE_LIMIT_ADDRESS_BURST", "1000000"},
      {"IDENTITY_RATE_LIMIT_TARGET_BURST", "1000000"},
  };
  for (const auto& [k, v] : options_.env) env[k] = v;
  if (!process_.Start({IdentitydPath()}, env, log_path_)) return false;

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(process_.pid(), &status, WNOHANG) == process_.pid()) {
      process_.Forget();  // already reaped
      return false;
    }
    // A fresh channel each time: a channel that failed to connect while the
    // server was starting would sit in reconnect backoff.
    auto stub = grpc::health::v1::Health::NewStub(NewChannel());
    grpc::ClientContext ctx;
    ctx.set_wait_for_ready(true);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(300));
    grpc::health::v1::HealthCheckRequest req;
    grpc::health::v1::HealthCheckResponse resp;
    if (stub->Check(&ctx, req, &resp).ok() &&
        resp.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

int IdentitydServer::Stop(int signal) { return process_.Stop(signal); }

bool IdentitydServer::Restart() {
  if (process_.running()) process_.Stop(SIGTERM);
  return Launch();
}

IdentitydServer::~IdentitydServer() {
  if (process_.running()) process_.Stop(SIGKILL);
  CollectLog(dir_, log());
  RememberSecret(options_.admin_password);
  for (const auto& [name, value] : options_.env) {
    if (name.find("PASSWORD") != std::string::npos ||
        name.find("SECRET") != std::string::npos) {
      RememberSecret(value);
    }
  }
  if (!dir_.empty() && getenv("IDENTITY_KEEP_TEST_DIRS") == nullptr) {
    RunCommand({"rm", "-rf", dir_});
  }
}

std::string IdentitydServer::Metrics() const {
  return HttpGet(metrics_port_, "/metrics");
}

std::shared_ptr<grpc::Channel> IdentitydServer::NewChannel() const {
  // Short reconnect backoff: tests connect while the server is still starting.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
  return grpc::CreateCustomChannel(
      address_,
      options_.credentials ? options_.credentials
                           : grpc::InsecureChannelCredentials(),
      args);
}

}  // namespace identity::testing
