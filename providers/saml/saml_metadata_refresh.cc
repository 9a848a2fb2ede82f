#include "providers/saml/saml_metadata_refresh.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "domain/audit.h"

namespace identity::saml {
namespace {

// How often the thread looks for due providers: often enough that a short
// interval (tests, an impatient operator) is honoured, rarely enough that
// the 24 h default costs one small query a minute.
absl::Duration Tick(absl::Duration every) {
  return std::clamp(every / 4, absl::Milliseconds(250), absl::Minutes(1));
}

// The audit event of a new document whose signing certificates differ from
// the stored one's; none when they are the same.
std::optional<domain::AuditEntry> CertificateAudit(const SamlProviderConfig& c,
                                                   const IdpInfo& fetched) {
  absl::StatusOr<IdpInfo> before = ReadIdpMetadata(c.idp_metadata_xml);
  CertificateChange change =
      CompareCertificates(before.ok() ? before->signing_certificates_pem
                                      : std::vector<std::string>{},
                          fetched.signing_certificates_pem);
  if (!change.any()) return std::nullopt;
  return MakeAudit(
      Caller{nullptr, "metadata-refresh"},
      "identity_provider.saml_certificates_changed", "organization",
      c.organization_id, c.organization_id,
      {{"idp_entity_id", c.idp_entity_id},
       {"added", absl::StrCat(change.added)},
       {"removed", absl::StrCat(change.removed)},
       {"trusted", absl::StrCat(fetched.signing_certificates_pem.size())}});
}

}  // namespace

SamlMetadataRefresher::SamlMetadataRefresher(storage::Store* store,
                                             absl::Duration every,
                                             MetadataFetchOptions options)
    : store_(store),
      every_(every),
      options_(options),
      thread_([this] { Loop(); }) {}

SamlMetadataRefresher::~SamlMetadataRefresher() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

bool SamlMetadataRefresher::Due(const SamlProviderConfig& c,
                                absl::Time now) const {
  if (c.idp_metadata_url.empty()) return false;
  if (c.idp_metadata_failed_at.has_value() &&
      now - *c.idp_metadata_failed_at < std::min(every_, absl::Minutes(10))) {
    return false;
  }
  return !c.idp_metadata_fetched_at.has_value() ||
         now - *c.idp_metadata_fetched_at >= every_;
}

absl::Status SamlMetadataRefresher::Refresh(const SamlProviderConfig& c) {
  SamlProviderConfig next = c;
  std::optional<domain::AuditEntry> audit;
  absl::StatusOr<FetchedMetadata> fetched = LoadMetadataFromUrl(c, options_);
  absl::Status failure = fetched.status();
  if (fetched.ok() && fetched->idp.entity_id != c.idp_entity_id) {
    // The URL now serves another IdP: an administrator decides that.
    failure = absl::FailedPreconditionError(
        absl::StrCat("saml.idp_metadata_url: the document now names the IdP ",
                     fetched->idp.entity_id, ", not ", c.idp_entity_id,
                     "; configure the provider again to accept it"));
  }
  const absl::Time now = absl::Now();
  if (!failure.ok()) {
    // The last good document stays. Short, and valid UTF-8 whatever the
    // IdP sent.
    next.idp_metadata_failed_at = now;
    next.idp_metadata_failure = AuditText(failure.message().substr(0, 500));
  } else {
    next.idp_metadata_fetched_at = now;
    next.idp_metadata_failed_at = std::nullopt;
    next.idp_metadata_failure.clear();
    if (fetched->xml != c.idp_metadata_xml) {
      next.idp_metadata_xml = fetched->xml;
      audit = CertificateAudit(c, fetched->idp);
    }
  }
  // Only over the version read: a configure or another replica's refresh
  // in between wins (ABORTED), so a document is stored and audited once.
  absl::StatusOr<SamlProviderConfig> stored =
      StoreSamlSettings(*store_, next, c.version, audit);
  if (!stored.ok()) return stored.status();
  return failure;
}

absl::StatusOr<int> SamlMetadataRefresher::RunOnce(absl::Time now) {
  absl::StatusOr<std::vector<storage::ProviderSettingsRecord>> all =
      store_->ListProviderSettings(kSamlSettingsType);
  if (!all.ok()) return all.status();
  int refreshed = 0;
  for (const storage::ProviderSettingsRecord& record : *all) {
    absl::StatusOr<SamlProviderConfig> c = DecodeSamlSettings(record);
    if (!c.ok()) {
      log::Warn("saml.metadata_refresh_failed",
                {{"organization_id", record.organization_id},
                 {"error", c.status().message()}});
      continue;
    }
    if (!Due(*c, now)) continue;
    absl::Status s = Refresh(*c);
    if (s.ok()) {
      ++refreshed;
    } else if (!absl::IsAborted(s)) {
      // The reason is short and never holds the fetched body.
      log::Warn(
          "saml.metadata_refresh_failed",
          {{"organization_id", c->organization_id}, {"error", s.message()}});
    }
  }
  return refreshed;
}

void SamlMetadataRefresher::Loop() {
  absl::MutexLock lock(&mu_);
  // The first pass waits a tick: providers were fetched when configured,
  // and a start-up stays as light on the database as before.
  mu_.AwaitWithTimeout(absl::Condition(&stopping_), Tick(every_));
  while (!stopping_) {
    mu_.Unlock();
    absl::StatusOr<int> n = RunOnce(absl::Now());
    if (!n.ok()) {
      log::Warn("saml.metadata_refresh_failed",
                {{"error", n.status().message()}});
    }
    mu_.Lock();
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), Tick(every_));
  }
}

}  // namespace identity::saml
