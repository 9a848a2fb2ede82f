// A WatchAuditEvents stream as a caller holds it: a thread reads it into a
// list the test inspects with time limits.
#ifndef IDENTITY_TESTS_E2E_ORGANIZATIONS_AUDIT_WATCHER_H_
#define IDENTITY_TESTS_E2E_ORGANIZATIONS_AUDIT_WATCHER_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "identity/v1/audit_service.grpc.pb.h"

namespace identity::testing {

class AuditWatcher {
 public:
  using Response = identity::v1::WatchAuditEventsResponse;

  // Reads `pause_after` messages, then none until Resume(); after that it
  // waits `read_delay` before each read (a slow reader).
  AuditWatcher(std::shared_ptr<grpc::Channel> channel, const std::string& token,
               const identity::v1::WatchAuditEventsRequest& req,
               size_t pause_after = SIZE_MAX,
               absl::Duration read_delay = absl::ZeroDuration())
      : stub_(identity::v1::AuditService::NewStub(std::move(channel))),
        pause_after_(pause_after),
        read_delay_(read_delay) {
    if (!token.empty()) ctx_.AddMetadata("authorization", "Bearer " + token);
    reader_ = stub_->WatchAuditEvents(&ctx_, req);
    thread_ = std::thread([this] { Read(); });
  }
  ~AuditWatcher() {
    ctx_.TryCancel();
    Resume();
    thread_.join();
  }

  void Resume() {
    if (!resume_.HasBeenNotified()) resume_.Notify();
  }

  // Waits until `n` messages came (or the stream ended, or `timeout`).
  std::vector<Response> WaitFor(size_t n,
                                absl::Duration timeout = absl::Seconds(5)) {
    absl::MutexLock lock(&mu_);
    auto done = [&]() { return got_.size() >= n || status_.has_value(); };
    mu_.AwaitWithTimeout(absl::Condition(&done), timeout);
    return got_;
  }
  // Waits until a message satisfies `match`; false after `timeout`.
  bool WaitUntil(const std::function<bool(const Response&)>& match,
                 absl::Duration timeout = absl::Seconds(5)) {
    absl::MutexLock lock(&mu_);
    auto done = [&]() {
      for (const Response& r : got_) {
        if (match(r)) return true;
      }
      return status_.has_value();
    };
    mu_.AwaitWithTimeout(absl::Condition(&done), timeout);
    for (const Response& r : got_) {
      if (match(r)) return true;
    }
    return false;
  }
  // The stream's status once it ended, nullopt while it is open.
  std::optional<grpc::Status> Ended(absl::Duration timeout = absl::Seconds(5)) {
    absl::MutexLock lock(&mu_);
    auto done = [&]() { return status_.has_value(); };
    mu_.AwaitWithTimeout(absl::Condition(&done), timeout);
    return status_;
  }
  std::vector<Response> received() {
    absl::MutexLock lock(&mu_);
    return got_;
  }

 private:
  void Read() {
    Response r;
    bool open = true;
    for (;;) {
      {
        absl::MutexLock lock(&mu_);
        if (got_.size() >= pause_after_) break;
      }
      if (read_delay_ > absl::ZeroDuration()) absl::SleepFor(read_delay_);
      if (!(open = reader_->Read(&r))) break;
      absl::MutexLock lock(&mu_);
      got_.push_back(r);
    }
    if (open) {
      resume_.WaitForNotification();
      while (reader_->Read(&r)) {
        absl::MutexLock lock(&mu_);
        got_.push_back(r);
      }
    }
    grpc::Status s = reader_->Finish();
    absl::MutexLock lock(&mu_);
    status_ = s;
  }

  std::unique_ptr<identity::v1::AuditService::Stub> stub_;
  grpc::ClientContext ctx_;
  std::unique_ptr<grpc::ClientReader<Response>> reader_;
  const size_t pause_after_;
  const absl::Duration read_delay_;
  absl::Notification resume_;
  absl::Mutex mu_;
  std::vector<Response> got_ ABSL_GUARDED_BY(mu_);
  std::optional<grpc::Status> status_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_E2E_ORGANIZATIONS_AUDIT_WATCHER_H_
