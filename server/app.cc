#include "server/app.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "application/users/bootstrap.h"
#include "server/ldap_status.h"
#include "storage/migrations.h"
#include "storage/pg/migrator.h"

namespace identity::server {
namespace {

// Waits for the database at start-up, so replicas that start before it do not
// crash-loop; gives up after the configured time.
absl::StatusOr<int> MigrateWhenReachable(storage::ConnectionPool& pool,
                                         absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    absl::StatusOr<int> applied =
        storage::ApplyMigrations(pool, storage::EmbeddedMigrations());
    if (applied.ok() || !absl::IsUnavailable(applied.status()) ||
        absl::Now() >= deadline) {
      return applied;
    }
    log::Warn("database.waiting", {{"reason", applied.status().message()}});
    absl::SleepFor(absl::Seconds(1));
  }
}

}  // namespace

App::App(const Config& config) : config_(config) {}

absl::StatusOr<std::unique_ptr<App>> App::Start(const Config& config) {
  std::unique_ptr<App> app(new App(config));
  absl::Status s = app->Init();
  if (!s.ok()) return s;
  return app;
}

// One builder per layer, bottom up; each may use what the ones before it
// built.
absl::Status App::Init() {
  for (absl::Status (App::*step)() :
       {&App::OpenStorage, &App::BuildUseCases, &App::BuildProviders,
        &App::BuildServices, &App::StartServers}) {
    absl::Status s = (this->*step)();
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

// The database (migrated), the store, the credential cache and the change
// listener that keeps it right across replicas.
absl::Status App::OpenStorage() {
  pool_ = std::make_shared<storage::ConnectionPool>(config_.database);
  absl::StatusOr<int> migrated =
      MigrateWhenReachable(*pool_, config_.database_startup_timeout);
  if (!migrated.ok()) {
    return absl::Status(migrated.status().code(),
                        absl::StrCat("database migration failed: ",
                                     migrated.status().message()));
  }
  migrations_applied_ = *migrated;
  store_ = std::make_unique<storage::PgStore>(pool_);
  metrics_ = std::make_unique<prometheus::Registry>();
  cache_ = std::make_unique<CredentialCache>(config_.cache);
  if (config_.cache.ttl > absl::ZeroDuration()) {
    store_->set_change_sink(cache_.get());
    listener_ = std::make_unique<storage::ChangeListener>(
        storage::ChangeListener::Options{
            storage::ConnectionPool::EffectiveUrl(config_.database)},
        cache_.get());
    listener_->Start();
  }
  return absl::OkStatus();
}

// The global admin the configuration names, created once: the way back in.
absl::Status App::CreateBootstrapAdmin() {
  absl::StatusOr<bool> created = EnsureBootstrapAdmin(
      *store_, *hasher_, config_.password_policy, config_.bootstrap);
  if (!created.ok()) return created.status();
  if (*created) {
    log::Info("bootstrap.admin_created",
              {{"username", config_.bootstrap.username},
               {"organization", config_.bootstrap.organization},
               {"hint", "log in with AuthService/Authenticate and the "
                        "configured password"}});
  } else if (config_.bootstrap.username.empty()) {
    log::Warn("bootstrap.skipped",
              {{"hint", "set IDENTITY_BOOTSTRAP_ADMIN_USERNAME and "
                        "IDENTITY_BOOTSTRAP_ADMIN_PASSWORD to create the first "
                        "global admin"}});
  }
  return absl::OkStatus();
}

// The use cases that need no identity provider.
absl::Status App::BuildUseCases() {
  hash_pool_ =
      std::make_unique<BoundedExecutor>(config_.hash_workers, config_.hash_queue);
  hasher_ = std::make_unique<PasswordHasher>(config_.argon2, hash_pool_.get());

  absl::Status bootstrap = CreateBootstrapAdmin();
  if (!bootstrap.ok()) return bootstrap;

  if (config_.smtp.url.empty()) {
    mailer_ = std::make_unique<DisabledMailer>();
  } else {
    mailer_ = std::make_unique<SmtpMailer>(config_.smtp);
  }
  alerts_ = std::make_unique<SecurityAlerts>(mailer_.get());

  secret_box_ = std::make_unique<SecretBox>(
      SecretBox::FromBase64Key(config_.secret_key).value());  // checked by config
  failures_ = std::make_unique<LoginFailures>(store_.get(), alerts_.get());
  totp_ = std::make_unique<TotpManager>(store_.get(), secret_box_.get(),
                                        config_.totp_issuer, failures_.get());
  catalog_ = std::make_unique<RoleCatalog>(store_.get());
  provisioner_ = std::make_unique<Provisioner>(store_.get(), store_.get());
  users_ = std::make_unique<UserCommands>(
      UserCommands::Deps{store_.get(), hasher_.get(), catalog_.get(),
                         alerts_.get(), failures_.get(), cache_.get()},
      config_.password_policy);
  registration_purge_ =
      std::make_unique<RegistrationPurge>(store_.get(), absl::Minutes(10));
  orgs_ = std::make_unique<OrganizationCommands>(store_.get());
  keys_ = std::make_unique<ApiKeyManager>(store_.get(), alerts_.get(),
                                          cache_.get());
  grants_ = std::make_unique<RoleGrants>(store_.get(), catalog_.get());
  custom_roles_ = std::make_unique<CustomRoles>(store_.get());
  groups_ = std::make_unique<Groups>(store_.get(), catalog_.get());
  audit_log_ = std::make_unique<AuditLog>(store_.get());
  AuditFeed::Options feed;
  feed.max_watchers = config_.audit_watch_max;
  feed.page_size = std::min(feed.page_size, config_.audit_watch_buffer);
  audit_feed_ = std::make_unique<AuditFeed>(store_.get(), feed);
  storage::ChangeListener::Options audit_channel;
  audit_channel.url = storage::ConnectionPool::EffectiveUrl(config_.database);
  audit_channel.channel = "identity_audit";
  audit_listener_ = std::make_unique<storage::ChangeListener>(
      audit_channel, audit_feed_.get());
  audit_listener_->Start();
  onboarding_ = std::make_unique<Onboarding>(
      config_.onboarding,
      Onboarding::Deps{store_.get(), hasher_.get(), catalog_.get(),
                       mailer_.get()},
      config_.password_policy);
  return absl::OkStatus();
}

// The identity providers (their settings objects, then the registration
// table), and the sessions, which log in through them.
absl::Status App::BuildProviders() {
  std::string runtime = config_.runtime_dir + "/identityd-XXXXXX";
  if (mkdtemp(runtime.data()) == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "IDENTITY_RUNTIME_DIR: cannot create a private directory in ",
        config_.runtime_dir));
  }
  ldap_providers_ = std::make_unique<ldap::LdapProviders>(
      store_.get(), secret_box_.get(), catalog_.get(), runtime);
  ldap_fences_ = std::make_unique<ldap::LdapFences>(config_.ldap_fence);
  ldap_providers_->set_fences(ldap_fences_.get());
  saml_providers_ = std::make_unique<saml::SamlProviders>(
      store_.get(), secret_box_.get(), catalog_.get());
  saml_metadata_refresher_ = std::make_unique<saml::SamlMetadataRefresher>(
      store_.get(), config_.saml_metadata_refresh);
  absl::StatusOr<ProviderRegistry> providers = identity::BuildProviders(
      {store_.get(), hasher_.get(), cache_.get(), ldap_providers_.get(),
       saml_providers_.get()});
  if (!providers.ok()) return providers.status();
  providers_ = std::make_unique<ProviderRegistry>(*std::move(providers));
  directory_sync_ = std::make_unique<DirectorySync>(DirectorySync::Deps{
      store_.get(), store_.get(), store_.get(), provisioner_.get(),
      providers_.get()});
  sessions_ = std::make_unique<SessionManager>(
      config_.sessions,
      SessionManager::Deps{store_.get(), hasher_.get(), providers_.get(),
                           totp_.get(), failures_.get(), provisioner_.get(),
                           cache_.get(),
                           metrics_->AddCounter(
                               "identity_logins_total",
                               "Authenticate calls by provider and outcome.",
                               {"provider", "outcome"})});
  return absl::OkStatus();
}

