#include "providers/ldap/ldap_admin.h"

#include "identity/v1/organization_service.pb.h"
#include "providers/provider_messages.h"

namespace identity::ldap {
namespace {

// The API's defaults for fields left empty or zero.
LdapSettings FromProto(absl::string_view org, const v1::LdapConfig& in) {
  domain::LdapProviderConfig c;
  c.organization_id = std::string(org);
  c.urls.assign(in.urls().begin(), in.urls().end());
  c.start_tls = in.start_tls();
  c.ca_certificate_pem = in.ca_certificate_pem();
  c.bind_dn = in.bind_dn();
  c.user_base_dn = in.user_base_dn();
  c.user_filter = in.user_filter();
  c.username_attribute =
      in.username_attribute().empty() ? "uid" : in.username_attribute();
  c.email_attribute = in.email_attribute();
  c.display_name_attribute = in.display_name_attribute();
  c.group_base_dn = in.group_base_dn();
  c.group_member_attribute = in.group_member_attribute();
  c.id_attribute = in.id_attribute();
  c.group_role_mappings = MappingsFromProto(in.group_role_mappings());
  if (!in.default_role().empty()) c.default_role = in.default_role();
  if (in.connect_timeout_ms() != 0) {
    c.connect_timeout_ms = in.connect_timeout_ms();
  }
  if (in.operation_timeout_ms() != 0) {
    c.operation_timeout_ms = in.operation_timeout_ms();
  }
  if (in.pool_size() != 0) c.pool_size = in.pool_size();
  return {std::move(c), in.bind_password()};
}

// Never the bind password: only whether one is stored.
void ToProto(const domain::LdapProviderConfig& c, v1::IdentityProvider* out) {
  out->set_has_bind_password(!c.bind_password_box.empty());
  v1::LdapConfig* l = out->mutable_ldap();
  for (const std::string& u : c.urls) l->add_urls(u);
  l->set_start_tls(c.start_tls);
  l->set_ca_certificate_pem(c.ca_certificate_pem);
  l->set_bind_dn(c.bind_dn);
  l->set_user_base_dn(c.user_base_dn);
  l->set_user_filter(c.user_filter);
  l->set_username_attribute(c.username_attribute);
  l->set_email_attribute(c.email_attribute);
  l->set_display_name_attribute(c.display_name_attribute);
  l->set_group_base_dn(c.group_base_dn);
  l->set_group_member_attribute(c.group_member_attribute);
  l->set_id_attribute(c.id_attribute);
  MappingsToProto(c.group_role_mappings, l->mutable_group_role_mappings());
  l->set_default_role(c.default_role);
  l->set_connect_timeout_ms(c.connect_timeout_ms);
  l->set_operation_timeout_ms(c.operation_timeout_ms);
  l->set_pool_size(c.pool_size);
}

void ToProto(const FenceFigures& f, v1::LdapPoolStatus* out) {
  out->set_max_concurrent_logins(f.max_concurrent);
  out->set_logins_in_flight(f.in_flight);
  out->set_circuit(CircuitName(f.circuit));
  out->set_failures_in_a_row(f.failures_in_a_row);
  out->set_refused_busy(f.refused_busy);
  out->set_refused_open(f.refused_open);
  if (f.circuit != Circuit::kClosed) {
    *out->mutable_circuit_retry_at() = TimestampOf(f.retry_at);
  }
}

void ToProto(const PoolFigures& f, v1::LdapPoolStatus* out) {
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
    *out->mutable_last_checked() = TimestampOf(f.last_checked);
  }
}

std::unique_ptr<LdapDescription> DescriptionOf(
    domain::LdapProviderConfig config) {
  auto out = std::make_unique<LdapDescription>();
  out->type = "ldap";
  out->organization_id = config.organization_id;
  out->version = config.version;
  out->config = std::move(config);
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ProviderDescription>> LdapAdmin::Describe(
    const Caller& caller, absl::string_view organization_id) const {
  absl::StatusOr<domain::LdapProviderConfig> config =
      providers_->Get(caller, organization_id);
  if (!config.ok()) return config.status();
  std::unique_ptr<LdapDescription> out = DescriptionOf(*std::move(config));
  out->pool = providers_->Figures(out->organization_id);
  if (providers_->fences() != nullptr) {
    out->fence = providers_->fences()->Figures(out->organization_id);
  }
  return out;
}

absl::StatusOr<std::vector<ProviderTestStep>> LdapAdmin::Test(
    const Caller& caller, const ProviderTestRequest& request) const {
  return providers_->Test(caller, request.organization_id, request.username,
                          request.password);
}

absl::string_view LdapAdmin::settings_message() const {
  return v1::LdapConfig::descriptor()->full_name();
}

absl::StatusOr<std::unique_ptr<ProviderDescription>> LdapAdmin::Configure(
    const Caller& caller, absl::string_view organization_id,
    const google::protobuf::Message& settings) const {
  const auto* in = dynamic_cast<const v1::LdapConfig*>(&settings);
  if (in == nullptr) return absl::InternalError("not an LdapConfig message");
  absl::StatusOr<domain::LdapProviderConfig> config =
      providers_->Configure(caller, FromProto(organization_id, *in));
  if (!config.ok()) return config.status();
  return DescriptionOf(*std::move(config));
}

absl::Status LdapAdmin::Write(const ProviderDescription& description,
                              google::protobuf::Message* out) const {
  const auto* d = dynamic_cast<const LdapDescription*>(&description);
  auto* provider = dynamic_cast<v1::IdentityProvider*>(out);
  if (d == nullptr || provider == nullptr) {
    return absl::InternalError("not an LDAP description");
  }
  ToProto(d->config, provider);
  if (d->pool.has_value()) ToProto(*d->pool, provider->mutable_pool());
  if (d->fence.has_value()) ToProto(*d->fence, provider->mutable_pool());
  return absl::OkStatus();
}

}  // namespace identity::ldap
