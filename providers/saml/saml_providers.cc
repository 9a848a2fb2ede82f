#include "providers/saml/saml_providers.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "domain/audit.h"
#include "domain/authorizer.h"
#include "domain/operations.h"
#include "providers/saml/saml_keys.h"
#include "application/scope.h"
#include "providers/saml/saml_metadata.h"
#include "providers/saml/saml_settings.h"
#include "providers/settings_document.h"
#include "domain/validation.h"

namespace identity::saml {
std::vector<std::pair<std::string, absl::Time>> CertificateEnds(
    const SamlProviderConfig& c) {
  std::vector<std::pair<std::string, absl::Time>> ends;
  auto add = [&](const std::string& what, const std::string& pem) {
    if (absl::StatusOr<absl::Time> end = CertificateNotAfter(pem); end.ok()) {
      ends.push_back({what, *end});
    }
  };
  add("sp", c.sp_certificate_pem);
  if (!c.sp_next_certificate_pem.empty())
    add("sp_next", c.sp_next_certificate_pem);
  if (absl::StatusOr<IdpInfo> idp = ReadIdpMetadata(c.idp_metadata_xml);
      idp.ok()) {
    for (const std::string& pem : idp->signing_certificates_pem)
      add("idp", pem);
  }
  return ends;
}

std::vector<std::string> CertificateWarnings(const SamlProviderConfig& c,
                                             absl::Time now) {
  std::vector<std::string> warnings;
  for (const auto& [which, end] : CertificateEnds(c)) {
    // The next SP certificate is not in use yet: its end is no emergency.
    if (which == "sp_next" || end - now >= absl::Hours(24 * 30)) continue;
    warnings.push_back(absl::StrCat(
        which == "sp" ? "SP certificate" : "IdP signing certificate",
        end <= now ? " expired on " : " expires on ",
        absl::FormatTime("%Y-%m-%d", end, absl::UTCTimeZone())));
  }
  return warnings;
}

std::vector<std::string> SamlProviders::Warnings(const SamlProviderConfig& c) {
  std::vector<std::string> warnings = CertificateWarnings(c, absl::Now());
  if (c.idp_metadata_failed_at.has_value()) {
    auto when = [](const std::optional<absl::Time>& t) {
      return t.has_value() ? absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", *t,
                                              absl::UTCTimeZone())
                           : std::string("never");
    };
    warnings.push_back(absl::StrCat(
        "IdP metadata refresh failed at ", when(c.idp_metadata_failed_at),
        " (", c.idp_metadata_failure,
        "); the last good metadata, fetched at ",
        when(c.idp_metadata_fetched_at), ", stays in use"));
  }
  return warnings;
}

absl::Status SamlProviders::Validate(const Caller& caller,
                                     const SamlProviderConfig& c) {
  absl::Status source = ValidateMetadataSource(c);
  if (!source.ok()) return source;
  if (c.idp_metadata_url.empty() && c.idp_metadata_xml.size() > 256 * 1024) {
    return check_.Invalid("idp_metadata_xml", "at most 256 KiB");
  }
  for (auto [field, value, required] :
       {std::tuple<const char*, const std::string&, bool>{"sp_entity_id",
                                                          c.sp_entity_id, true},
        {"acs_url", c.acs_url, true},
        {"name_id_format", c.name_id_format, true},
        {"username_attribute", c.username_attribute, false},
        {"email_attribute", c.email_attribute, false},
        {"display_name_attribute", c.display_name_attribute, false},
        {"groups_attribute", c.groups_attribute, false},
        {"authn_context_class_ref", c.authn_context_class_ref, false}}) {
    absl::Status s = check_.Text(field, value, required);
    if (!s.ok()) return s;
  }
  if (c.name_id_format != kNameIdPersistent && c.name_id_format != kNameIdEmail &&
      c.name_id_format != kNameIdUnspecified && c.name_id_format != kNameIdTransient) {
    return check_.Invalid(
        "name_id_format",
        absl::StrCat("one of ", kNameIdPersistent, ", ", kNameIdEmail, ", ",
                     kNameIdUnspecified, ", ", kNameIdTransient));
  }
  if (c.name_id_format == kNameIdTransient && c.username_attribute.empty()) {
    // A transient NameID changes at every login: it cannot link an account.
    return check_.Invalid("username_attribute",
                          "required when name_id_format is transient (the account "
                          "is then linked by this attribute, not by the NameID)");
  }
  if (!absl::StartsWith(c.acs_url, "https://") &&
      !absl::StartsWith(c.acs_url, "http://")) {
    return check_.Invalid("acs_url", "must be an http:// or https:// URL");
  }
  if (c.clock_skew_seconds < 0 || c.clock_skew_seconds > 600) {
    return check_.Invalid("clock_skew_seconds", "must be from 0 to 600");
  }
  if (!c.sp_next_certificate_pem.empty() &&
      !CertificateNotAfter(c.sp_next_certificate_pem).ok()) {
    return check_.Invalid("sp_next_certificate_pem", "not a PEM certificate");
  }
  return check_.Roles(*caller.principal, c.organization_id, c.default_role,
                      c.group_role_mappings);
}

