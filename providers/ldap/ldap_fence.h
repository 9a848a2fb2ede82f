// A fence around each organization's directory, per replica, so that one
// tenant's slow or hung directory cannot take the threads that every other
// call needs:
// - a concurrency limit (default: the provider's pool_size); a login that
//   finds no free slot waits at most `slot_wait` (and only while fewer than
//   the limit wait already), then gets UNAVAILABLE;
// - a circuit breaker: after `failures_to_open` timeouts in a row, logins fail
// fast with UNAVAILABLE for `open_for`; then
//   one login probes the directory (HALF_OPEN): success closes the circuit,
//   failure opens it again for twice as long (at most 16 times `open_for`).
#ifndef IDENTITY_PROVIDERS_LDAP_LDAP_FENCE_H_
#define IDENTITY_PROVIDERS_LDAP_LDAP_FENCE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace identity::ldap {

struct FenceOptions {
  int max_concurrent = 0;  // 0: the provider's pool_size
  absl::Duration slot_wait = absl::Milliseconds(200);
  int failures_to_open = 5;
  absl::Duration open_for = absl::Seconds(10);
};

enum class Circuit { kClosed, kOpen, kHalfOpen };
const char* CircuitName(Circuit c);

struct FenceFigures {
  int max_concurrent = 0;
  int in_flight = 0;
  Circuit circuit = Circuit::kClosed;
  int failures_in_a_row = 0;
  int64_t refused_busy = 0;  // no slot within slot_wait
  int64_t refused_open = 0;  // failed fast while the circuit was open
  absl::Time retry_at = absl::InfinitePast();  // while open
};

class LdapFences {
 public:
  explicit LdapFences(FenceOptions options) : options_(options) {}

  // Runs `call` (one directory login) inside the organization's fence. A
  // call that fails UNAVAILABLE or DEADLINE_EXCEEDED after at least
  // `timeout` is a timeout for the breaker; one that fails sooner (a
  // directory that refuses connections) holds no thread and does not count.
  template <typename T>
  absl::StatusOr<T> Run(const std::string& organization_id, int pool_size,
                        absl::Duration timeout,
                        absl::FunctionRef<absl::StatusOr<T>()> call) {
    bool probe = false;
    absl::Status entered = Enter(organization_id, pool_size, &probe);
    if (!entered.ok()) return entered;
    const absl::Time start = absl::Now();
    absl::StatusOr<T> result = call();
    Leave(organization_id,
          TimedOut(result.status(), absl::Now() - start, timeout), probe);
    return result;
  }

  // nullopt before the organization's first login on this replica.
  std::optional<FenceFigures> Figures(const std::string& organization_id) const;
  std::map<std::string, FenceFigures> AllFigures() const;

 private:
  struct Fence {
    FenceFigures figures;
    absl::Duration backoff;
    bool probing = false;
    int waiting = 0;  // logins waiting for a slot
  };
  absl::Status Enter(const std::string& organization_id, int pool_size,
                     bool* probe);
  static bool TimedOut(const absl::Status& status, absl::Duration took,
                       absl::Duration timeout);
  void Leave(const std::string& organization_id, bool timed_out, bool probe);

  const FenceOptions options_;
  mutable absl::Mutex mu_;
  // std::map: a waiting login keeps a pointer to its fence.
  std::map<std::string, Fence> fences_ ABSL_GUARDED_BY(mu_);
};

}  // namespace identity::ldap

#endif  // IDENTITY_PROVIDERS_LDAP_LDAP_FENCE_H_
