#include "services/health_service.h"

#include <optional>

#include "absl/time/clock.h"

namespace identity::services {

using grpc::health::v1::HealthCheckResponse;

void HealthServiceImpl::SetStatus(const std::string& service,
                                  ServingStatus status) {
  absl::MutexLock lock(&mu_);
  if (shutdown_) return;
  statuses_[service] = status;
}

void HealthServiceImpl::Shutdown() {
  absl::MutexLock lock(&mu_);
  shutdown_ = true;
  for (auto& [name, status] : statuses_) status = HealthCheckResponse::NOT_SERVING;
}

grpc::Status HealthServiceImpl::Check(
    grpc::ServerContext* ctx, const grpc::health::v1::HealthCheckRequest* req,
    HealthCheckResponse* resp) {
  absl::MutexLock lock(&mu_);
  auto it = statuses_.find(req->service());
  if (it == statuses_.end()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "unknown service name for health checking");
  }
  resp->set_status(it->second);
  return grpc::Status::OK;
}

grpc::Status HealthServiceImpl::Watch(
    grpc::ServerContext* ctx, const grpc::health::v1::HealthCheckRequest* req,
    grpc::ServerWriter<HealthCheckResponse>* writer) {
  std::optional<ServingStatus> last;
  for (;;) {
    ServingStatus now;
    bool done;
    {
      absl::MutexLock lock(&mu_);
      auto it = statuses_.find(req->service());
      now = it == statuses_.end() ? HealthCheckResponse::SERVICE_UNKNOWN
                                  : it->second;
      done = shutdown_;
    }
    if (!last || *last != now) {
      HealthCheckResponse resp;
      resp.set_status(now);
      if (!writer->Write(resp)) return grpc::Status::OK;
      last = now;
    }
    if (done || ctx->IsCancelled()) return grpc::Status::OK;
    absl::SleepFor(absl::Milliseconds(500));
  }
}

}  // namespace identity::services