void App::AddCollectors() {
  metrics_->AddCollector([this](std::string* out) {
    const CredentialCache::Stats c = cache_->stats();
    using prometheus::RenderGauge;
    using prometheus::RenderHeader;
    using prometheus::RenderSample;
    for (const auto& [name, help, value] :
         {std::tuple<const char*, const char*, double>{
              "identity_credential_cache_hits_total",
              "Validations answered from memory.", double(c.hits)},
          {"identity_credential_cache_misses_total",
           "Validations that read the database.", double(c.misses)},
          {"identity_credential_cache_invalidations_total",
           "Entries dropped because a change was announced.",
           double(c.invalidations)},
          {"identity_credential_cache_flushes_total",
           "Times every entry was dropped (change feed lost or back, cache "
           "full).",
           double(c.flushes)}}) {
      RenderHeader(out, name, help, "counter");
      RenderSample(out, name, {}, {}, value);
    }
    RenderGauge(out, "identity_credential_cache_entries",
                "Sessions and API keys held in memory.", double(c.entries));
    RenderGauge(out, "identity_credential_cache_live",
                "1 while the database change feed is heard, else the cache is "
                "bypassed.",
                c.live ? 1 : 0);
    const int64_t lookups = c.hits + c.misses;
    RenderGauge(out, "identity_credential_cache_hit_ratio",
                "Hits over lookups since start.",
                lookups == 0 ? 0 : double(c.hits) / double(lookups));
    const storage::ConnectionPool::Stats db = pool_->stats();
    RenderGauge(out, "identity_db_pool_size", "Database pool capacity.", db.size);
    RenderGauge(out, "identity_db_pool_open", "Database connections open.",
                db.open);
    RenderGauge(out, "identity_db_pool_in_use", "Database connections in use.",
                db.in_use);
    const AuditFeed::Counts watches = audit_feed_->counts();
    RenderGauge(out, "identity_audit_watchers",
                "WatchAuditEvents streams open, counted against "
                "IDENTITY_AUDIT_WATCH_MAX.",
                watches.live);
    RenderGauge(out, "identity_audit_watchers_ending",
                "WatchAuditEvents streams ended but waiting for their last "
                "write (gone within the write timeout).",
                watches.ending);
    RenderLdapPools(out);
    RenderLdapFences(*ldap_fences_, out);
    RenderSamlCertificates(out);
  });
}

