// The composition root: builds every layer from the configuration, serves,
// and shuts down in order.
#ifndef IDENTITY_SERVER_APP_H_
#define IDENTITY_SERVER_APP_H_

#include <memory>

#include <grpcpp/server.h>

#include "absl/status/statusor.h"
#include "common/bounded_executor.h"
#include "application/organizations/organization_commands.h"
#include "application/users/password_hasher.h"
#include "providers/registry.h"
#include "application/onboarding/registration_purge.h"
#include "application/sessions/session_manager.h"
#include "application/users/user_commands.h"
#include "providers/saml/saml_metadata_refresh.h"
#include "server/config.h"
#include "server/metrics_http.h"
#include "server/transport.h"
#include "services/api_key_service.h"
#include "services/audit_service.h"
#include "services/auth_service.h"
#include "services/call.h"
#include "services/health_service.h"
#include "services/organization_service.h"
#include "services/role_service.h"
#include "services/user_service.h"
#include "storage/pg/change_listener.h"
#include "storage/pg/pg_store.h"

namespace identity::server {

class App {
 public:
  // Connects to the database (waiting up to the start-up timeout), migrates,
  // bootstraps the admin and starts listening.
  static absl::StatusOr<std::unique_ptr<App>> Start(const Config& config);

  // Readiness goes NOT_SERVING, new calls are refused, in-flight calls get
  // the grace period to finish.
  void Shutdown();

 private:
  void AddCollectors();
  void RenderLdapPools(std::string* out) const;
  void RenderSamlCertificates(std::string* out) const;
  explicit App(const Config& config);
  absl::Status Init();
  // The builders Init runs, one per layer, bottom up (app.cc,
  // app_servers.cc).
  absl::Status OpenStorage();
  absl::Status CreateBootstrapAdmin();
  absl::Status BuildUseCases();
  absl::Status BuildProviders();
  absl::Status BuildServices();
  absl::Status StartServers();
  absl::StatusOr<int> StartGrpcServer();
  absl::Status StartProbeServer();

  const Config config_;
  int migrations_applied_ = 0;
  std::shared_ptr<storage::ConnectionPool> pool_;
  std::unique_ptr<storage::PgStore> store_;
  std::unique_ptr<CredentialCache> cache_;
  std::unique_ptr<prometheus::Registry> metrics_;
  std::unique_ptr<MetricsHttpServer> metrics_http_;
  std::unique_ptr<storage::ChangeListener> listener_;
  std::unique_ptr<BoundedExecutor> hash_pool_;
  std::unique_ptr<PasswordHasher> hasher_;
  // Declared before what uses them, so they are destroyed after it.
  std::unique_ptr<Mailer> mailer_;
  std::unique_ptr<SecurityAlerts> alerts_;
  std::unique_ptr<ProviderRegistry> providers_;
  std::unique_ptr<SecretBox> secret_box_;
  std::unique_ptr<LoginFailures> failures_;
  std::unique_ptr<TotpManager> totp_;
  std::unique_ptr<SessionManager> sessions_;
  std::unique_ptr<UserCommands> users_;
  std::unique_ptr<OrganizationCommands> orgs_;
  std::unique_ptr<ApiKeyManager> keys_;
  std::unique_ptr<RoleCatalog> catalog_;
  std::unique_ptr<RoleGrants> grants_;
  std::unique_ptr<CustomRoles> custom_roles_;
  std::unique_ptr<Groups> groups_;
  std::unique_ptr<Onboarding> onboarding_;
  std::unique_ptr<RegistrationPurge> registration_purge_;
  std::unique_ptr<ldap::LdapFences> ldap_fences_;
  std::unique_ptr<ldap::LdapProviders> ldap_providers_;
  std::unique_ptr<Provisioner> provisioner_;
  std::unique_ptr<DirectorySync> directory_sync_;
  std::unique_ptr<saml::SamlProviders> saml_providers_;
  std::unique_ptr<saml::SamlMetadataRefresher> saml_metadata_refresher_;
  std::unique_ptr<AuditLog> audit_log_;
  std::unique_ptr<AuditFeed> audit_feed_;
  std::unique_ptr<storage::ChangeListener> audit_listener_;
  std::unique_ptr<services::RateLimits> rate_limits_;
  std::unique_ptr<services::CallRunner> runner_;
  // After runner_ and sessions_: queued logins and lookups finish with them.
  std::unique_ptr<LoginLanes> login_lanes_;
  std::unique_ptr<BoundedExecutor> lookups_;
  std::unique_ptr<services::AuthServiceImpl> auth_service_;
  std::unique_ptr<services::OrganizationServiceImpl> org_service_;
  std::unique_ptr<services::UserServiceImpl> user_service_;
  std::unique_ptr<services::RoleServiceImpl> role_service_;
  std::unique_ptr<services::ApiKeyServiceImpl> key_service_;
  std::unique_ptr<services::AuditServiceImpl> audit_service_;
  std::unique_ptr<services::HealthServiceImpl> health_service_;
  std::unique_ptr<services::HealthProbeService> probe_service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::Server> probe_server_;
};

}  // namespace identity::server

#endif  // IDENTITY_SERVER_APP_H_
