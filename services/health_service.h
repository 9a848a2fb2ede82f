// grpc.health.v1.Health, generated from the grpc-proto package so that server
// reflection describes it (grpcurl can call it without proto files).
#ifndef IDENTITY_SERVICES_HEALTH_SERVICE_H_
#define IDENTITY_SERVICES_HEALTH_SERVICE_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace identity::services {

class HealthServiceImpl final : public grpc::health::v1::Health::Service {
 public:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

  // "" is the whole server; others are service names.
  void SetStatus(const std::string& service, ServingStatus status);
  // Statuses computed when asked, for `name` itself and the names under
  // `name/` (e.g. "identity.ldap" and "identity.ldap/<organization id>"):
  // `resolve` gets the full name and answers nullopt for an unknown one.
  using Resolver =
      std::function<std::optional<ServingStatus>(const std::string& name)>;
  void AddResolver(std::string name, Resolver resolve);
  // Marks everything NOT_SERVING and ends Watch streams (for shutdown).
  void Shutdown();

  grpc::Status Check(grpc::ServerContext* ctx,
                     const grpc::health::v1::HealthCheckRequest* req,
                     grpc::health::v1::HealthCheckResponse* resp) override;
  grpc::Status Watch(
      grpc::ServerContext* ctx, const grpc::health::v1::HealthCheckRequest* req,
      grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer)
      override;

 private:
  // The status of `service`, or nullopt for an unknown name.
  std::optional<ServingStatus> StatusOf(const std::string& service);

  absl::Mutex mu_;
  std::vector<std::pair<std::string, Resolver>> resolvers_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, ServingStatus> statuses_ ABSL_GUARDED_BY(mu_);
  bool shutdown_ ABSL_GUARDED_BY(mu_) = false;
};

// The same answers on another server (a plaintext port for kubelet probes
// while the main port speaks TLS): a gRPC service object belongs to one
// server only, so this one forwards to the main one.
class HealthProbeService final : public grpc::health::v1::Health::Service {
 public:
  explicit HealthProbeService(HealthServiceImpl* main) : main_(main) {}
  grpc::Status Check(grpc::ServerContext* ctx,
                     const grpc::health::v1::HealthCheckRequest* req,
                     grpc::health::v1::HealthCheckResponse* resp) override {
    return main_->Check(ctx, req, resp);
  }
  grpc::Status Watch(
      grpc::ServerContext* ctx, const grpc::health::v1::HealthCheckRequest* req,
      grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer)
      override {
    return main_->Watch(ctx, req, writer);
  }

 private:
  HealthServiceImpl* main_;
};

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_HEALTH_SERVICE_H_
