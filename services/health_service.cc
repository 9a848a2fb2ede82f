#include "services/health_service.h"

#include <optional>

#include "absl/strings/match.h"
#include "absl/time/clock.h"

namespace identity::services {

using grpc::health::v1::HealthCheckResponse;

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
  absl::MutexLock lock(&mu_);
  shutdown_ = true;
  for (auto& [name, status] : statuses_) status = HealthCheckResponse::NOT_SERVING;
}

grpc::Status HealthServiceImpl::Check(
    grpc::ServerContext* ctx, const grpc::health::v1::HealthCheckRequest* req,
    HealthCheckResponse* resp) {
  std::optional<ServingStatus> status = StatusOf(req->service());
  if (!status) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "unknown service name for health checking");
  }
  resp->set_status(*status);
  return grpc::Status::OK;
}

grpc::Status HealthServiceImpl::Watch(
    grpc::ServerContext* ctx, const grpc::health::v1::HealthCheckRequest* req,
    grpc::ServerWriter<HealthCheckResponse>* writer) {
  std::optional<ServingStatus> last;
  for (;;) {
    const ServingStatus now = StatusOf(req->service())
                                  .value_or(HealthCheckResponse::SERVICE_UNKNOWN);
    bool done;
    {
      absl::MutexLock lock(&mu_);
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
