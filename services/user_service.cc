#include "services/user_service.h"

#include "domain/operations.h"
#include "services/converters.h"

namespace identity::services {
grpc::Status UserServiceImpl::CreateUser(grpc::ServerContext* ctx,
                                         const v1::CreateUserRequest* req,
                                         v1::CreateUserResponse* resp) {
  return runner_->Run(ctx, op::kCreateUser, *req, [&](const Caller& c) {
    CreateUserInput in{req->organization_id(), req->username(),
                       req->email(),           req->display_name(),
                       req->primary_role(),    req->password(),
                       req->generate_password(), req->image_url(),
                       req->time_zone()};
    absl::StatusOr<CreateUserResult> created = users_->Create(c, in);
    if (!created.ok()) return created.status();
    ToProto(created->user, resp->mutable_user());
    resp->set_generated_password(created->generated_password);
    return absl::OkStatus();
  });
}

grpc::Status UserServiceImpl::GetUser(grpc::ServerContext* ctx,
                                      const v1::GetUserRequest* req,
                                      v1::User* resp) {
  return runner_->Run(ctx, op::kGetUser, *req, [&](const Caller& c) {
    return Emit(users_->Get(c, req->id()), resp);
  });
}

grpc::Status UserServiceImpl::GetCurrentUser(
    grpc::ServerContext* ctx, const v1::GetCurrentUserRequest* req,
    v1::User* resp) {
  return runner_->Run(ctx, op::kGetCurrentUser, *req, [&](const Caller& c) {
    return Emit(users_->GetCurrent(c), resp);
  });
}

grpc::Status UserServiceImpl::ListUsers(grpc::ServerContext* ctx,
                                        const v1::ListUsersRequest* req,
                                        v1::ListUsersResponse* resp) {
  return runner_->Run(ctx, op::kListUsers, *req, [&](const Caller& c) {
    ListUsersInput in;
    in.organization_id = req->organization_id();
    if (req->origin() != v1::ORIGIN_UNSPECIFIED) {
      in.origin = FromProto(req->origin());
      if (!in.origin) {
        return absl::InvalidArgumentError("origin: unknown value");
      }
    }
    switch (req->status()) {
      case v1::USER_STATUS_FILTER_ANY:
        break;
      case v1::USER_STATUS_FILTER_ENABLED:
        in.enabled = true;
        break;
      case v1::USER_STATUS_FILTER_DISABLED:
        in.enabled = false;
        break;
      default:
        return absl::InvalidArgumentError("status: unknown value");
    }
    in.query = req->query();
    in.page_size = req->page_size();
    in.page_token = req->page_token();
    absl::StatusOr<ListUsersResult> page = users_->List(c, in);
    if (!page.ok()) return page.status();
    for (const domain::User& u : page->users) ToProto(u, resp->add_users());
    resp->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status UserServiceImpl::UpdateUser(grpc::ServerContext* ctx,
                                         const v1::UpdateUserRequest* req,
                                         v1::User* resp) {
  return runner_->Run(ctx, op::kUpdateUser, *req, [&](const Caller& c) {
    storage::UserProfileUpdate u;
    u.id = req->id();
    if (req->has_email()) u.email = req->email();
    if (req->has_display_name()) u.display_name = req->display_name();
    if (req->has_image_url()) u.image_url = req->image_url();
    if (req->has_time_zone()) u.time_zone = req->time_zone();
    if (req->has_security_alerts()) u.security_alerts = req->security_alerts();
    u.expected_version = req->version();
    return Emit(users_->Update(c, u), resp);
  });
}

grpc::Status UserServiceImpl::DeleteUser(grpc::ServerContext* ctx,
                                         const v1::DeleteUserRequest* req,
                                         v1::DeleteUserResponse* resp) {
  return runner_->Run(ctx, op::kDeleteUser, *req, [&](const Caller& c) {
    return users_->Delete(c, req->id());
  });
}

grpc::Status UserServiceImpl::EnableUser(grpc::ServerContext* ctx,
                                         const v1::EnableUserRequest* req,
                                         v1::User* resp) {
  return runner_->Run(ctx, op::kEnableUser, *req, [&](const Caller& c) {
    return Emit(users_->SetEnabled(c, req->id(), true), resp);
  });
}

grpc::Status UserServiceImpl::DisableUser(grpc::ServerContext* ctx,
                                          const v1::DisableUserRequest* req,
                                          v1::User* resp) {
  return runner_->Run(ctx, op::kDisableUser, *req, [&](const Caller& c) {
    return Emit(users_->SetEnabled(c, req->id(), false), resp);
  });
}

grpc::Status UserServiceImpl::SetPrimaryRole(
    grpc::ServerContext* ctx, const v1::SetPrimaryRoleRequest* req,
    v1::User* resp) {
  return runner_->Run(ctx, op::kSetPrimaryRole, *req, [&](const Caller& c) {
    return Emit(users_->SetPrimaryRole(c, req->id(), req->primary_role()),
                resp);
  });
}

grpc::Status UserServiceImpl::ChangePassword(
    grpc::ServerContext* ctx, const v1::ChangePasswordRequest* req,
    v1::ChangePasswordResponse* resp) {
  return runner_->Run(ctx, op::kChangePassword, *req, [&](const Caller& c) {
    return users_->ChangePassword(c, req->current_password(),
                                  req->new_password());
  });
}

grpc::Status UserServiceImpl::ResetPassword(
    grpc::ServerContext* ctx, const v1::ResetPasswordRequest* req,
    v1::ResetPasswordResponse* resp) {
  return runner_->Run(ctx, op::kResetPassword, *req, [&](const Caller& c) {
    absl::StatusOr<std::string> generated = users_->ResetPassword(
        c, req->id(), req->new_password(), req->generate_password());
    if (!generated.ok()) return generated.status();
    resp->set_generated_password(*generated);
    return absl::OkStatus();
  });
}

grpc::Status UserServiceImpl::UnlockUser(grpc::ServerContext* ctx,
                                         const v1::UnlockUserRequest* req,
                                         v1::User* resp) {
  return runner_->Run(ctx, op::kUnlockUser, *req, [&](const Caller& c) {
    return Emit(users_->Unlock(c, req->id()), resp);
  });
}

}  // namespace identity::services
