// OrganizationService's identity provider RPCs.
#include "domain/operations.h"
#include "services/converters.h"
#include "services/organization_service.h"
#include "services/provider_views.h"

namespace identity::services {
namespace {

std::vector<domain::GroupRoleMapping> FromProto(
    const google::protobuf::RepeatedPtrField<v1::GroupRoleMapping>& in) {
  std::vector<domain::GroupRoleMapping> out;
  for (const v1::GroupRoleMapping& m : in) {
    out.push_back({m.group(), m.primary_role(),
                   std::vector<std::string>(m.add_on_roles().begin(),
                                            m.add_on_roles().end())});
  }
  return out;
}

domain::LdapProviderConfig FromProto(const std::string& org,
                                      const v1::LdapConfig& in) {
  domain::LdapProviderConfig c;
  c.organization_id = org;
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
  c.group_role_mappings = FromProto(in.group_role_mappings());
  if (!in.default_role().empty()) c.default_role = in.default_role();
  if (in.connect_timeout_ms() != 0)
    c.connect_timeout_ms = in.connect_timeout_ms();
  if (in.operation_timeout_ms() != 0) {
    c.operation_timeout_ms = in.operation_timeout_ms();
  }
  if (in.pool_size() != 0) c.pool_size = in.pool_size();
  return c;
}

saml::SamlSettings FromProto(const std::string& org, const v1::SamlConfig& in) {
  saml::SamlSettings out;
  saml::SamlProviderConfig& c = out.config;
  c.organization_id = org;
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
  c.group_role_mappings = FromProto(in.group_role_mappings());
  if (!in.default_role().empty()) c.default_role = in.default_role();
  c.allow_idp_initiated = in.allow_idp_initiated();
  if (in.clock_skew_seconds() != 0)
    c.clock_skew_seconds = in.clock_skew_seconds();
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

}  // namespace

grpc::Status OrganizationServiceImpl::ConfigureSamlProvider(
    grpc::ServerContext* ctx, const v1::ConfigureSamlProviderRequest* req,
    v1::IdentityProvider* resp) {
  return runner_->Run(ctx, op::kConfigureSamlProvider, *req, [&](const Caller& c) {
    absl::StatusOr<saml::SamlProviderView> view =
        saml_->Configure(c, FromProto(req->organization_id(), req->saml()));
    if (!view.ok()) return view.status();
    ToProto(*view, resp);
    return absl::OkStatus();
  });
}

grpc::Status OrganizationServiceImpl::ConfigureLdapProvider(
    grpc::ServerContext* ctx, const v1::ConfigureLdapProviderRequest* req,
    v1::IdentityProvider* resp) {
  return runner_->Run(ctx, op::kConfigureLdapProvider, *req, [&](const Caller& c) {
    ldap::LdapSettings settings{FromProto(req->organization_id(), req->ldap()),
                                req->ldap().bind_password()};
    return Emit(ldap_->Configure(c, std::move(settings)), resp);
  });
}

// Both ask the registered providers in turn (provider_admin.h): the first
// configured for the organization answers, so neither names a type.
grpc::Status OrganizationServiceImpl::GetIdentityProvider(
    grpc::ServerContext* ctx, const v1::GetIdentityProviderRequest* req,
    v1::IdentityProvider* resp) {
  return runner_->Run(ctx, op::kGetIdentityProvider, *req, [&](const Caller& c) {
    absl::StatusOr<std::unique_ptr<ProviderDescription>> described =
        DescribeProvider(*providers_, c, req->organization_id());
    if (!described.ok()) return described.status();
    return ToProto(**described, resp);
  });
}

grpc::Status OrganizationServiceImpl::TestIdentityProvider(
    grpc::ServerContext* ctx, const v1::TestIdentityProviderRequest* req,
    v1::TestIdentityProviderResponse* resp) {
  return runner_->Run(ctx, op::kTestIdentityProvider, *req, [&](const Caller& c) {
    absl::StatusOr<std::vector<ProviderTestStep>> steps = TestProvider(
        *providers_, c,
        {req->organization_id(), req->username(), req->password()});
    if (!steps.ok()) return steps.status();
    for (const ProviderTestStep& s : *steps) {
      v1::TestStep* out = resp->add_steps();
      out->set_name(s.name);
      out->set_ok(s.ok);
      out->set_message(s.message);
    }
    return absl::OkStatus();
  });
}

grpc::Status OrganizationServiceImpl::SyncLdapUsers(
    grpc::ServerContext* ctx, const v1::SyncLdapUsersRequest* req,
    v1::SyncLdapUsersResponse* resp) {
  return runner_->Run(ctx, op::kSyncLdapUsers, *req, [&](const Caller& c) {
    absl::StatusOr<SyncReport> report =
        sync_->Run(c, op::kSyncLdapUsers, domain::Origin::kLdap,
                   req->organization_id(), req->dry_run());
    if (!report.ok()) return report.status();
    resp->set_created(report->created);
    resp->set_updated(report->updated);
    resp->set_disabled(report->disabled);
    resp->set_unchanged(report->unchanged);
    resp->set_skipped(report->skipped);
    resp->set_dry_run(report->dry_run);
    for (const SyncChange& change : report->changes) {
      v1::LdapSyncChange* out = resp->add_changes();
      out->set_username(change.username);
      out->set_action(change.action);
      out->set_reason(change.reason);
    }
    return absl::OkStatus();
  });
}

}  // namespace identity::services
