// Token buckets by key, in memory (per process): each key may spend `burst`
// tokens at once and earns `per_minute` back a minute. Bounded: at most
// `max_keys` buckets; a full bucket is the same as none and is dropped
// first, then the one idle longest.
#ifndef IDENTITY_COMMON_TOKEN_BUCKETS_H_
#define IDENTITY_COMMON_TOKEN_BUCKETS_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace identity {

class TokenBuckets {
 public:
  struct Options {
    int per_minute = 60;  // 0: never limits
    int burst = 60;
    int max_keys = 100000;
  };
  explicit TokenBuckets(Options options) : options_(options) {}

  // How long `key` must wait for a whole token; zero when it has one.
  absl::Duration Wait(absl::string_view key, absl::Time now);
  // Spends a token of `key` (a bucket may go empty, not below).
  void Take(absl::string_view key, absl::Time now);

  size_t size();

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  // Refills `b` up to `now`.
  void Refill(Bucket& b, absl::Time now) const;
  void MakeRoom(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace identity

#endif  // IDENTITY_COMMON_TOKEN_BUCKETS_H_
