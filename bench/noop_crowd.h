// Closed-loop callers of the no-op RPC: the floor of a stressed row, load
// that asks nothing of identityd but an answer.
#ifndef IDENTITY_BENCH_NOOP_CROWD_H_
#define IDENTITY_BENCH_NOOP_CROWD_H_

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "bench/bench_support.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/support/identityd_server.h"

namespace identity::bench {

// The floor of the stressed row: as many closed-loop callers as the
// stresses have (64 + 8), each calling the no-op RPC, which the server
// answers at once. Whatever the server does, these callers and their
// answers share the two cores with the validating clients.
class NoopCrowd {
 public:
  explicit NoopCrowd(const testing::IdentitydServer& server)
      : server_(server) {}
  ~NoopCrowd() { Set(false); }

  void Set(bool on) {
    if (on_.load() == on) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (on_.load() == on) return;
    if (on) {
      running_ = true;
      for (int i = 0; i < 72; ++i) {
        threads_.emplace_back([this] {
          auto health = grpc::health::v1::Health::NewStub(server_.NewChannel());
          while (running_) {
            grpc::health::v1::HealthCheckResponse resp;
            health->Check(Ctx().get(), {}, &resp);
          }
        });
      }
    } else {
      running_ = false;
      for (std::thread& t : threads_) t.join();
      threads_.clear();
    }
    on_ = on;
  }

 private:
  const testing::IdentitydServer& server_;
  std::mutex mu_;
  std::atomic<bool> on_{false}, running_{false};
  std::vector<std::thread> threads_;
};

}  // namespace identity::bench

#endif  // IDENTITY_BENCH_NOOP_CROWD_H_
