// The top two layers of App: the gRPC services over the use cases, and the
// servers that carry them (the main port, the probe port, metrics).
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/resource_quota.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "server/app.h"
#include "server/ldap_status.h"
#include "services/malformed_request.h"

namespace identity::server {
namespace {

// Validations waiting for the database beyond which RESOURCE_EXHAUSTED.
constexpr int kLookupQueue = 1024;

}  // namespace

// The handlers, the call runner they share, the health service.
absl::Status App::BuildServices() {
  rate_limits_ = std::make_unique<services::RateLimits>(config_.rate_limits);
  runner_ = std::make_unique<services::CallRunner>(
      sessions_.get(), keys_.get(),
      services::RpcMetrics{
          metrics_->AddCounter("identity_rpc_requests_total",
                               "RPCs handled, by method and status code.",
                               {"method", "code"}),
          metrics_->AddHistogram(
              "identity_rpc_duration_seconds", "RPC latency by method.",
              {"method"},
              {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
               0.5, 1, 2.5, 5, 10})},
      config_.trusted_proxies, rate_limits_.get());
  AddCollectors();
  login_lanes_ =
      std::make_unique<LoginLanes>(sessions_.get(), config_.login_lanes);
  // Validations the cache cannot answer: each needs a database connection,
  // so as many threads as the pool has connections.
  lookups_ =
      std::make_unique<BoundedExecutor>(config_.database.size, kLookupQueue);
  auth_service_ = std::make_unique<services::AuthServiceImpl>(
      runner_.get(), sessions_.get(), login_lanes_.get(), lookups_.get(),
      keys_.get(), totp_.get(), saml_providers_.get());
  key_service_ =
      std::make_unique<services::ApiKeyServiceImpl>(runner_.get(), keys_.get());
  audit_service_ = std::make_unique<services::AuditServiceImpl>(
      runner_.get(), audit_log_.get(), audit_feed_.get(),
      services::AuditWatchOptions{
          config_.audit_watch_buffer, config_.audit_watch_write_timeout,
          metrics_->AddCounter("identity_audit_watch_ended_total",
                               "WatchAuditEvents streams ended, by reason.",
                               {"reason"})});
  org_service_ = std::make_unique<services::OrganizationServiceImpl>(
      runner_.get(), orgs_.get(), directory_sync_.get(), providers_.get());
  user_service_ = std::make_unique<services::UserServiceImpl>(
      runner_.get(), users_.get(), onboarding_.get());
  role_service_ = std::make_unique<services::RoleServiceImpl>(
      services::RoleServiceImpl::Deps{runner_.get(), grants_.get(),
                                      custom_roles_.get(), groups_.get()});
  health_service_ = std::make_unique<services::HealthServiceImpl>(
      config_.health_max_watches);
  health_service_->AddResolver("identity.ldap", [this](const std::string& name) {
    return LdapHealth(*ldap_providers_, name);
  });
  return absl::OkStatus();
}

// The metrics port, the gRPC server and the plaintext probe port.
absl::Status App::StartServers() {
  if (!config_.metrics_address.empty()) {
    absl::StatusOr<std::unique_ptr<MetricsHttpServer>> http =
        MetricsHttpServer::Start(config_.metrics_address, metrics_.get());
    if (!http.ok()) return http.status();
    metrics_http_ = *std::move(http);
  }

  absl::StatusOr<int> port = StartGrpcServer();
  if (!port.ok()) return port.status();
  absl::Status probe = StartProbeServer();
  if (!probe.ok()) return probe;
  for (const char* name : {"", "identity.v1.AuthService",
                           "identity.v1.OrganizationService",
                           "identity.v1.UserService", "identity.v1.RoleService",
                           "identity.v1.ApiKeyService",
                           "identity.v1.AuditService"}) {
    health_service_->SetStatus(name, services::HealthServiceImpl::ServingStatus(
                                         grpc::health::v1::HealthCheckResponse::SERVING));
  }
  log::Info("server.listening",
            {{"address", config_.listen_address},
             {"port", absl::StrCat(*port)},
             {"tls", config_.tls.cert_file.empty()        ? "off"
                     : config_.tls.client_ca_file.empty() ? "on"
                                                          : "mutual"},
             {"migrations_applied", absl::StrCat(migrations_applied_)}});
  return absl::OkStatus();
}

// The main port: every identity service, reflection, the malformed-request
// interceptor, and the thread bound. Returns the port it listens on.
absl::StatusOr<int> App::StartGrpcServer() {
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  grpc::ResourceQuota quota("identityd");
  quota.SetMaxThreads(config_.rpc_max_threads);
  builder.SetResourceQuota(quota);
  // gRPC's sync server keeps at most two idle threads by default: every
  // handler that waits on PostgreSQL or a directory then makes it start a
  // thread and end another one (measured: 1,600 thread creations a second
  // at 4,000 uncached validations a second). Threads once started stay,
  // still bounded by IDENTITY_RPC_MAX_THREADS.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                              config_.rpc_max_threads);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<services::MalformedRequestInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.SetMaxReceiveMessageSize(config_.max_message_bytes);
  builder.SetMaxSendMessageSize(config_.max_message_bytes);
  // gRPC sets SO_REUSEPORT by default: a second identityd on the same
  // address (an old process left running) would then start and share the
  // callers with this one. Without it, the second one fails to listen.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  int port = 0;
  builder.AddListeningPort(config_.listen_address,
                           MakeServerCredentials(config_.tls), &port);
  for (grpc::Service* service :
       std::initializer_list<grpc::Service*>{
           auth_service_.get(), org_service_.get(), user_service_.get(),
           role_service_.get(), key_service_.get(), audit_service_.get(),
           health_service_.get()}) {
    builder.RegisterService(service);
  }
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", config_.listen_address,
        " (IDENTITY_LISTEN_ADDRESS): address in use or not valid"));
  }
  return port;
}

// The plaintext health port for kubelet probes, apart from the main port.
absl::Status App::StartProbeServer() {
  if (config_.health_listen_address.empty()) return absl::OkStatus();
  probe_service_ =
      std::make_unique<services::HealthProbeService>(health_service_.get());
  grpc::ServerBuilder probe;
  probe.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  int probe_port = 0;
  probe.AddListeningPort(config_.health_listen_address,
                         grpc::InsecureServerCredentials(), &probe_port);
  probe.RegisterService(probe_service_.get());
  probe_server_ = probe.BuildAndStart();
  if (probe_server_ == nullptr || probe_port == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", config_.health_listen_address,
        " (IDENTITY_HEALTH_LISTEN_ADDRESS): address in use or not valid"));
  }
  return absl::OkStatus();
}

}  // namespace identity::server
