#include "providers/saml/saml_login.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto.h"
#include "domain/external_users.h"
#include "providers/saml/saml_checks.h"
#include "providers/saml/saml_settings.h"
#include "providers/settings_document.h"
#include "domain/validation.h"

namespace identity::saml {
namespace {

constexpr absl::Duration kRequestLifetime = absl::Minutes(10);

// The values of the attribute a setting names: by Name (a claim URI, an
// urn:oid: name, a plain name), or by FriendlyName when the provider asks
// for it and no Name matched.
std::vector<std::string> Values(const SamlProviderConfig& config,
                                const SamlAssertion& a,
                                const std::string& attribute) {
  if (attribute.empty()) return {};
  if (auto it = a.attributes.find(attribute); it != a.attributes.end()) return it->second;
  if (config.match_friendly_names) {
    auto it = a.attributes_by_friendly_name.find(attribute);
    if (it != a.attributes_by_friendly_name.end()) return it->second;
  }
  return {};
}

std::string First(const SamlProviderConfig& config, const SamlAssertion& a,
                  const std::string& attribute) {
  std::vector<std::string> values = Values(config, a, attribute);
  return values.empty() ? "" : values.front();
}

}  // namespace

absl::StatusOr<RedirectStart> SamlLogin::Begin(absl::string_view organization,
                                               absl::string_view return_url) {
  if (return_url.size() > 2048) {
    return absl::InvalidArgumentError("return_url: at most 2048 bytes");
  }
  absl::StatusOr<SamlProviderConfig> config =
      providers_->ProviderOf(organization);
  if (!config.ok()) return config.status();
  absl::StatusOr<SpSettings> sp = providers_->SpFor(*config);
  if (!sp.ok()) return sp.status();
  const std::string relay_state = crypto::Base64UrlEncode(crypto::RandomBytes(32));
  absl::StatusOr<AuthnRedirect> redirect = BuildAuthnRequest(*sp, relay_state);
  if (!redirect.ok()) return redirect.status();
  absl::Status stored = store_->CreateSamlRequest(
      {redirect->request_id, config->organization_id, crypto::Sha256(relay_state),
       std::string(return_url), absl::Now() + kRequestLifetime});
  if (!stored.ok()) return stored;
  return RedirectStart{redirect->url, relay_state};
}

absl::StatusOr<RedirectVerdict> SamlLogin::Complete(const std::string& saml_response,
                                                    const std::string& relay_state) {
  auto refuse = [](absl::string_view reason) {
    return RedirectVerdict{false, {}, "", absl::StrCat("saml: ", reason)};
  };
  if (saml_response.empty()) return absl::InvalidArgumentError("saml_response: required");
  // The relay state names the request this answers; without a known one,
  // the login is IdP-initiated and the relay state names the organization.
  std::string request_id;
  absl::StatusOr<SamlProviderConfig> config;
  absl::StatusOr<domain::SamlRequest> request =
      store_->ConsumeSamlRequest(crypto::Sha256(relay_state));
  if (request.ok()) {
    request_id = request->id;
    config = LoadSamlSettings(*store_, request->organization_id);
    if (!config.ok()) {
      return UnreadableForAnyone(config.status(), kSamlSettingsType);
    }
  } else if (absl::IsNotFound(request.status())) {
    config = providers_->ProviderOf(relay_state);
    if (!config.ok()) return refuse("unknown, expired or already used relay state");
    if (!config->allow_idp_initiated) {
      return refuse("unknown relay state and IdP-initiated login is off");
    }
  } else {
    return request.status();
  }
  if (!config.ok()) return config.status();
  absl::StatusOr<SpSettings> sp = providers_->SpFor(*config);
  if (!sp.ok()) return sp.status();
  absl::StatusOr<SamlAssertion> assertion = ReadResponse(*sp, saml_response);
  if (!assertion.ok()) return refuse(assertion.status().message());
  Expectations expect{config->sp_entity_id, config->acs_url, config->idp_entity_id,
                      request_id, config->allow_idp_initiated,
                      absl::Seconds(config->clock_skew_seconds),
                      config->authn_context_class_ref};
  absl::Status checked = CheckAssertion(*assertion, expect, absl::Now());
  if (!checked.ok()) return refuse(checked.message());
  absl::Status fresh = store_->RecordSamlAssertion(
      config->organization_id, assertion->assertion_id,
      *assertion->not_on_or_after + expect.clock_skew);
  if (absl::IsAlreadyExists(fresh)) return refuse("replayed assertion");
  if (!fresh.ok()) return fresh;
  return IdentityOf(*config, *assertion);
}

RedirectVerdict SamlLogin::IdentityOf(const SamlProviderConfig& config,
                                      const SamlAssertion& a) {
  RedirectVerdict v;
  ExternalIdentity& seen = v.identity;
  seen.organization_id = config.organization_id;
  seen.origin = domain::Origin::kSaml;
  seen.username = config.username_attribute.empty()
                      ? a.name_id
                      : First(config, a, config.username_attribute);
  v.username = seen.username;
  // A transient NameID changes at every login: such a provider links by
  // the username attribute (required by its configuration) instead.
  const bool transient = config.name_id_format == kNameIdTransient;
  if (!transient && a.name_id_format == kNameIdTransient) {
    v.reason =
        "saml: a transient NameID cannot link an account (configure "
        "name_id_format transient with a username_attribute)";
    return v;
  }
  if (!ValidateUsername(seen.username).ok()) {  // empty too
    v.reason = "saml: no usable username in the assertion";
    return v;
  }
  seen.external_id = transient ? seen.username : a.name_id;
  seen.email = First(config, a, config.email_attribute);
  seen.display_name = First(config, a, config.display_name_attribute);
  // No group attribute: no groups.
  std::vector<std::string> groups = Values(config, a, config.groups_attribute);
  MapGroupRoles(config.group_role_mappings, config.default_role, groups, &seen);
  v.accepted = true;
  return v;
}

}  // namespace identity::saml
