#include "services/audit_watch_stream.h"

#include "absl/strings/str_cat.h"
#include "domain/operations.h"
#include "services/audit_service.h"
#include "services/grpc_status.h"

namespace identity::services {

AuditWatchStream* AuditWatchStream::Open(
    AuditFeed* feed, CallRunner* runner, grpc::CallbackServerContext* ctx,
    int buffer, const v1::WatchAuditEventsRequest& req) {
  std::shared_ptr<AuditWatchStream> stream(
      new AuditWatchStream(feed, runner, ctx, buffer));
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
        return feed->Add(stream, stream->plan_);
      });
  if (!status.ok()) {
    {
      absl::MutexLock lock(&stream->mu_);
      stream->EndLocked(status);
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

void AuditWatchStream::Push(std::vector<domain::AuditEvent> events,
                            bool live) {
  {
    absl::MutexLock lock(&mu_);
    if (finished_ || finish_) return;
    if (buffer_.size() + events.size() > capacity_) {
      EndLocked(ToGrpcStatus(absl::ResourceExhaustedError(absl::StrCat(
          "the caller fell more than ", capacity_,
          " events behind (IDENTITY_AUDIT_WATCH_BUFFER); watch again with "
          "the cursor of the last event received"))));
    } else {
      catching_up_ = !live;
      for (domain::AuditEvent& e : events) buffer_.push_back(std::move(e));
    }
  }
  Drive();
}

absl::Status AuditWatchStream::Recheck() {
  return runner_->Readmit(
      *ctx_, op::kWatchAuditEvents,
      [this](const Principal& p) { return RecheckAuditWatch(p, plan_); });
}

void AuditWatchStream::End(const absl::Status& status) {
  {
    absl::MutexLock lock(&mu_);
    EndLocked(ToGrpcStatus(status));
  }
  Drive();
}

void AuditWatchStream::OnWriteDone(bool ok) {
  AuditFeed* const feed = feed_;
  bool wake = false;
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) {  // the caller went away
      EndLocked(ToGrpcStatus(absl::CancelledError("the caller left")));
    }
    wake = buffer_.empty() && catching_up_ && !finish_;
  }
  Drive();
  if (wake) feed->WakeForRoom();  // the feed reads the next page for it
}

void AuditWatchStream::OnCancel() {
  {
    absl::MutexLock lock(&mu_);
    EndLocked(ToGrpcStatus(absl::CancelledError("the caller cancelled")));
  }
  Drive();
}

void AuditWatchStream::OnDone() {
  AuditFeed* const feed = feed_;
  {
    absl::MutexLock lock(&mu_);
    done_ = true;
  }
  std::shared_ptr<AuditWatchStream> self = std::move(self_);
  feed->Wake();  // it drops the stream at its next round
}

void AuditWatchStream::EndLocked(const grpc::Status& status) {
  buffer_.clear();
  if (!finish_) finish_ = status;
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
  }
  // No lock held from here, and no member touched after the call.
  if (finish) {
    Finish(status);
  } else {
    StartWrite(&out_);
  }
}

}  // namespace identity::services
