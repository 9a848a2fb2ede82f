// One WatchAuditEvents stream, served with gRPC's callback API: an open
// stream holds no server thread, only its buffer. The AuditFeed fills the
// buffer; the stream writes one event at a time as the caller reads. A
// caller that falls further behind than the buffer holds gets
// RESOURCE_EXHAUSTED and resumes from the cursor of its last event.
//
// A caller that stops reading but keeps its connection open blocks the
// write in flight (HTTP/2 flow control) and with it the Finish. A write or
// finish that has made no progress for `write_timeout` therefore cancels
// the call with its status (RESOURCE_EXHAUSTED unless it was ending for
// another reason): the status travels in the trailers, which flow control
// does not hold, and the call is over whatever the caller does.
//
// StartWrite, Finish and the cancel are called with no lock held: gRPC may
// run OnWriteDone and OnDone inline in them when they are called from a
// thread of its own (the feed's), and those take the stream's lock. The
// stream owns itself (and the feed shares that) until OnDone, so it never
// waits for the feed's lock on its way out. It holds its own reference to
// the call, so that a cancel racing with OnDone never touches a freed call.
#ifndef IDENTITY_SERVICES_AUDIT_WATCH_STREAM_H_
#define IDENTITY_SERVICES_AUDIT_WATCH_STREAM_H_

#include <grpc/grpc.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "application/audit/audit_feed.h"
#include "common/prometheus.h"
#include "identity/v1/audit_service.grpc.pb.h"
#include "services/call.h"

namespace identity::services {

struct AuditWatchOptions {
  int buffer = 1000;  // events held for the caller before the stream ends
  // A write (or the finish) pending this long cancels the call.
  absl::Duration write_timeout = absl::Seconds(30);
  prometheus::CounterFamily* ended = nullptr;  // {reason}; may be null
};

class AuditWatchStream final
    : public grpc::ServerWriteReactor<v1::WatchAuditEventsResponse>,
      public AuditWatcher {
 public:
  // Admits the call and joins the feed, or ends the stream with the
  // refusal.
  static AuditWatchStream* Open(AuditFeed* feed, CallRunner* runner,
                                grpc::CallbackServerContext* ctx,
                                const AuditWatchOptions& options,
                                const v1::WatchAuditEventsRequest& req);
  ~AuditWatchStream() override;

  // AuditWatcher
  int Room() override;
  void Push(std::vector<domain::AuditEvent> events, bool live) override;
  absl::Status Recheck() override;
  void End(const absl::Status& status) override;
  void CheckProgress() override;
  bool Done() override;

  // grpc::ServerWriteReactor
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  AuditWatchStream(AuditFeed* feed, CallRunner* runner,
                   grpc::CallbackServerContext* ctx,
                   const AuditWatchOptions& options);

  // Starts the next write, or the finish once no write is in flight.
  // Called without mu_; `this` may be gone when it returns.
  void Drive();
  // The first end wins; `reason` labels it in the metrics.
  void EndLocked(const grpc::Status& status, const char* reason)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Drops the stream's reference to the call once OnDone has run and no
  // cancel is under way.
  void ReleaseCallIfOver();

  AuditFeed* const feed_;
  CallRunner* const runner_;
  grpc_call* const call_;  // referenced until ReleaseCallIfOver
  // Re-admitted with this, copied from the server context at the start:
  // the caller's cancel may free the context while the feed rechecks.
  const CallRunner::StreamCredential credential_;
  const size_t capacity_;
  const absl::Duration write_timeout_;
  prometheus::CounterFamily* const ended_;
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
  // When the write or finish in flight started.
  absl::Time busy_since_ ABSL_GUARDED_BY(mu_);
  const char* reason_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool admitted_ ABSL_GUARDED_BY(mu_) = false;  // counted when it ends
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  int cancelling_ ABSL_GUARDED_BY(mu_) = 0;
  bool call_released_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_AUDIT_WATCH_STREAM_H_
