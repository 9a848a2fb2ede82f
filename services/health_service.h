// grpc.health.v1.Health, generated from the grpc-proto package so that server
// reflection describes it (grpcurl can call it without proto files).
//
// Served with gRPC's callback API: an open Watch stream holds no server
// thread (the sync API held one per stream, so a few dozen anonymous watches
// took every thread of the server). One poller thread re-reads the statuses
// every half second and writes to the streams whose status changed.
#ifndef IDENTITY_SERVICES_HEALTH_SERVICE_H_
#define IDENTITY_SERVICES_HEALTH_SERVICE_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace identity::services {

class HealthWatch;

class HealthServiceImpl final
    : public grpc::health::v1::Health::CallbackService {
 public:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;
  using Request = grpc::health::v1::HealthCheckRequest;
  using Response = grpc::health::v1::HealthCheckResponse;

  // At most `max_watches` Watch streams are open at once (both ports
  // together); a further one ends at once with RESOURCE_EXHAUSTED.
  explicit HealthServiceImpl(int max_watches);
  ~HealthServiceImpl() override;

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

  int open_watches();

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* ctx,
                                  const Request* req, Response* resp) override;
  grpc::ServerWriteReactor<Response>* Watch(grpc::CallbackServerContext* ctx,
                                            const Request* req) override;

 private:
  friend class HealthWatch;

  // The status of `service`, or nullopt for an unknown name.
  std::optional<ServingStatus> StatusOf(const std::string& service);
  // Sends every open watch its current status (those that changed write).
  void Poll(bool last);
  void Forget(HealthWatch* watch);

  const int max_watches_;
  absl::Mutex mu_;
  std::vector<std::pair<std::string, Resolver>> resolvers_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, ServingStatus> statuses_ ABSL_GUARDED_BY(mu_);
  bool shutdown_ ABSL_GUARDED_BY(mu_) = false;

  // Taken before a watch's own lock, never after it.
  absl::Mutex watches_mu_;
  absl::flat_hash_set<HealthWatch*> watches_ ABSL_GUARDED_BY(watches_mu_);

  absl::Notification stop_;
  std::thread poller_;
};

// The same answers on another server (a plaintext port for kubelet probes
// while the main port speaks TLS): a gRPC service object belongs to one
// server only, so this one forwards to the main one (watches count against
// the same cap).
class HealthProbeService final
    : public grpc::health::v1::Health::CallbackService {
 public:
  explicit HealthProbeService(HealthServiceImpl* main) : main_(main) {}
  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* ctx,
                                  const HealthServiceImpl::Request* req,
                                  HealthServiceImpl::Response* resp) override {
    return main_->Check(ctx, req, resp);
  }
  grpc::ServerWriteReactor<HealthServiceImpl::Response>* Watch(
      grpc::CallbackServerContext* ctx,
      const HealthServiceImpl::Request* req) override {
    return main_->Watch(ctx, req);
  }

 private:
  HealthServiceImpl* main_;
};

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_HEALTH_SERVICE_H_
