#include "providers/saml/saml_admin.h"

#include "domain/authorizer.h"
#include "domain/operations.h"
#include "domain/validation.h"
#include "identity/v1/organization_service.pb.h"
#include "providers/provider_messages.h"

namespace identity::saml {
namespace {

// The API's defaults for fields left empty or zero.
SamlSettings FromProto(absl::string_view org, const v1::SamlConfig& in) {
  SamlSettings out;
  SamlProviderConfig& c = out.config;
  c.organization_id = std::string(org);
  c.idp_metadata_xml = in.idp_metadata_xml();
  c.sp_entity_id = in.sp_entity_id();
  c.acs_url = in.acs_url();
  c.sp_certificate_pem = in.sp_certificate_pem();
  c.sp_next_certificate_pem = in.sp_next_certificate_pem();
  c.name_id_format =
      in.name_id_format().empty()
          ? "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
          : in.name_id_format();
  c.username_attribute = in.username_attribute();
  c.email_attribute = in.email_attribute();
  c.display_name_attribute = in.display_name_attribute();
  c.groups_attribute = in.groups_attribute();
  c.group_role_mappings = MappingsFromProto(in.group_role_mappings());
  if (!in.default_role().empty()) c.default_role = in.default_role();
  c.allow_idp_initiated = in.allow_idp_initiated();
  if (in.clock_skew_seconds() != 0) {
    c.clock_skew_seconds = in.clock_skew_seconds();
  }
  c.allow_sha1_signatures = in.allow_sha1_signatures();
  c.match_friendly_names = in.match_friendly_names();
  c.force_authn = in.force_authn();
  c.authn_context_class_ref = in.authn_context_class_ref();
  c.require_encrypted_assertions = in.require_encrypted_assertions();
  c.idp_metadata_url = in.idp_metadata_url();
  c.idp_metadata_ca_pem = in.idp_metadata_ca_pem();
  c.idp_metadata_signing_certificate_pem =
      in.idp_metadata_signing_certificate_pem();
  out.sp_private_key_pem = in.sp_private_key_pem();
  return out;
}

// Never the SP key.
void ToProto(const SamlProviderView& view, v1::SamlConfig* out) {
  const SamlProviderConfig& c = view.config;
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
  MappingsToProto(c.group_role_mappings, out->mutable_group_role_mappings());
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
    *out->mutable_idp_metadata_fetched_at() =
        TimestampOf(*c.idp_metadata_fetched_at);
  }
  if (c.idp_metadata_failed_at.has_value()) {
    *out->mutable_idp_metadata_failed_at() =
        TimestampOf(*c.idp_metadata_failed_at);
  }
  out->set_idp_metadata_failure(c.idp_metadata_failure);
  for (const std::string& w : view.warnings) out->add_warnings(w);
}

std::unique_ptr<SamlDescription> DescriptionOf(SamlProviderView view) {
  auto out = std::make_unique<SamlDescription>();
  out->type = "saml";
  out->organization_id = view.config.organization_id;
  out->version = view.config.version;
  out->view = std::move(view);
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ProviderDescription>> SamlAdmin::Describe(
    const Caller& caller, absl::string_view organization_id) const {
  // SamlProviders::View checks nobody; the caller is checked here so that
  // the answer does not depend on another type being asked first.
  absl::Status s = ValidateId("organization_id", organization_id);
  if (s.ok()) {
    s = Check(op::kGetIdentityProvider, *caller.principal,
              Target{std::string(organization_id)});
  }
  if (!s.ok()) return s;
  absl::StatusOr<SamlProviderView> view = providers_->View(organization_id);
  if (!view.ok()) return view.status();
  return DescriptionOf(*std::move(view));
}

absl::StatusOr<std::vector<ProviderTestStep>> SamlAdmin::Test(
    const Caller& caller, const ProviderTestRequest& request) const {
  return providers_->Test(caller, request.organization_id);
}

absl::string_view SamlAdmin::settings_message() const {
  return v1::SamlConfig::descriptor()->full_name();
}

absl::StatusOr<std::unique_ptr<ProviderDescription>> SamlAdmin::Configure(
    const Caller& caller, absl::string_view organization_id,
    const google::protobuf::Message& settings) const {
  const auto* in = dynamic_cast<const v1::SamlConfig*>(&settings);
  if (in == nullptr) return absl::InternalError("not a SamlConfig message");
  absl::StatusOr<SamlProviderView> view =
      providers_->Configure(caller, FromProto(organization_id, *in));
  if (!view.ok()) return view.status();
  return DescriptionOf(*std::move(view));
}

absl::Status SamlAdmin::Write(const ProviderDescription& description,
                              google::protobuf::Message* out) const {
  const auto* d = dynamic_cast<const SamlDescription*>(&description);
  auto* provider = dynamic_cast<v1::IdentityProvider*>(out);
  if (d == nullptr || provider == nullptr) {
    return absl::InternalError("not a SAML description");
  }
  ToProto(d->view, provider->mutable_saml());
  return absl::OkStatus();
}

}  // namespace identity::saml