absl::Status SamlProviders::SetKey(SamlSettings& settings,
                                   std::optional<int64_t>* expected_version) {
  SamlProviderConfig& c = settings.config;
  if (settings.sp_private_key_pem.empty() != c.sp_certificate_pem.empty()) {
    return check_.Invalid(
        "sp_private_key_pem",
        "give both the SP key and its certificate, or neither");
  }
  KeyPair pair{settings.sp_private_key_pem, c.sp_certificate_pem};
  if (pair.private_key_pem.empty()) {
    absl::StatusOr<storage::ProviderSettingsRecord> stored =
        store_->GetProviderSettings(c.organization_id, kSamlSettingsType);
    if (!stored.ok() && !absl::IsNotFound(stored.status())) {
      return stored.status();
    }
    absl::StatusOr<SamlProviderConfig> current =
        stored.ok() ? DecodeSamlSettings(*stored) : stored.status();
    if (current.ok()) {
      c.sp_private_key_box = current->sp_private_key_box;
      c.sp_certificate_pem = current->sp_certificate_pem;
      *expected_version = current->version;
      return absl::OkStatus();
    }
    if (!stored.ok()) *expected_version = 0;
    // Settings that cannot be read (FAILED_PRECONDITION) hold no key
    // anyone can use: a new one is made, as for a new provider. Settings a
    // newer version wrote hold one it uses: not replaced.
    if (stored.ok() && stored->schema_version > kSamlSettingsSchema) {
      return current.status();
    }
    absl::StatusOr<KeyPair> made =
        GenerateSigningKey(c.sp_entity_id, absl::Hours(24 * 365 * 2));
    if (!made.ok()) return made.status();
    pair = *std::move(made);
  } else {
    absl::Status s = CheckKeyPair(pair);
    if (!s.ok()) return s;
  }
  absl::StatusOr<std::string> sealed = box_->Seal(pair.private_key_pem);
  if (!sealed.ok()) return sealed.status();
  c.sp_private_key_box = *sealed;
  c.sp_certificate_pem = pair.certificate_pem;
  return absl::OkStatus();
}

absl::StatusOr<SamlProviderView> SamlProviders::Configure(
    const Caller& caller, SamlSettings settings) {
  SamlProviderConfig& c = settings.config;
  absl::Status s = ValidateId("organization_id", c.organization_id);
  if (s.ok()) {
    s = Check(op::kConfigureSamlProvider, *caller.principal,
              Target{c.organization_id});
  }
  if (s.ok()) s = store_->GetOrganization(c.organization_id).status();
  if (s.ok()) s = Validate(caller, c);
  if (!s.ok()) return s;
  absl::StatusOr<IdpInfo> idp;
  if (!c.idp_metadata_url.empty()) {
    // Fetched on this call, within the fetch limits; nothing is stored
    // when it fails. Whatever idp_metadata_xml holds (a read-back of the
    // last document, say) is replaced by the fetched one.
    absl::StatusOr<FetchedMetadata> fetched =
        LoadMetadataFromUrl(c, MetadataFetchOptions{});
    if (!fetched.ok()) return fetched.status();
    c.idp_metadata_xml = std::move(fetched->xml);
    idp = std::move(fetched->idp);
  } else {
    idp = ReadIdpMetadata(c.idp_metadata_xml);
  }
  if (!idp.ok()) return idp.status();
  c.idp_entity_id = idp->entity_id;
  // A document from the URL was fetched just now, by this call; a
  // configure starts the refresh record afresh.
  c.idp_metadata_fetched_at = std::nullopt;
  if (!c.idp_metadata_url.empty()) c.idp_metadata_fetched_at = absl::Now();
  c.idp_metadata_failed_at = std::nullopt;
  c.idp_metadata_failure.clear();
  absl::StatusOr<SamlProviderConfig> stored = Store(caller, settings);
  if (!stored.ok()) return stored.status();
  return SamlProviderView{*stored, Warnings(*stored)};
}

// A configure that keeps the stored SP key writes over the version it read
// it from (compare-and-set): a key rotated by another admin in between is
// read again, not overwritten with the old one.
absl::StatusOr<SamlProviderConfig> SamlProviders::Store(
    const Caller& caller, SamlSettings& settings) {
  const SamlProviderConfig& c = settings.config;
  for (int attempt = 1;; ++attempt) {
    std::optional<int64_t> expected_version;
    absl::Status s = SetKey(settings, &expected_version);
    if (!s.ok()) return s;
    absl::StatusOr<SamlProviderConfig> stored = StoreSamlSettings(
        *store_, c, expected_version,
        MakeAudit(caller, "identity_provider.configure", "organization",
                  c.organization_id, c.organization_id,
                  {{"type", "saml"},
                   {"idp_entity_id", c.idp_entity_id},
                   {"idp_metadata_url", c.idp_metadata_url}}));
    if (!absl::IsAborted(stored.status()) || attempt == 3) return stored;
  }
}

