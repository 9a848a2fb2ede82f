#include "services/audit_watch_stream.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "domain/operations.h"
#include "services/audit_service.h"
#include "services/grpc_status.h"

namespace identity::services {
namespace {

constexpr absl::Duration kEndingGrace = absl::Seconds(1);

// The label of an end the feed asked for, by its code.
const char* FeedReason(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kPermissionDenied:
      return "access";
    case absl::StatusCode::kUnavailable:
      return "unavailable";
    default:
      return "error";
  }
}

}  // namespace

AuditWatchStream::AuditWatchStream(AuditFeed* feed, CallRunner* runner,
                                   grpc::CallbackServerContext* ctx,
                                   const AuditWatchOptions& options)
    : feed_(feed),
      runner_(runner),
      call_(ctx->c_call()),
      credential_(runner->CredentialOf(*ctx)),
      capacity_(options.buffer),
      write_timeout_(options.write_timeout),
      ended_(options.ended) {
  grpc_call_ref(call_);
}

AuditWatchStream::~AuditWatchStream() {
  // Normally released when the call ended; this covers a stream dropped
  // without OnDone having run, which gRPC does not do.
  bool release;
  {
    absl::MutexLock lock(&mu_);
    release = !call_released_;
  }
  if (release) grpc_call_unref(call_);
}

AuditWatchStream* AuditWatchStream::Open(
    AuditFeed* feed, CallRunner* runner, grpc::CallbackServerContext* ctx,
    const AuditWatchOptions& options, const v1::WatchAuditEventsRequest& req) {
  std::shared_ptr<AuditWatchStream> stream(
      new AuditWatchStream(feed, runner, ctx, options));
  stream->self_ = stream;
  grpc::Status status =
      runner->Run(ctx, op::kWatchAuditEvents, req, [&](const Caller& c) {
        AuditListInput in;
        in.organization_id = req.organization_id();
        in.actor_id = req.actor_id();
        in.target_id = req.target_id();
        in.action = req.action();
        if (req.has_since()) in.since = AuditTime(req.since());
        if (req.has_until()) in.until = AuditTime(req.until());
        absl::StatusOr<AuditWatchPlan> plan =
            PlanAuditWatch(*c.principal, in, req.cursor());
        if (!plan.ok()) return plan.status();
        stream->plan_ = *std::move(plan);
        absl::Status added = feed->Add(stream, stream->plan_);
        if (added.ok()) {
          // OnDone, which counts it, runs only after Open has returned.
          absl::MutexLock lock(&stream->mu_);
          stream->admitted_ = true;
        }
        return added;
      });
  if (!status.ok()) {
    {
      absl::MutexLock lock(&stream->mu_);
      stream->EndLocked(status, "refused");
    }
    stream->Drive();  // gRPC holds the finish until the reactor is bound
  }
  return stream.get();  // alive through self_ until OnDone
}

int AuditWatchStream::Room() {
  absl::MutexLock lock(&mu_);
  if (finished_ || finish_) return -1;
  return static_cast<int>(capacity_ - std::min(capacity_, buffer_.size()));
}

bool AuditWatchStream::Done() {
  absl::MutexLock lock(&mu_);
  return done_;
}

void AuditWatchStream::Push(std::vector<domain::AuditEvent> events, bool live) {
  {
    absl::MutexLock lock(&mu_);
    if (finished_ || finish_) return;
    if (buffer_.size() + events.size() > capacity_) {
      EndLocked(ToGrpcStatus(absl::ResourceExhaustedError(absl::StrCat(
                    "the caller fell more than ", capacity_,
                    " events behind (IDENTITY_AUDIT_WATCH_BUFFER); watch "
                    "again with the cursor of the last event received"))),
                "slow_reader");
    } else {
      catching_up_ = !live;
      for (domain::AuditEvent& e : events) buffer_.push_back(std::move(e));
    }
  }
  Drive();
}

absl::Status AuditWatchStream::Recheck() {
  return runner_->Readmit(
      credential_, op::kWatchAuditEvents,
      [this](const Principal& p) { return RecheckAuditWatch(p, plan_); });
}

