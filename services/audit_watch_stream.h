// One WatchAuditEvents stream, served with gRPC's callback API: an open
// stream holds no server thread, only its buffer. The AuditFeed fills the
// buffer; the stream writes one event at a time as the caller reads. A
// caller that falls further behind than the buffer holds gets
// RESOURCE_EXHAUSTED and resumes from the cursor of its last event.
//
// StartWrite and Finish are called with no lock held: gRPC may run
// OnWriteDone and OnDone inline in them when they are called from a thread
// of its own (the feed's), and those take the stream's lock. The stream
// owns itself (and the feed shares that) until OnDone, so it never waits
// for the feed's lock on its way out.
#ifndef IDENTITY_SERVICES_AUDIT_WATCH_STREAM_H_
#define IDENTITY_SERVICES_AUDIT_WATCH_STREAM_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "application/audit/audit_feed.h"
#include "identity/v1/audit_service.grpc.pb.h"
#include "services/call.h"

namespace identity::services {

class AuditWatchStream final
    : public grpc::ServerWriteReactor<v1::WatchAuditEventsResponse>,
      public AuditWatcher {
 public:
  // Admits the call and joins the feed, or ends the stream with the
  // refusal. `buffer`: events held for the caller before the stream ends.
  static AuditWatchStream* Open(AuditFeed* feed, CallRunner* runner,
                                grpc::CallbackServerContext* ctx, int buffer,
                                const v1::WatchAuditEventsRequest& req);

  // AuditWatcher
  int Room() override;
  void Push(std::vector<domain::AuditEvent> events, bool live) override;
  absl::Status Recheck() override;
  void End(const absl::Status& status) override;
  bool Done() override;

  // grpc::ServerWriteReactor
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  AuditWatchStream(AuditFeed* feed, CallRunner* runner,
                   grpc::CallbackServerContext* ctx, int buffer)
      : feed_(feed), runner_(runner), ctx_(ctx), capacity_(buffer) {}

  // Starts the next write, or the finish once no write is in flight.
  // Called without mu_; `this` may be gone when it returns.
  void Drive();
  void EndLocked(const grpc::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  AuditFeed* const feed_;
  CallRunner* const runner_;
  grpc::CallbackServerContext* const ctx_;
  const size_t capacity_;
  AuditWatchPlan plan_;  // set before the feed knows the stream
  std::shared_ptr<AuditWatchStream> self_;  // released by OnDone

  absl::Mutex mu_;
  std::deque<domain::AuditEvent> buffer_ ABSL_GUARDED_BY(mu_);
  v1::WatchAuditEventsResponse
      out_;  // written only while no write is in flight
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool catching_up_ ABSL_GUARDED_BY(mu_) = true;
  std::optional<grpc::Status> finish_
      ABSL_GUARDED_BY(mu_);  // once no write is in flight
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_AUDIT_WATCH_STREAM_H_
