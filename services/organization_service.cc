#include "services/organization_service.h"

#include "identity/rpc_names.h"
#include "services/converters.h"

namespace identity::services {
namespace {

// Writes an organization result into `resp`.
absl::Status Emit(absl::StatusOr<storage::Organization> org,
                  v1::Organization* resp) {
  if (!org.ok()) return org.status();
  ToProto(*org, resp);
  return absl::OkStatus();
}

}  // namespace

grpc::Status OrganizationServiceImpl::CreateOrganization(
    grpc::ServerContext* ctx, const v1::CreateOrganizationRequest* req,
    v1::Organization* resp) {
  return runner_->Run(ctx, rpc::kCreateOrganization, [&](const Caller& c) {
    return Emit(orgs_->Create(c, req->name()), resp);
  });
}

grpc::Status OrganizationServiceImpl::GetOrganization(
    grpc::ServerContext* ctx, const v1::GetOrganizationRequest* req,
    v1::Organization* resp) {
  return runner_->Run(ctx, rpc::kGetOrganization, [&](const Caller& c) {
    return Emit(orgs_->Get(c, req->id()), resp);
  });
}

grpc::Status OrganizationServiceImpl::ListOrganizations(
    grpc::ServerContext* ctx, const v1::ListOrganizationsRequest* req,
    v1::ListOrganizationsResponse* resp) {
  return runner_->Run(ctx, rpc::kListOrganizations, [&](const Caller& c) {
    absl::StatusOr<ListOrganizationsResult> page =
        orgs_->List(c, req->page_size(), req->page_token());
    if (!page.ok()) return page.status();
    for (const storage::Organization& org : page->organizations) {
      ToProto(org, resp->add_organizations());
    }
    resp->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status OrganizationServiceImpl::UpdateOrganization(
    grpc::ServerContext* ctx, const v1::UpdateOrganizationRequest* req,
    v1::Organization* resp) {
  return runner_->Run(ctx, rpc::kUpdateOrganization, [&](const Caller& c) {
    storage::OrganizationUpdate update;
    update.id = req->id();
    if (req->has_name()) update.name = req->name();
    update.expected_version = req->version();
    return Emit(orgs_->Update(c, update), resp);
  });
}

grpc::Status OrganizationServiceImpl::DeleteOrganization(
    grpc::ServerContext* ctx, const v1::DeleteOrganizationRequest* req,
    v1::DeleteOrganizationResponse* resp) {
  return runner_->Run(ctx, rpc::kDeleteOrganization, [&](const Caller& c) {
    return orgs_->Delete(c, req->id());
  });
}

}  // namespace identity::services