void AuditWatchStream::End(const absl::Status& status) {
  {
    absl::MutexLock lock(&mu_);
    EndLocked(ToGrpcStatus(status), FeedReason(status));
  }
  Drive();
}

void AuditWatchStream::CheckProgress() {
  grpc::Status status;
  {
    absl::MutexLock lock(&mu_);
    // A stream already ending (its caller fell behind, lost its access)
    // no longer counts against the watcher limit, so its stuck write is
    // cut after a short grace, not the full timeout: otherwise a caller
    // could pile up ending streams beyond the limit.
    const absl::Duration wait =
        finish_ ? std::min(write_timeout_, kEndingGrace) : write_timeout_;
    if (done_ || cancelled_ || !(writing_ || finished_) ||
        absl::Now() - busy_since_ < wait) {
      return;
    }
    EndLocked(ToGrpcStatus(absl::ResourceExhaustedError(absl::StrCat(
                  "the caller took nothing for ",
                  absl::FormatDuration(write_timeout_),
                  " (IDENTITY_AUDIT_WATCH_WRITE_TIMEOUT_SECONDS); watch again "
                  "with the cursor of the last event received"))),
              "stalled");
    status = *finish_;
    cancelled_ = true;
    ++cancelling_;
  }
  // The trailers carry the code and message (not the details), and the
  // write in flight fails, so OnWriteDone, Finish and OnDone follow.
  grpc_call_cancel_with_status(
      call_, static_cast<grpc_status_code>(status.error_code()),
      status.error_message().c_str(), nullptr);
  {
    absl::MutexLock lock(&mu_);
    --cancelling_;
  }
  ReleaseCallIfOver();
}

void AuditWatchStream::OnWriteDone(bool ok) {
  AuditFeed* const feed = feed_;
  bool wake = false;
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) {  // the caller went away
      EndLocked(ToGrpcStatus(absl::CancelledError("the caller left")),
                "caller_left");
    }
    wake = buffer_.empty() && catching_up_ && !finish_;
  }
  Drive();
  if (wake) feed->WakeForRoom();  // the feed reads the next page for it
}

void AuditWatchStream::OnCancel() {
  {
    absl::MutexLock lock(&mu_);
    EndLocked(ToGrpcStatus(absl::CancelledError("the caller cancelled")),
              "caller_left");
  }
  Drive();
}

void AuditWatchStream::OnDone() {
  AuditFeed* const feed = feed_;
  const char* reason = nullptr;
  {
    absl::MutexLock lock(&mu_);
    done_ = true;
    if (admitted_) reason = reason_ ? reason_ : "caller_left";
  }
  if (reason != nullptr && ended_ != nullptr) ended_->Inc({reason});
  ReleaseCallIfOver();
  std::shared_ptr<AuditWatchStream> self = std::move(self_);
  feed->Wake();  // it drops the stream at its next round
}

void AuditWatchStream::ReleaseCallIfOver() {
  {
    absl::MutexLock lock(&mu_);
    if (!done_ || cancelling_ > 0 || call_released_) return;
    call_released_ = true;
  }
  grpc_call_unref(call_);
}

void AuditWatchStream::EndLocked(const grpc::Status& status,
                                 const char* reason) {
  buffer_.clear();
  if (!finish_) {
    finish_ = status;
    reason_ = reason;
  }
}

void AuditWatchStream::Drive() {
  grpc::Status status;
  bool finish = false;
  {
    absl::MutexLock lock(&mu_);
    if (finished_ || writing_) return;
    if (finish_) {
      finished_ = finish = true;
      status = *finish_;
    } else if (!buffer_.empty()) {
      const domain::AuditEvent& e = buffer_.front();
      out_.Clear();
      AuditEventToProto(e, out_.mutable_event());
      out_.set_cursor(EncodeAuditCursor(storage::AuditPosition{e.xid, e.id}));
      buffer_.pop_front();
      writing_ = true;
    } else {
      return;
    }
    busy_since_ = absl::Now();
  }
  // No lock held from here, and no member touched after the call.
  if (finish) {
    Finish(status);
  } else {
    StartWrite(&out_);
  }
}

}  // namespace identity::services
