// identityd: the identity service. Settings come from IDENTITY_* environment
// variables (docs/configuration.md, "Settings"). Exits 0 after a clean SIGTERM/SIGINT drain,
// 2 on bad settings, 1 when it cannot start.
#include <curl/curl.h>
#include <liboath/oath.h>

#include <csignal>
#include <cstdio>

#include "absl/synchronization/mutex.h"
#include "common/crypto.h"
#include "common/log.h"
#include "server/app.h"
#include "server/config.h"

int main() {
  using identity::log::Error;
  using identity::log::Info;
  // Block the stop signals in every thread; the main thread waits for them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

#ifdef NDEBUG
  // Debian's abseil is built with lock-order checking on: every absl::Mutex
  // taken or destroyed updates a global graph under a global lock (1-2 % of
  // the CPU of a credential check). Debug builds keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
  // libcurl's global state, before any thread starts.
  curl_global_init(CURL_GLOBAL_DEFAULT);
  oath_init();
  if (absl::Status s = identity::crypto::Init(); !s.ok()) {
    Error("startup.failed", {{"error", s.message()}});
    return 1;
  }
  absl::StatusOr<identity::server::Config> config =
      identity::server::LoadConfigFromEnvironment();
  if (!config.ok()) {
    Error("config.invalid", {{"error", config.status().message()}});
    return 2;
  }
  identity::log::SetLevel(config->log_level);
  absl::StatusOr<std::unique_ptr<identity::server::App>> app =
      identity::server::App::Start(*config);
  if (!app.ok()) {
    Error("startup.failed", {{"error", app.status().message()}});
    return absl::IsInvalidArgument(app.status()) ? 2 : 1;
  }
  int signal = 0;
  sigwait(&stop, &signal);
  Info("server.signal", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*app)->Shutdown();
  app->reset();
  Info("server.exit");
  return 0;
}
