// Start-up settings, read from IDENTITY_* environment variables. Every
// setting has a default (see docs/configuration.md, "Settings"); a wrong value stops the
// start with a message naming the variable and what it accepts.
#ifndef IDENTITY_SERVER_CONFIG_H_
#define IDENTITY_SERVER_CONFIG_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/cidr.h"
#include "common/log.h"
#include "application/users/bootstrap.h"
#include "application/onboarding/onboarding.h"
#include "adapters/smtp/smtp_mailer.h"
#include "application/users/password_hasher.h"
#include "application/sessions/credential_cache.h"
#include "providers/ldap/ldap_fence.h"
#include "application/sessions/login_lanes.h"
#include "services/rate_limits.h"
#include "domain/password_policy.h"
#include "application/sessions/session_manager.h"
#include "storage/pg/connection_pool.h"

namespace identity::server {

// Transport security of the gRPC port.
struct TlsSettings {
  std::string cert_file;       // PEM chain; empty: plaintext
  std::string key_file;        // PEM private key
  std::string client_ca_file;  // set: callers must present a certificate it signs
  absl::Duration reload = absl::Seconds(60);  // files re-read this often
};

struct Config {
  std::string listen_address = "127.0.0.1:50051";
  TlsSettings tls;
  // A second, plaintext port serving only grpc.health.v1 (for kubelet gRPC
  // probes, which cannot speak TLS); empty: none.
  std::string health_listen_address;
  // Open grpc.health.v1 Watch streams (both ports together); they hold no
  // thread, only a little memory each.
  int health_max_watches = 1000;
  // Open AuditService.WatchAuditEvents streams on this replica, the
  // events each holds for a caller that reads slowly before it ends, and
  // how long a write to a caller that reads nothing may wait before the
  // stream is cancelled (and its slot freed).
  int audit_watch_max = 100;
  int audit_watch_buffer = 1000;
  absl::Duration audit_watch_write_timeout = absl::Seconds(30);
  // Failure budgets of the public calls, per replica.
  services::RateLimitOptions rate_limits;
  // The login fence around each organization's directory, per replica.
  ldap::FenceOptions ldap_fence;
  // How often each SAML provider configured by idp_metadata_url has its
  // metadata fetched again (by whichever replica finds it due first).
  absl::Duration saml_metadata_refresh = absl::Hours(24);
  // Prometheus metrics over HTTP; empty: not served.
  std::string metrics_address = "127.0.0.1:9464";
  storage::ConnectionPool::Options database;
  absl::Duration database_startup_timeout = absl::Seconds(60);
  Argon2Params argon2;
  int hash_workers = 0;  // 0: one per core
  int hash_queue = 256;
  // Threads and queues of the login lanes (Authenticate); local_threads 0:
  // four per hash worker.
  LoginLaneOptions login_lanes{0, 1024, 32, 1024};
  SessionOptions sessions;
  CredentialCache::Options cache;
  PasswordPolicy password_policy;
  BootstrapOptions bootstrap;
  SmtpMailer::Options smtp;  // url empty: mail disabled
  OnboardingOptions onboarding;
  // Peers whose x-forwarded-for names the client (a load balancer).
  std::vector<Cidr> trusted_proxies;
  std::string secret_key;  // base64, 32 bytes; empty: secrets at rest off
  std::string totp_issuer = "Identity";
  // Where the server writes files only it reads (LDAP CA certificates); a
  // private directory is made below it. Must be writable (an emptyDir on a
  // read-only root filesystem).
  std::string runtime_dir = "/tmp";
  log::Level log_level = log::Level::kInfo;
  int rpc_max_threads = 64;
  int max_message_bytes = 1 << 20;
  // On SIGTERM, readiness reports NOT_SERVING this long before the server
  // stops accepting calls, so load balancers stop sending first.
  absl::Duration shutdown_delay = absl::ZeroDuration();
  absl::Duration shutdown_grace = absl::Seconds(20);
};

// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const char*)>;

absl::StatusOr<Config> LoadConfig(const EnvLookup& env);
absl::StatusOr<Config> LoadConfigFromEnvironment();

}  // namespace identity::server

#endif  // IDENTITY_SERVER_CONFIG_H_
