#include "server/config.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/secret_box.h"

namespace identity::server {
namespace {

class Reader {
 public:
  explicit Reader(const EnvLookup& env) : env_(env) {}

  std::optional<std::string> Get(const char* name) const { return env_(name); }

  void Int(const char* name, int64_t min, int64_t max, int64_t* out) {
    std::optional<std::string> v = env_(name);
    if (!v) return;
    int64_t parsed;
    if (!absl::SimpleAtoi(*v, &parsed) || parsed < min || parsed > max) {
      Fail(name, absl::StrCat("must be a whole number from ", min, " to ", max));
      return;
    }
    *out = parsed;
  }

  template <typename T>
  void Int(const char* name, int64_t min, int64_t max, T* out) {
    int64_t value = *out;
    Int(name, min, max, &value);
    *out = static_cast<T>(value);
  }

  void Millis(const char* name, int64_t min, int64_t max, absl::Duration* out) {
    int64_t ms = absl::ToInt64Milliseconds(*out);
    Int(name, min, max, &ms);
    *out = absl::Milliseconds(ms);
  }

  void Seconds(const char* name, int64_t min, int64_t max,
               absl::Duration* out) {
    int64_t s = absl::ToInt64Seconds(*out);
    Int(name, min, max, &s);
    *out = absl::Seconds(s);
  }

  void Bool(const char* name, bool* out) {
    std::optional<std::string> v = env_(name);
    if (!v) return;
    if (*v == "true" || *v == "1") {
      *out = true;
    } else if (*v == "false" || *v == "0") {
      *out = false;
    } else {
      Fail(name, "must be true or false");
    }
  }

  void String(const char* name, std::string* out) {
    if (std::optional<std::string> v = env_(name)) *out = *v;
  }

  // The value of `name`, or the contents of the file named by `name`_FILE
  // (a Kubernetes Secret mounted as a file); setting both is an error.
  void Secret(const char* name, std::string* out) {
    const std::string file_var = absl::StrCat(name, "_FILE");
    std::optional<std::string> direct = env_(name);
    std::optional<std::string> file = env_(file_var.c_str());
    if (direct && file) {
      Fail(name, absl::StrCat("set either ", name, " or ", file_var, ", not both"));
      return;
    }
    if (direct) *out = *direct;
    if (!file) return;
    std::ifstream in(*file);
    if (!in) {
      Fail(file_var.c_str(), "names a file that cannot be read");
      return;
    }
    std::stringstream contents;
    contents << in.rdbuf();
    // A trailing newline from `echo` or an editor is not part of the secret.
    *out = std::string(absl::StripSuffix(absl::StripSuffix(contents.str(), "\n"), "\r"));
  }

  // A path to a PEM file that can be read now.
  void PemFile(const char* name, std::string* out) {
    String(name, out);
    if (out->empty()) return;
    std::ifstream in(*out);
    std::stringstream contents;
    contents << in.rdbuf();
    if (!in || contents.str().find("-----BEGIN ") == std::string::npos) {
      Fail(name, absl::StrCat("'", *out, "' is not a readable PEM file"));
    }
  }

  // Comma-separated CIDR ranges; empty: none.
  void CidrList(const char* name, std::vector<Cidr>* out) {
    std::optional<std::string> v = env_(name);
    if (!v) return;
    for (absl::string_view item :
         absl::StrSplit(*v, ',', absl::SkipWhitespace())) {
      absl::StatusOr<Cidr> range =
          Cidr::Parse(absl::StripAsciiWhitespace(item));
      if (!range.ok()) {
        Fail(name, absl::StrCat(range.status().message(),
                                " (expected comma-separated CIDR ranges)"));
        return;
      }
      out->push_back(*range);
    }
  }

  void Fail(const char* name, absl::string_view what) {
    if (error_.ok()) {
      error_ = absl::InvalidArgumentError(absl::StrCat(name, ": ", what));
    }
  }

  absl::Status error() const { return error_; }

