#include "common/bounded_executor.h"

#include "common/error_info.h"

namespace identity {

BoundedExecutor::BoundedExecutor(int threads, int max_queued)
    : max_queued_(static_cast<size_t>(max_queued)) {
  workers_.reserve(threads);
  for (int i = 0; i < threads; ++i) {
    workers_.emplace_back([this] { WorkerLoop(); });
  }
}

BoundedExecutor::~BoundedExecutor() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& t : workers_) t.join();
}

absl::Status BoundedExecutor::Enqueue(std::function<void()> work) {
  absl::MutexLock lock(&mu_);
  if (stopping_) {
    return WithReason(absl::UnavailableError("server is shutting down"),
                      reason::kShuttingDown);
  }
  if (queue_.size() >= max_queued_) {
    // The queue drains at the hashing rate: a second is enough for a retry.
    return WithRetryDelay(
        WithReason(
            absl::ResourceExhaustedError(
                "too many logins in progress; retry after a short delay"),
            reason::kServerBusy),
        absl::Seconds(1));
  }
  queue_.push_back(std::move(work));
  return absl::OkStatus();
}

void BoundedExecutor::WorkerLoop() {
  for (;;) {
    std::function<void()> work;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || !queue_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (queue_.empty()) return;  // stopping and drained
      work = std::move(queue_.front());
      queue_.pop_front();
    }
    work();
  }
}

}  // namespace identity
