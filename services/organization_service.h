#ifndef IDENTITY_SERVICES_ORGANIZATION_SERVICE_H_
#define IDENTITY_SERVICES_ORGANIZATION_SERVICE_H_

#include "application/identity_providers/directory_sync.h"
#include "application/identity_providers/provider_registry.h"
#include "application/organizations/organization_commands.h"
#include "identity/v1/organization_service.grpc.pb.h"
#include "services/call.h"

namespace identity::services {

class OrganizationServiceImpl final : public v1::OrganizationService::Service {
 public:
  OrganizationServiceImpl(CallRunner* runner, OrganizationCommands* orgs,
                          DirectorySync* sync,
                          const ProviderRegistry* providers)
      : runner_(runner), orgs_(orgs), sync_(sync), providers_(providers) {}

  grpc::Status CreateOrganization(grpc::ServerContext* ctx,
                                  const v1::CreateOrganizationRequest* req,
                                  v1::Organization* resp) override;
  grpc::Status GetOrganization(grpc::ServerContext* ctx,
                               const v1::GetOrganizationRequest* req,
                               v1::Organization* resp) override;
  grpc::Status ListOrganizations(grpc::ServerContext* ctx,
                                 const v1::ListOrganizationsRequest* req,
                                 v1::ListOrganizationsResponse* resp) override;
  grpc::Status UpdateOrganization(grpc::ServerContext* ctx,
                                  const v1::UpdateOrganizationRequest* req,
                                  v1::Organization* resp) override;
  grpc::Status DeleteOrganization(
      grpc::ServerContext* ctx, const v1::DeleteOrganizationRequest* req,
      v1::DeleteOrganizationResponse* resp) override;
  grpc::Status MoveOrganizationContents(
      grpc::ServerContext* ctx, const v1::MoveOrganizationContentsRequest* req,
      v1::MoveOrganizationContentsResponse* resp) override;
  // Identity providers (identity_provider_handlers.cc).
  grpc::Status ConfigureLdapProvider(
      grpc::ServerContext* ctx, const v1::ConfigureLdapProviderRequest* req,
      v1::IdentityProvider* resp) override;
  grpc::Status GetIdentityProvider(grpc::ServerContext* ctx,
                                   const v1::GetIdentityProviderRequest* req,
                                   v1::IdentityProvider* resp) override;
  grpc::Status TestIdentityProvider(
      grpc::ServerContext* ctx, const v1::TestIdentityProviderRequest* req,
      v1::TestIdentityProviderResponse* resp) override;
  grpc::Status SyncLdapUsers(grpc::ServerContext* ctx,
                             const v1::SyncLdapUsersRequest* req,
                             v1::SyncLdapUsersResponse* resp) override;
  grpc::Status ConfigureSamlProvider(
      grpc::ServerContext* ctx, const v1::ConfigureSamlProviderRequest* req,
      v1::IdentityProvider* resp) override;
  grpc::Status ConfigureIdentityProvider(
      grpc::ServerContext* ctx, const v1::ConfigureIdentityProviderRequest* req,
      v1::IdentityProvider* resp) override;

 private:
  CallRunner* runner_;
  OrganizationCommands* orgs_;
  DirectorySync* sync_;
  // The identity provider RPCs reach providers only through their
  // registered administrator sides.
  const ProviderRegistry* providers_;
};

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_ORGANIZATION_SERVICE_H_
