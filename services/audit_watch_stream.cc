#include "services/audit_watch_stream.h"

#include "absl/strings/str_cat.h"
#include "identity/rpc_names.h"
#include "services/audit_service.h"
#include "services/grpc_status.h"

namespace identity::services {

void AuditWatchStream::Start(const v1::WatchAuditEventsRequest& req) {
  grpc::Status status = runner_->Run(
      ctx_, rpc::kWatchAuditEvents, req, [&](const Caller& c) {
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
        plan_ = *std::move(plan);
        absl::Status added = feed_->Add(this, plan_);
        joined_ = added.ok();
        return added;
      });
  if (!status.ok()) {
    absl::MutexLock lock(&mu_);
    FinishLocked(status);
  }
}

int AuditWatchStream::Room() {
  absl::MutexLock lock(&mu_);
  if (finished_ || finish_after_write_) return -1;
  return static_cast<int>(capacity_ - std::min(capacity_, buffer_.size()));
}

void AuditWatchStream::Push(std::vector<storage::AuditEvent> events,
                            bool live) {
  absl::MutexLock lock(&mu_);
  if (finished_ || finish_after_write_) return;
  if (buffer_.size() + events.size() > capacity_) {
    buffer_.clear();
    FinishLocked(ToGrpcStatus(absl::ResourceExhaustedError(absl::StrCat(
        "the caller fell more than ", capacity_,
        " events behind (IDENTITY_AUDIT_WATCH_BUFFER); watch again with the "
        "cursor of the last event received"))));
    return;
  }
  catching_up_ = !live;
  for (storage::AuditEvent& e : events) buffer_.push_back(std::move(e));
  if (!writing_) WriteNextLocked();
}

absl::Status AuditWatchStream::Recheck() {
  return runner_->Readmit(*ctx_, rpc::kWatchAuditEvents,
                          [this](const Principal& p) {
                            return RecheckAuditWatch(p, plan_);
                          });
}

void AuditWatchStream::End(const absl::Status& status) {
  absl::MutexLock lock(&mu_);
  buffer_.clear();
  FinishLocked(ToGrpcStatus(status));
}

void AuditWatchStream::OnWriteDone(bool ok) {
  bool wake = false;
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) {  // the caller went away
      buffer_.clear();
      finish_after_write_ = ToGrpcStatus(absl::CancelledError("the caller left"));
    }
    if (finish_after_write_) {
      FinishLocked(*finish_after_write_);
    } else if (!buffer_.empty()) {
      WriteNextLocked();
    } else {
      wake = catching_up_;  // the feed reads the next page for it
    }
  }
  if (wake) feed_->WakeForRoom();
}

void AuditWatchStream::OnCancel() {
  absl::MutexLock lock(&mu_);
  buffer_.clear();
  FinishLocked(ToGrpcStatus(absl::CancelledError("the caller cancelled")));
}

void AuditWatchStream::OnDone() {
  if (joined_) feed_->Remove(this);
  delete this;
}

void AuditWatchStream::WriteNextLocked() {
  const storage::AuditEvent& e = buffer_.front();
  out_.Clear();
  AuditEventToProto(e, out_.mutable_event());
  out_.set_cursor(EncodeAuditCursor(storage::AuditPosition{e.xid, e.id}));
  buffer_.pop_front();
  writing_ = true;
  StartWrite(&out_);
}

void AuditWatchStream::FinishLocked(const grpc::Status& status) {
  if (finished_) return;
  if (writing_) {
    if (!finish_after_write_) finish_after_write_ = status;
    return;
  }
  finished_ = true;
  Finish(status);
}

}  // namespace identity::services
