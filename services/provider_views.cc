#include "services/provider_views.h"

#include "providers/ldap/ldap_admin.h"
#include "providers/saml/saml_admin.h"
#include "services/converters.h"

namespace identity::services {
namespace {

void ToProto(const ldap::FenceFigures& f, v1::LdapPoolStatus* out) {
  out->set_max_concurrent_logins(f.max_concurrent);
  out->set_logins_in_flight(f.in_flight);
  out->set_circuit(ldap::CircuitName(f.circuit));
  out->set_failures_in_a_row(f.failures_in_a_row);
  out->set_refused_busy(f.refused_busy);
  out->set_refused_open(f.refused_open);
  if (f.circuit != ldap::Circuit::kClosed) {
    services::ToProto(f.retry_at, out->mutable_circuit_retry_at());
  }
}

void ToProto(const ldap::PoolFigures& f, v1::LdapPoolStatus* out) {
  out->set_capacity(f.capacity);
  out->set_open(f.open);
  out->set_in_use(f.in_use);
  out->set_acquired(f.acquired);
  out->set_waited(f.waited);
  out->set_timed_out(f.timed_out);
  out->set_connects(f.connects);
  out->set_rebinds(f.rebinds);
  out->set_discarded(f.discarded);
  out->set_reachable(f.reachable);
  out->set_last_error(f.last_error);
  if (f.last_checked != absl::InfinitePast()) {
    services::ToProto(f.last_checked, out->mutable_last_checked());
  }
}

absl::Status WriteLdap(const ProviderDescription& in,
                       v1::IdentityProvider* out) {
  const auto* d = dynamic_cast<const ldap::LdapDescription*>(&in);
  if (d == nullptr) return absl::InternalError("not an LDAP description");
  services::ToProto(d->config, out);
  if (d->pool.has_value()) ToProto(*d->pool, out->mutable_pool());
  if (d->fence.has_value()) ToProto(*d->fence, out->mutable_pool());
  return absl::OkStatus();
}

absl::Status WriteSaml(const ProviderDescription& in,
                       v1::IdentityProvider* out) {
  const auto* d = dynamic_cast<const saml::SamlDescription*>(&in);
  if (d == nullptr) return absl::InternalError("not a SAML description");
  services::ToProto(d->view, out);
  return absl::OkStatus();
}

using Writer = absl::Status (*)(const ProviderDescription&,
                                v1::IdentityProvider*);

struct TypeWriter {
  absl::string_view type;
  Writer write;
};

// Each type's own part of the IdentityProvider message: a type whose
// settings have a message adds its row here.
constexpr TypeWriter kWriters[] = {
    {"ldap", &WriteLdap},
    {"saml", &WriteSaml},
};

}  // namespace

absl::Status ToProto(const ProviderDescription& in, v1::IdentityProvider* out) {
  out->set_organization_id(in.organization_id);
  out->set_type(in.type);
  out->set_version(in.version);
  for (const TypeWriter& w : kWriters) {
    if (w.type == in.type) return w.write(in, out);
  }
  return absl::OkStatus();
}

void ToProto(const saml::SamlProviderView& view, v1::SamlConfig* out) {
  const saml::SamlProviderConfig& c = view.config;
  out->set_idp_metadata_xml(c.idp_metadata_xml);
  out->set_idp_entity_id(c.idp_entity_id);
  out->set_sp_entity_id(c.sp_entity_id);
  out->set_acs_url(c.acs_url);
  out->set_sp_certificate_pem(c.sp_certificate_pem);
  out->set_sp_next_certificate_pem(c.sp_next_certificate_pem);
  out->set_name_id_format(c.name_id_format);
  out->set_username_attribute(c.username_attribute);
  out->set_email_attribute(c.email_attribute);
  out->set_display_name_attribute(c.display_name_attribute);
  out->set_groups_attribute(c.groups_attribute);
  ToProto(c.group_role_mappings, out->mutable_group_role_mappings());
  out->set_default_role(c.default_role);
  out->set_allow_idp_initiated(c.allow_idp_initiated);
  out->set_clock_skew_seconds(c.clock_skew_seconds);
  out->set_allow_sha1_signatures(c.allow_sha1_signatures);
  out->set_match_friendly_names(c.match_friendly_names);
  out->set_force_authn(c.force_authn);
  out->set_authn_context_class_ref(c.authn_context_class_ref);
  out->set_require_encrypted_assertions(c.require_encrypted_assertions);
  out->set_idp_metadata_url(c.idp_metadata_url);
  out->set_idp_metadata_ca_pem(c.idp_metadata_ca_pem);
  out->set_idp_metadata_signing_certificate_pem(
      c.idp_metadata_signing_certificate_pem);
  if (c.idp_metadata_fetched_at.has_value()) {
    ToProto(*c.idp_metadata_fetched_at, out->mutable_idp_metadata_fetched_at());
  }
  if (c.idp_metadata_failed_at.has_value()) {
    ToProto(*c.idp_metadata_failed_at, out->mutable_idp_metadata_failed_at());
  }
  out->set_idp_metadata_failure(c.idp_metadata_failure);
  for (const std::string& w : view.warnings) out->add_warnings(w);
}

void ToProto(const saml::SamlProviderView& view, v1::IdentityProvider* out) {
  out->set_organization_id(view.config.organization_id);
  out->set_type("saml");
  out->set_version(view.config.version);
  ToProto(view, out->mutable_saml());
}

}  // namespace identity::services
