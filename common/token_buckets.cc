#include "common/token_buckets.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace identity {

void TokenBuckets::Refill(Bucket& b, absl::Time now) const {
  if (now <= b.updated) return;
  const double earned =
      absl::ToDoubleMinutes(now - b.updated) * options_.per_minute;
  b.tokens = std::min<double>(options_.burst, b.tokens + earned);
  b.updated = now;
}

absl::Duration TokenBuckets::Wait(absl::string_view key, absl::Time now) {
  if (options_.per_minute <= 0) return absl::ZeroDuration();
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) return absl::ZeroDuration();
  Refill(it->second, now);
  if (it->second.tokens >= 1) return absl::ZeroDuration();
  return absl::Minutes(1 - it->second.tokens) / options_.per_minute;
}

void TokenBuckets::Take(absl::string_view key, absl::Time now) {
  if (options_.per_minute <= 0) return;
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= static_cast<size_t>(options_.max_keys)) {
      MakeRoom(now);
    }
    it = buckets_.emplace(key, Bucket{double(options_.burst), now}).first;
  }
  Refill(it->second, now);
  it->second.tokens = std::max(0.0, it->second.tokens - 1);
}

void TokenBuckets::MakeRoom(absl::Time now) {
  // Full buckets say nothing a missing one does not: drop them all. Under a
  // spray of fresh keys none is full; then the eighth idle longest goes, so
  // that the sweep is paid once per many insertions.
  absl::erase_if(buckets_, [&](const auto& entry) {
    Bucket b = entry.second;
    Refill(b, now);
    return b.tokens >= options_.burst;
  });
  if (buckets_.size() < static_cast<size_t>(options_.max_keys)) return;
  std::vector<std::pair<absl::Time, std::string>> by_age;
  by_age.reserve(buckets_.size());
  for (const auto& [key, b] : buckets_) by_age.emplace_back(b.updated, key);
  const size_t drop = std::max<size_t>(1, by_age.size() / 8);
  std::nth_element(by_age.begin(), by_age.begin() + (drop - 1), by_age.end());
  for (size_t i = 0; i < drop; ++i) buckets_.erase(by_age[i].second);
}

size_t TokenBuckets::size() {
  absl::MutexLock lock(&mu_);
  return buckets_.size();
}

}  // namespace identity
