#include "services/health_service.h"

#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/error_info.h"
#include "services/grpc_status.h"

namespace identity::services {

using grpc::health::v1::HealthCheckResponse;

// One open Watch stream. gRPC runs its reactions (OnWriteDone, OnCancel,
// OnDone) on its own threads, never inline in StartWrite or Finish, so a
// watch may start a write while its owner holds watches_mu_.
class HealthWatch final
    : public grpc::ServerWriteReactor<HealthServiceImpl::Response> {
 public:
  using ServingStatus = HealthServiceImpl::ServingStatus;

  // `owner` null: the stream is refused (over the cap) and ends at once.
  HealthWatch(HealthServiceImpl* owner, std::string service)
      : owner_(owner), service_(std::move(service)) {}

  const std::string& service() const { return service_; }

  void Refuse(int cap) {
    absl::MutexLock lock(&mu_);
    FinishLocked(ToGrpcStatus(WithReason(
        absl::ResourceExhaustedError(
            absl::StrCat("too many open health watches (", cap,
                         ", IDENTITY_HEALTH_MAX_WATCHES); use Check or retry "
                         "later")),
        reason::kServerBusy, {{"limit", "IDENTITY_HEALTH_MAX_WATCHES"}})));
  }

  // Writes `status` unless the caller has it already; `last`: end the
  // stream after it.
  void Offer(ServingStatus status, bool last) {
    absl::MutexLock lock(&mu_);
    if (finishing_) return;
    finish_after_write_ |= last;
    if (writing_) {
      pending_ = status;
      return;
    }
    if (!sent_ || *sent_ != status) {
      WriteLocked(status);
    } else if (finish_after_write_) {
      FinishLocked(grpc::Status::OK);
    }
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) return FinishLocked(grpc::Status::OK);  // the caller went away
    std::optional<ServingStatus> next = pending_;
    pending_.reset();
    if (next && *next != *sent_) return WriteLocked(*next);
    if (finish_after_write_) FinishLocked(grpc::Status::OK);
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    if (writing_) {
      finish_after_write_ = true;  // OnWriteDone(false) finishes
    } else {
      FinishLocked(grpc::Status::CANCELLED);
    }
  }

  void OnDone() override {
    if (owner_ != nullptr) owner_->Forget(this);
    delete this;
  }

 private:
  void WriteLocked(ServingStatus status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    out_.set_status(status);
    sent_ = status;
    writing_ = true;
    StartWrite(&out_);
  }

  void FinishLocked(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finishing_) return;
    finishing_ = true;
    Finish(std::move(status));
  }

  HealthServiceImpl* const owner_;
  const std::string service_;
  absl::Mutex mu_;
  HealthServiceImpl::Response out_ ABSL_GUARDED_BY(mu_);  // alive while written
  std::optional<ServingStatus> sent_ ABSL_GUARDED_BY(mu_);
  std::optional<ServingStatus> pending_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finish_after_write_ ABSL_GUARDED_BY(mu_) = false;
  bool finishing_ ABSL_GUARDED_BY(mu_) = false;
};

HealthServiceImpl::HealthServiceImpl(int max_watches)
    : max_watches_(max_watches) {
  // Statuses computed by resolvers (a directory's reachability) change
  // without anyone calling SetStatus, hence polling rather than a signal.
  poller_ = std::thread([this] {
    while (!stop_.WaitForNotificationWithTimeout(absl::Milliseconds(500))) {
      Poll(/*last=*/false);
    }
  });
}

HealthServiceImpl::~HealthServiceImpl() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  poller_.join();
}

void HealthServiceImpl::SetStatus(const std::string& service,
                                  ServingStatus status) {
  absl::MutexLock lock(&mu_);
  if (shutdown_) return;
  statuses_[service] = status;
}

void HealthServiceImpl::AddResolver(std::string name, Resolver resolve) {
  absl::MutexLock lock(&mu_);
  resolvers_.emplace_back(std::move(name), std::move(resolve));
}

std::optional<HealthServiceImpl::ServingStatus> HealthServiceImpl::StatusOf(
    const std::string& service) {
  Resolver resolve;
  {
    absl::MutexLock lock(&mu_);
    auto it = statuses_.find(service);
    if (it != statuses_.end()) return it->second;
    for (const auto& [name, r] : resolvers_) {
      if (service == name || absl::StartsWith(service, name + "/")) {
        if (shutdown_) return HealthCheckResponse::NOT_SERVING;
        resolve = r;
      }
    }
  }
  if (resolve == nullptr) return std::nullopt;
  return resolve(service);  // outside the lock: it takes its own
}

void HealthServiceImpl::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    shutdown_ = true;
    for (auto& [name, status] : statuses_) {
      status = HealthCheckResponse::NOT_SERVING;
    }
  }
  if (!stop_.HasBeenNotified()) stop_.Notify();
  poller_.join();
  poller_ = std::thread([] {});  // joined again by the destructor
  Poll(/*last=*/true);
}

int HealthServiceImpl::open_watches() {
  absl::MutexLock lock(&watches_mu_);
  return static_cast<int>(watches_.size());
}

void HealthServiceImpl::Poll(bool last) {
  std::vector<std::string> names;
  {
    absl::MutexLock lock(&watches_mu_);
    for (HealthWatch* w : watches_) names.push_back(w->service());
  }
  // Resolved outside watches_mu_: a resolver takes its own locks.
  absl::flat_hash_map<std::string, ServingStatus> now;
  for (const std::string& name : names) {
    if (!now.contains(name)) {
      now[name] = StatusOf(name).value_or(HealthCheckResponse::SERVICE_UNKNOWN);
    }
  }
  absl::MutexLock lock(&watches_mu_);
  for (HealthWatch* w : watches_) {
    auto it = now.find(w->service());
    if (it != now.end()) w->Offer(it->second, last);  // new since: next round
  }
}

void HealthServiceImpl::Forget(HealthWatch* watch) {
  absl::MutexLock lock(&watches_mu_);
  watches_.erase(watch);
}

grpc::ServerUnaryReactor* HealthServiceImpl::Check(
    grpc::CallbackServerContext* ctx, const Request* req, Response* resp) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  std::optional<ServingStatus> status = StatusOf(req->service());
  if (!status) {
    reactor->Finish(ToGrpcStatus(
        absl::NotFoundError("unknown service name for health checking")));
    return reactor;
  }
  resp->set_status(*status);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerWriteReactor<HealthServiceImpl::Response>* HealthServiceImpl::Watch(
    grpc::CallbackServerContext* ctx, const Request* req) {
  bool last;
  {
    absl::MutexLock lock(&mu_);
    last = shutdown_;
  }
  const ServingStatus now =
      StatusOf(req->service()).value_or(HealthCheckResponse::SERVICE_UNKNOWN);
  absl::MutexLock lock(&watches_mu_);
  if (static_cast<int>(watches_.size()) >= max_watches_) {
    auto* refused = new HealthWatch(nullptr, req->service());
    refused->Refuse(max_watches_);
    return refused;
  }
  auto* watch = new HealthWatch(this, req->service());
  watches_.insert(watch);
  watch->Offer(now, last);
  return watch;
}

}  // namespace identity::services
