#ifndef IDENTITY_SERVICES_USER_SERVICE_H_
#define IDENTITY_SERVICES_USER_SERVICE_H_

#include "application/onboarding/onboarding.h"
#include "application/users/user_commands.h"
#include "identity/v1/user_service.grpc.pb.h"
#include "services/call.h"

namespace identity::services {

class UserServiceImpl final : public v1::UserService::Service {
 public:
  UserServiceImpl(CallRunner* runner, UserCommands* users,
                  Onboarding* onboarding)
      : runner_(runner), users_(users), onboarding_(onboarding) {}

  grpc::Status CreateUser(grpc::ServerContext* ctx,
                          const v1::CreateUserRequest* req,
                          v1::CreateUserResponse* resp) override;
  grpc::Status GetUser(grpc::ServerContext* ctx, const v1::GetUserRequest* req,
                       v1::User* resp) override;
  grpc::Status GetCurrentUser(grpc::ServerContext* ctx,
                              const v1::GetCurrentUserRequest* req,
                              v1::User* resp) override;
  grpc::Status ListUsers(grpc::ServerContext* ctx,
                         const v1::ListUsersRequest* req,
                         v1::ListUsersResponse* resp) override;
  grpc::Status UpdateUser(grpc::ServerContext* ctx,
                          const v1::UpdateUserRequest* req,
                          v1::User* resp) override;
  grpc::Status DeleteUser(grpc::ServerContext* ctx,
                          const v1::DeleteUserRequest* req,
                          v1::DeleteUserResponse* resp) override;
  grpc::Status EnableUser(grpc::ServerContext* ctx,
                          const v1::EnableUserRequest* req,
                          v1::User* resp) override;
  grpc::Status DisableUser(grpc::ServerContext* ctx,
                           const v1::DisableUserRequest* req,
                           v1::User* resp) override;
  grpc::Status SetPrimaryRole(grpc::ServerContext* ctx,
                              const v1::SetPrimaryRoleRequest* req,
                              v1::User* resp) override;
  grpc::Status ChangePassword(grpc::ServerContext* ctx,
                              const v1::ChangePasswordRequest* req,
                              v1::ChangePasswordResponse* resp) override;
  grpc::Status ResetPassword(grpc::ServerContext* ctx,
                             const v1::ResetPasswordRequest* req,
                             v1::ResetPasswordResponse* resp) override;
  grpc::Status UnlockUser(grpc::ServerContext* ctx,
                          const v1::UnlockUserRequest* req,
                          v1::User* resp) override;

  // Onboarding (onboarding_handlers.cc).
  grpc::Status InviteUser(grpc::ServerContext* ctx,
                          const v1::InviteUserRequest* req,
                          v1::User* resp) override;
  grpc::Status ResendInvitation(grpc::ServerContext* ctx,
                                const v1::ResendInvitationRequest* req,
                                v1::User* resp) override;
  grpc::Status AcceptInvitation(grpc::ServerContext* ctx,
                                const v1::AcceptInvitationRequest* req,
                                v1::User* resp) override;
  grpc::Status RegisterUser(grpc::ServerContext* ctx,
                            const v1::RegisterUserRequest* req,
                            v1::User* resp) override;
  grpc::Status VerifyEmail(grpc::ServerContext* ctx,
                           const v1::VerifyEmailRequest* req,
                           v1::User* resp) override;
  grpc::Status AcceptTermsOfUse(grpc::ServerContext* ctx,
                                const v1::AcceptTermsOfUseRequest* req,
                                v1::User* resp) override;

 private:
  CallRunner* runner_;
  UserCommands* users_;
  Onboarding* onboarding_;
};

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_USER_SERVICE_H_