absl::StatusOr<SamlProviderView> SamlProviders::View(
    absl::string_view organization_id) const {
  absl::StatusOr<SamlProviderConfig> c =
      LoadSamlSettings(*store_, organization_id);
  if (!c.ok()) return c.status();
  return SamlProviderView{*c, Warnings(*c)};
}

absl::StatusOr<std::vector<ProviderTestStep>> SamlProviders::Test(
    const Caller& caller, absl::string_view organization_id) const {
  absl::Status s = ValidateId("organization_id", organization_id);
  if (s.ok()) {
    s = Check(op::kTestIdentityProvider, *caller.principal,
              Target{std::string(organization_id)});
  }
  if (!s.ok()) return s;
  absl::StatusOr<SamlProviderConfig> c =
      LoadSamlSettings(*store_, organization_id);
  if (!c.ok()) return c.status();
  std::vector<ProviderTestStep> steps;
  absl::StatusOr<IdpInfo> idp = ReadIdpMetadata(c->idp_metadata_xml);
  steps.push_back(
      {"idp_metadata", idp.ok(),
       idp.ok() ? absl::StrCat(idp->entity_id, ", ",
                               idp->signing_certificates_pem.size(),
                               " signing certificate(s), SSO at ", idp->sso_url)
                : std::string(idp.status().message())});
  if (!c->idp_metadata_url.empty()) {
    // The stored outcome of the last refresh: a test does not fetch.
    steps.push_back(
        {"idp_metadata_url", c->idp_metadata_failure.empty(),
         c->idp_metadata_failure.empty()
             ? absl::StrCat("refreshed from ", c->idp_metadata_url)
             : absl::StrCat("the last refresh failed: ",
                            c->idp_metadata_failure)});
  }
  absl::StatusOr<SpSettings> sp = SpFor(*c);
  steps.push_back({"sp_key", sp.ok(),
                   sp.ok() ? "the SP key opens with IDENTITY_SECRET_KEY"
                           : std::string(sp.status().message())});
  if (idp.ok() && sp.ok()) {
    absl::StatusOr<AuthnRedirect> request = BuildAuthnRequest(*sp, "test");
    steps.push_back({"authn_request", request.ok(),
                     request.ok() ? "a signed AuthnRequest was built"
                                  : std::string(request.status().message())});
  }
  const std::vector<std::string> warnings =
      CertificateWarnings(*c, absl::Now());
  steps.push_back({"certificates", warnings.empty(),
                   warnings.empty() ? "none expires within 30 days"
                                    : absl::StrJoin(warnings, "; ")});
  return steps;
}

absl::StatusOr<SpSettings> SamlProviders::SpFor(
    const SamlProviderConfig& c) const {
  absl::StatusOr<std::string> key = box_->Open(c.sp_private_key_box);
  if (!key.ok()) return key.status();
  return SpSettings{c.sp_entity_id,       c.acs_url,
                    c.name_id_format,     *key,
                    c.sp_certificate_pem, c.sp_next_certificate_pem,
                    c.idp_metadata_xml,   c.idp_entity_id,
                    c.allow_sha1_signatures, c.force_authn,
                    c.authn_context_class_ref, c.require_encrypted_assertions};
}

absl::StatusOr<SamlProviderConfig> SamlProviders::ProviderOf(
    absl::string_view organization) const {
  if (organization.empty()) {
    return absl::InvalidArgumentError("organization: required (id or name)");
  }
  absl::StatusOr<domain::Organization> org =
      OrganizationByIdOrName(*store_, organization);
  if (!org.ok()) return org.status();
  absl::StatusOr<SamlProviderConfig> config = LoadSamlSettings(*store_, org->id);
  // Every caller may be anyone (a login, the SP metadata).
  if (!config.ok()) return UnreadableForAnyone(config.status(), kSamlSettingsType);
  return config;
}

absl::StatusOr<std::string> SamlProviders::Metadata(
    absl::string_view organization) const {
  absl::StatusOr<SamlProviderConfig> config = ProviderOf(organization);
  if (!config.ok()) return config.status();
  SpSettings sp{config->sp_entity_id, config->acs_url, config->name_id_format,
                "", config->sp_certificate_pem, config->sp_next_certificate_pem,
                "", ""};
  return SpMetadata(sp);
}

}  // namespace identity::saml
