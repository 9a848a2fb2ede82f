// OrganizationService's identity provider RPCs.
#include "common/error_info.h"
#include "domain/operations.h"
#include "services/converters.h"
#include "services/organization_service.h"
#include "services/provider_views.h"

namespace identity::services {
namespace {

// The provider type whose settings message `settings` is configures the
// organization's provider; its description is the answer.
absl::Status Configure(const ProviderRegistry& providers, const Caller& caller,
                       absl::string_view operation,
                       const std::string& organization_id,
                       const google::protobuf::Message& settings,
                       absl::string_view field, v1::IdentityProvider* out) {
  absl::StatusOr<std::unique_ptr<ProviderDescription>> described =
      ConfigureProvider(providers, caller, operation, organization_id, settings,
                        field);
  if (!described.ok()) return described.status();
  return ToProto(providers, **described, out);
}

}  // namespace

// The typed RPCs are ConfigureIdentityProvider with their one type.
grpc::Status OrganizationServiceImpl::ConfigureSamlProvider(
    grpc::ServerContext* ctx, const v1::ConfigureSamlProviderRequest* req,
    v1::IdentityProvider* resp) {
  return runner_->Run(
      ctx, op::kConfigureSamlProvider, *req, [&](const Caller& c) {
        return Configure(*providers_, c, op::kConfigureSamlProvider,
                         req->organization_id(), req->saml(), "saml", resp);
      });
}

grpc::Status OrganizationServiceImpl::ConfigureLdapProvider(
    grpc::ServerContext* ctx, const v1::ConfigureLdapProviderRequest* req,
    v1::IdentityProvider* resp) {
  return runner_->Run(
      ctx, op::kConfigureLdapProvider, *req, [&](const Caller& c) {
        return Configure(*providers_, c, op::kConfigureLdapProvider,
                         req->organization_id(), req->ldap(), "ldap", resp);
      });
}

// The settings field set names the type: the handler knows none of them.
grpc::Status OrganizationServiceImpl::ConfigureIdentityProvider(
    grpc::ServerContext* ctx, const v1::ConfigureIdentityProviderRequest* req,
    v1::IdentityProvider* resp) {
  return runner_->Run(
      ctx, op::kConfigureIdentityProvider, *req, [&](const Caller& c) {
        const google::protobuf::OneofDescriptor* oneof =
            req->GetDescriptor()->FindOneofByName("settings");
        const google::protobuf::FieldDescriptor* set =
            req->GetReflection()->GetOneofFieldDescriptor(*req, oneof);
        if (set == nullptr) {
          return InvalidFieldError(
              "settings", "required: set the settings of one provider type");
        }
        return Configure(*providers_, c, op::kConfigureIdentityProvider,
                         req->organization_id(),
                         req->GetReflection()->GetMessage(*req, set),
                         set->name(), resp);
      });
}

// Both ask the registered providers in turn (provider_admin.h): the first
// configured for the organization answers, so neither names a type.
grpc::Status OrganizationServiceImpl::GetIdentityProvider(
    grpc::ServerContext* ctx, const v1::GetIdentityProviderRequest* req,
    v1::IdentityProvider* resp) {
  return runner_->Run(
      ctx, op::kGetIdentityProvider, *req, [&](const Caller& c) {
        absl::StatusOr<std::unique_ptr<ProviderDescription>> described =
            DescribeProvider(*providers_, c, req->organization_id());
        if (!described.ok()) return described.status();
        return ToProto(*providers_, **described, resp);
      });
}

grpc::Status OrganizationServiceImpl::TestIdentityProvider(
    grpc::ServerContext* ctx, const v1::TestIdentityProviderRequest* req,
    v1::TestIdentityProviderResponse* resp) {
  return runner_->Run(
      ctx, op::kTestIdentityProvider, *req, [&](const Caller& c) {
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