void App::RenderSamlCertificates(std::string* out) const {
  // Read at each scrape (a handful of rows); nothing when the database is
  // down, rather than stale figures.
  absl::StatusOr<std::vector<storage::ProviderSettingsRecord>> all =
      store_->ListProviderSettings(saml::kSamlSettingsType);
  if (!all.ok()) return;
  const char* name = "identity_saml_certificate_expiry_seconds";
  prometheus::RenderHeader(out, name,
                           "Seconds until a SAML certificate ends (alert below "
                           "30 days: 2592000).",
                           "gauge");
  const absl::Time now = absl::Now();
  for (const storage::ProviderSettingsRecord& record : *all) {
    // Settings this server cannot read have no figures (the refresh logs
    // them).
    absl::StatusOr<saml::SamlProviderConfig> c =
        saml::DecodeSamlSettings(record);
    if (!c.ok()) continue;
    int n = 0;
    for (const auto& [which, end] : saml::CertificateEnds(*c)) {
      prometheus::RenderSample(
          out, name, {"organization_id", "certificate"},
          {c->organization_id, absl::StrCat(which, "_", n++)},
          absl::ToDoubleSeconds(end - now));
    }
  }
}

void App::RenderLdapPools(std::string* out) const {
  using prometheus::RenderHeader;
  using prometheus::RenderSample;
  const std::map<std::string, ldap::PoolFigures> all =
      ldap_providers_->AllFigures();
  struct Series {
    const char* name;
    const char* help;
    const char* type;
    double (*value)(const ldap::PoolFigures&);
  };
  const Series series[] = {
      {"identity_ldap_pool_open", "LDAP connections open.", "gauge",
       [](const ldap::PoolFigures& f) { return double(f.open); }},
      {"identity_ldap_pool_in_use", "LDAP connections in use.", "gauge",
       [](const ldap::PoolFigures& f) { return double(f.in_use); }},
      {"identity_ldap_pool_capacity", "LDAP pool size.", "gauge",
       [](const ldap::PoolFigures& f) { return double(f.capacity); }},
      {"identity_ldap_pool_waits_total",
       "Acquisitions that waited for a connection.", "counter",
       [](const ldap::PoolFigures& f) { return double(f.waited); }},
      {"identity_ldap_pool_timeouts_total",
       "Acquisitions refused after waiting.", "counter",
       [](const ldap::PoolFigures& f) { return double(f.timed_out); }},
      {"identity_ldap_reachable",
       "1 when the directory answered last time, else 0.", "gauge",
       [](const ldap::PoolFigures& f) { return f.reachable ? 1.0 : 0.0; }},
  };
  for (const Series& s : series) {
    RenderHeader(out, s.name, s.help, s.type);
    for (const auto& [org, figures] : all) {
      RenderSample(out, s.name, {"organization_id"}, {org}, s.value(figures));
    }
  }
}

void App::Shutdown() {
  health_service_->Shutdown();
  if (config_.shutdown_delay > absl::ZeroDuration()) {
    log::Info("server.not_ready",
              {{"delay_seconds",
                absl::StrCat(absl::ToInt64Seconds(config_.shutdown_delay))}});
    absl::SleepFor(config_.shutdown_delay);  // still serving meanwhile
  }
  // Open watches would hold the drain for its whole grace period: they end
  // now, and their callers resume on another replica from their cursor.
  audit_feed_->Shutdown(absl::UnavailableError(
      "this replica is shutting down; watch on another one with the cursor "
      "of the last event received"));
  log::Info("server.draining",
            {{"grace_seconds",
              absl::StrCat(absl::ToInt64Seconds(config_.shutdown_grace))}});
  server_->Shutdown(absl::ToChronoTime(absl::Now() + config_.shutdown_grace));
  server_->Wait();
  if (probe_server_) {
    probe_server_->Shutdown(absl::ToChronoTime(absl::Now()));
    probe_server_->Wait();
  }
  if (listener_) listener_->Stop();
  audit_listener_->Stop();
  metrics_http_.reset();
  log::Info("server.stopped");
}

}  // namespace identity::server
