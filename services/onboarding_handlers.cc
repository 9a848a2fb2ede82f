// UserService's onboarding RPCs: invitations, self-registration, email
// verification and Terms of Use.
#include "domain/operations.h"
#include "services/converters.h"
#include "services/user_service.h"

namespace identity::services {
grpc::Status UserServiceImpl::InviteUser(grpc::ServerContext* ctx,
                                         const v1::InviteUserRequest* req,
                                         v1::User* resp) {
  return runner_->Run(ctx, op::kInviteUser, *req, [&](const Caller& c) {
    InviteInput in{req->organization_id(), req->email(), req->display_name(),
                   req->primary_role()};
    return Emit(onboarding_->Invite(c, in), resp);
  });
}

grpc::Status UserServiceImpl::ResendInvitation(
    grpc::ServerContext* ctx, const v1::ResendInvitationRequest* req,
    v1::User* resp) {
  return runner_->Run(ctx, op::kResendInvitation, *req, [&](const Caller& c) {
    return Emit(onboarding_->Resend(c, req->user_id()), resp);
  });
}

grpc::Status UserServiceImpl::AcceptInvitation(
    grpc::ServerContext* ctx, const v1::AcceptInvitationRequest* req,
    v1::User* resp) {
  return runner_->Run(ctx, op::kAcceptInvitation, *req, [&](const Caller& c) {
    return Emit(onboarding_->Accept(c, req->token(), req->password()), resp);
  });
}

grpc::Status UserServiceImpl::RegisterUser(grpc::ServerContext* ctx,
                                           const v1::RegisterUserRequest* req,
                                           v1::User* resp) {
  return runner_->Run(ctx, op::kRegisterUser, *req, [&](const Caller& c) {
    RegisterInput in{req->organization_id(), req->email(), req->display_name(),
                     req->password()};
    return Emit(onboarding_->Register(c, in), resp);
  });
}

grpc::Status UserServiceImpl::VerifyEmail(grpc::ServerContext* ctx,
                                          const v1::VerifyEmailRequest* req,
                                          v1::User* resp) {
  return runner_->Run(ctx, op::kVerifyEmail, *req, [&](const Caller& c) {
    return Emit(onboarding_->VerifyEmail(c, req->token()), resp);
  });
}

grpc::Status UserServiceImpl::AcceptTermsOfUse(
    grpc::ServerContext* ctx, const v1::AcceptTermsOfUseRequest* req,
    v1::User* resp) {
  return runner_->Run(ctx, op::kAcceptTermsOfUse, *req, [&](const Caller& c) {
    return Emit(onboarding_->AcceptTerms(c, req->version()), resp);
  });
}

}  // namespace identity::services