 private:
  const EnvLookup& env_;
  absl::Status error_;
};

// The database: where, how many connections, how long to wait.
void ReadDatabase(Reader& r, Config& c) {
  r.Secret("IDENTITY_DATABASE_URL", &c.database.url);
  r.Int("IDENTITY_DB_POOL_SIZE", 1, 500, &c.database.size);
  r.Millis("IDENTITY_DB_CONNECT_TIMEOUT_MS", 1000, 60000,
           &c.database.connect_timeout);
  r.Millis("IDENTITY_DB_ACQUIRE_TIMEOUT_MS", 10, 60000,
           &c.database.acquire_timeout);
  r.Millis("IDENTITY_DB_STATEMENT_TIMEOUT_MS", 100, 600000,
           &c.database.statement_timeout);
  r.Seconds("IDENTITY_DB_STARTUP_TIMEOUT_SECONDS", 0, 3600,
            &c.database_startup_timeout);
}

// Password hashing and the login lanes: the work a login costs.
void ReadCapacity(Reader& r, Config& c) {
  r.Int("IDENTITY_ARGON2_MEMORY_KIB", Argon2Params::kMinMemoryKib, 4 << 20,
        &c.argon2.memory_kib);
  r.Int("IDENTITY_ARGON2_ITERATIONS", Argon2Params::kMinIterations, 64,
        &c.argon2.iterations);
  r.Int("IDENTITY_HASH_WORKERS", 0, 256, &c.hash_workers);
  r.Int("IDENTITY_HASH_QUEUE", 1, 100000, &c.hash_queue);
  r.Int("IDENTITY_LOGIN_THREADS", 0, 1024, &c.login_lanes.local_threads);
  r.Int("IDENTITY_LOGIN_QUEUE", 1, 100000, &c.login_lanes.local_queue);
  r.Int("IDENTITY_DIRECTORY_LOGIN_THREADS", 1, 1024,
        &c.login_lanes.directory_threads);
  r.Int("IDENTITY_DIRECTORY_LOGIN_QUEUE", 1, 100000,
        &c.login_lanes.directory_queue);
}

// Sessions, passwords, the bootstrap admin, onboarding links, TOTP.
void ReadAccounts(Reader& r, Config& c) {
  r.Seconds("IDENTITY_SESSION_LIFETIME_SECONDS", 60, 90 * 86400,
            &c.sessions.lifetime);
  r.Int("IDENTITY_PASSWORD_MIN_LENGTH", 8, 256, &c.password_policy.min_length);
  r.Seconds("IDENTITY_CACHE_TTL_SECONDS", 0, 3600, &c.cache.ttl);
  r.Int("IDENTITY_CACHE_MAX_ENTRIES", 100, 10000000, &c.cache.max_entries);
  r.String("IDENTITY_BOOTSTRAP_ADMIN_USERNAME", &c.bootstrap.username);
  r.Secret("IDENTITY_BOOTSTRAP_ADMIN_PASSWORD", &c.bootstrap.password);
  r.String("IDENTITY_BOOTSTRAP_ORGANIZATION", &c.bootstrap.organization);
  r.String("IDENTITY_PUBLIC_URL", &c.onboarding.public_url);
  r.Seconds("IDENTITY_INVITATION_TTL_SECONDS", 60, 30 * 86400,
            &c.onboarding.invitation_lifetime);
  r.Seconds("IDENTITY_EMAIL_VERIFICATION_TTL_SECONDS", 60, 30 * 86400,
            &c.onboarding.verification_lifetime);
}

// Outgoing mail; TLS is required unless the URL says ?tls=none.
void ReadMail(Reader& r, Config& c) {
  r.String("IDENTITY_SMTP_URL", &c.smtp.url);
  c.smtp.from = "identity@localhost";
  r.String("IDENTITY_SMTP_FROM", &c.smtp.from);
  r.String("IDENTITY_SMTP_USERNAME", &c.smtp.username);
  r.Secret("IDENTITY_SMTP_PASSWORD", &c.smtp.password);
  // Superseded by the URL: TLS is required unless it says ?tls=none.
  bool require_tls = true;
  r.Bool("IDENTITY_SMTP_REQUIRE_TLS", &require_tls);
  if (!require_tls) {
    r.Fail("IDENTITY_SMTP_REQUIRE_TLS",
           "false is no longer accepted: mail needs TLS unless "
           "IDENTITY_SMTP_URL ends in ?tls=none (a relay on this host)");
  }
  r.String("IDENTITY_SMTP_CA_FILE", &c.smtp.ca_file);
  r.Millis("IDENTITY_SMTP_TIMEOUT_MS", 100, 120000, &c.smtp.timeout);
}

// Ports, proxies, secrets at rest, and what a caller may open.
void ReadServer(Reader& r, Config& c) {
  r.CidrList("IDENTITY_TRUSTED_PROXIES", &c.trusted_proxies);
  r.Secret("IDENTITY_SECRET_KEY", &c.secret_key);
  r.String("IDENTITY_TOTP_ISSUER", &c.totp_issuer);
  r.String("IDENTITY_RUNTIME_DIR", &c.runtime_dir);
  r.String("IDENTITY_METRICS_ADDRESS", &c.metrics_address);
  r.String("IDENTITY_HEALTH_LISTEN_ADDRESS", &c.health_listen_address);
  r.Int("IDENTITY_HEALTH_MAX_WATCHES", 1, 100000, &c.health_max_watches);
  r.Int("IDENTITY_AUDIT_WATCH_MAX", 1, 100000, &c.audit_watch_max);
  r.Int("IDENTITY_AUDIT_WATCH_BUFFER", 10, 1000000, &c.audit_watch_buffer);
  r.Seconds("IDENTITY_AUDIT_WATCH_WRITE_TIMEOUT_SECONDS", 1, 3600,
            &c.audit_watch_write_timeout);
}

// Failure budgets, LDAP fences, SAML metadata refresh.
void ReadLimits(Reader& r, Config& c) {
  r.Int("IDENTITY_RATE_LIMIT_ADDRESS_PER_MINUTE", 0, 1000000,
        &c.rate_limits.address.per_minute);
  r.Int("IDENTITY_RATE_LIMIT_ADDRESS_BURST", 1, 1000000,
        &c.rate_limits.address.burst);
  r.Int("IDENTITY_RATE_LIMIT_TARGET_PER_MINUTE", 0, 1000000,
        &c.rate_limits.target.per_minute);
  r.Int("IDENTITY_RATE_LIMIT_TARGET_BURST", 1, 1000000,
        &c.rate_limits.target.burst);
  r.Int("IDENTITY_RATE_LIMIT_MAX_KEYS", 1000, 10000000,
        &c.rate_limits.address.max_keys);
  c.rate_limits.target.max_keys = c.rate_limits.address.max_keys;
  r.Int("IDENTITY_LDAP_MAX_CONCURRENT_LOGINS", 0, 1000,
        &c.ldap_fence.max_concurrent);
  r.Millis("IDENTITY_LDAP_SLOT_WAIT_MS", 0, 10000, &c.ldap_fence.slot_wait);
  r.Int("IDENTITY_LDAP_BREAKER_FAILURES", 1, 1000,
        &c.ldap_fence.failures_to_open);
  r.Seconds("IDENTITY_LDAP_BREAKER_OPEN_SECONDS", 1, 3600,
            &c.ldap_fence.open_for);
  r.Seconds("IDENTITY_SAML_METADATA_REFRESH_SECONDS", 1, 30 * 86400,
            &c.saml_metadata_refresh);
}

// TLS on the main port.
void ReadTls(Reader& r, Config& c) {
  r.PemFile("IDENTITY_TLS_CERT_FILE", &c.tls.cert_file);
  r.PemFile("IDENTITY_TLS_KEY_FILE", &c.tls.key_file);
  r.PemFile("IDENTITY_TLS_CLIENT_CA_FILE", &c.tls.client_ca_file);
  r.Seconds("IDENTITY_TLS_RELOAD_SECONDS", 1, 86400, &c.tls.reload);
  if (c.tls.cert_file.empty() != c.tls.key_file.empty()) {
    r.Fail(c.tls.cert_file.empty() ? "IDENTITY_TLS_CERT_FILE" : "IDENTITY_TLS_KEY_FILE",
           "set both IDENTITY_TLS_CERT_FILE and IDENTITY_TLS_KEY_FILE, or neither");
  }
  if (!c.tls.client_ca_file.empty() && c.tls.cert_file.empty()) {
    r.Fail("IDENTITY_TLS_CLIENT_CA_FILE",
           "mutual TLS needs the server's own IDENTITY_TLS_CERT_FILE and "
           "IDENTITY_TLS_KEY_FILE");
  }
}

// Threads, message size, shutdown, logging.
void ReadProcess(Reader& r, Config& c) {
  r.Int("IDENTITY_RPC_MAX_THREADS", 4, 10000, &c.rpc_max_threads);
  r.Int("IDENTITY_MAX_MESSAGE_BYTES", 4096, 64 << 20, &c.max_message_bytes);
  r.Seconds("IDENTITY_SHUTDOWN_DELAY_SECONDS", 0, 600, &c.shutdown_delay);
  r.Seconds("IDENTITY_SHUTDOWN_GRACE_SECONDS", 0, 3600, &c.shutdown_grace);
  if (std::optional<std::string> level = r.Get("IDENTITY_LOG_LEVEL")) {
    absl::Status s = log::ParseLevel(*level, &c.log_level);
    if (!s.ok()) r.Fail("IDENTITY_LOG_LEVEL", s.message());
  }
}

// What no single setting can check alone, and derived defaults.
void CheckTogether(Reader& r, Config& c) {
  if (c.listen_address.empty()) r.Fail("IDENTITY_LISTEN_ADDRESS", "required");
  if (absl::StatusOr<SecretBox> box = SecretBox::FromBase64Key(c.secret_key);
      !box.ok()) {
    r.Fail("IDENTITY_SECRET_KEY", box.status().message());
  }
  if (!c.smtp.url.empty()) {
    if (absl::Status s = ParseSmtpUrl(c.smtp.url).status(); !s.ok()) {
      r.Fail("IDENTITY_SMTP_URL", s.message());
    }
  }
  if (!absl::StartsWith(c.onboarding.public_url, "http://") &&
      !absl::StartsWith(c.onboarding.public_url, "https://")) {
    r.Fail("IDENTITY_PUBLIC_URL", "must start with http:// or https://");
  }
  while (absl::EndsWith(c.onboarding.public_url, "/")) {
    c.onboarding.public_url.pop_back();
  }
  if (c.database.url.empty()) r.Fail("IDENTITY_DATABASE_URL", "required");
  if (!c.bootstrap.username.empty() && c.bootstrap.password.empty()) {
    r.Fail("IDENTITY_BOOTSTRAP_ADMIN_PASSWORD",
           "required (or IDENTITY_BOOTSTRAP_ADMIN_PASSWORD_FILE) when "
           "IDENTITY_BOOTSTRAP_ADMIN_USERNAME is set");
  }
  if (c.hash_workers == 0) {
    c.hash_workers = std::max(1u, std::thread::hardware_concurrency());
  }
  if (c.login_lanes.local_threads == 0) {
    c.login_lanes.local_threads = 4 * c.hash_workers;
  }
}

}  // namespace

absl::StatusOr<Config> LoadConfig(const EnvLookup& env) {
  Config c;
  c.database.url = "postgresql:///identity";
  Reader r(env);
  r.String("IDENTITY_LISTEN_ADDRESS", &c.listen_address);
  for (void (*read)(Reader&, Config&) :
       {&ReadDatabase, &ReadCapacity, &ReadAccounts, &ReadMail, &ReadServer,
        &ReadLimits, &ReadTls, &ReadProcess, &CheckTogether}) {
    read(r, c);
  }
  if (!r.error().ok()) return r.error();
  return c;
}

absl::StatusOr<Config> LoadConfigFromEnvironment() {
  return LoadConfig([](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  });
}

}  // namespace identity::server
