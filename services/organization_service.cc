#include "services/organization_service.h"

#include "domain/operations.h"
#include "services/converters.h"

namespace identity::services {
grpc::Status OrganizationServiceImpl::CreateOrganization(
    grpc::ServerContext* ctx, const v1::CreateOrganizationRequest* req,
    v1::Organization* resp) {
  return runner_->Run(ctx, op::kCreateOrganization, *req, [&](const Caller& c) {
    return Emit(orgs_->Create(c, req->name()), resp);
  });
}

grpc::Status OrganizationServiceImpl::GetOrganization(
    grpc::ServerContext* ctx, const v1::GetOrganizationRequest* req,
    v1::Organization* resp) {
  return runner_->Run(ctx, op::kGetOrganization, *req, [&](const Caller& c) {
    return Emit(orgs_->Get(c, req->id()), resp);
  });
}

grpc::Status OrganizationServiceImpl::ListOrganizations(
    grpc::ServerContext* ctx, const v1::ListOrganizationsRequest* req,
    v1::ListOrganizationsResponse* resp) {
  return runner_->Run(ctx, op::kListOrganizations, *req, [&](const Caller& c) {
    absl::StatusOr<ListOrganizationsResult> page =
        orgs_->List(c, req->page_size(), req->page_token());
    if (!page.ok()) return page.status();
    for (const domain::Organization& org : page->organizations) {
      ToProto(org, resp->add_organizations());
    }
    resp->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status OrganizationServiceImpl::UpdateOrganization(
    grpc::ServerContext* ctx, const v1::UpdateOrganizationRequest* req,
    v1::Organization* resp) {
  return runner_->Run(ctx, op::kUpdateOrganization, *req, [&](const Caller& c) {
    OrganizationChanges changes;
    changes.id = req->id();
    changes.expected_version = req->version();
    if (req->has_name()) changes.name = req->name();
    if (req->has_password_policy()) {
      changes.password = FromProto(req->password_policy());
    }
    if (req->has_session_policy()) {
      changes.session = FromProto(req->session_policy());
    }
    if (req->has_lockout_policy()) {
      changes.lockout = FromProto(req->lockout_policy());
    }
    if (req->has_trusted_ip_ranges()) {
      const auto& v = req->trusted_ip_ranges().values();
      changes.trusted_ip_ranges = std::vector<std::string>(v.begin(), v.end());
    }
    if (req->has_terms_of_use_version()) {
      changes.terms_of_use_version = req->terms_of_use_version();
    }
    if (req->has_self_registration_enabled()) {
      changes.self_registration_enabled = req->self_registration_enabled();
    }
    if (req->has_require_totp()) changes.require_totp = req->require_totp();
    if (req->has_login_domains()) {
      const auto& v = req->login_domains().values();
      changes.login_domains = std::vector<std::string>(v.begin(), v.end());
    }
    return Emit(orgs_->Update(c, std::move(changes)), resp);
  });
}

grpc::Status OrganizationServiceImpl::DeleteOrganization(
    grpc::ServerContext* ctx, const v1::DeleteOrganizationRequest* req,
    v1::DeleteOrganizationResponse* resp) {
  return runner_->Run(ctx, op::kDeleteOrganization, *req, [&](const Caller& c) {
    return orgs_->Delete(c, req->id());
  });
}

grpc::Status OrganizationServiceImpl::MoveOrganizationContents(
    grpc::ServerContext* ctx, const v1::MoveOrganizationContentsRequest* req,
    v1::MoveOrganizationContentsResponse* resp) {
  return runner_->Run(ctx, op::kMoveOrganizationContents, *req, [&](const Caller& c) {
    absl::StatusOr<storage::Store::MoveCounts> moved = orgs_->MoveContents(
        c, req->source_organization_id(), req->target_organization_id());
    if (!moved.ok()) return moved.status();
    resp->set_users_moved(moved->users);
    resp->set_api_keys_moved(moved->api_keys);
    resp->set_roles_moved(moved->roles);
    resp->set_groups_moved(moved->groups);
    return absl::OkStatus();
  });
}

}  // namespace identity::services
