// A fixed set of worker threads with a bounded queue, for CPU-heavy work
// (password hashing) that must not run on, or starve, the RPC threads.
#ifndef IDENTITY_COMMON_BOUNDED_EXECUTOR_H_
#define IDENTITY_COMMON_BOUNDED_EXECUTOR_H_

#include <deque>
#include <functional>
#include <future>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace identity {

class BoundedExecutor {
 public:
  BoundedExecutor(int threads, int max_queued);
  ~BoundedExecutor();  // finishes queued work, then joins

  BoundedExecutor(const BoundedExecutor&) = delete;
  BoundedExecutor& operator=(const BoundedExecutor&) = delete;

  // Runs `fn` on a worker and waits for its result. RESOURCE_EXHAUSTED when
  // the queue is full, so that overload sheds load instead of piling up.
  template <typename T>
  absl::StatusOr<T> Run(std::function<T()> fn) {
    auto task = std::make_shared<std::packaged_task<T()>>(std::move(fn));
    std::future<T> result = task->get_future();
    absl::Status queued = Enqueue([task] { (*task)(); });
    if (!queued.ok()) return queued;
    return result.get();
  }

  // Queues `work` without waiting for it; RESOURCE_EXHAUSTED when full.
  absl::Status Post(std::function<void()> work) {
    return Enqueue(std::move(work));
  }

  int threads() const { return static_cast<int>(workers_.size()); }

 private:
  absl::Status Enqueue(std::function<void()> work);
  void WorkerLoop();

  const size_t max_queued_;
  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace identity

#endif  // IDENTITY_COMMON_BOUNDED_EXECUTOR_H_
