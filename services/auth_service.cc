#include "services/auth_service.h"

#include "identity/rpc_names.h"
#include "services/converters.h"

namespace identity::services {

grpc::Status AuthServiceImpl::Authenticate(grpc::ServerContext* ctx,
                                           const v1::AuthenticateRequest* req,
                                           v1::AuthenticateResponse* resp) {
  return runner_->Run(ctx, rpc::kAuthenticate, [&](const Caller& caller) {
    absl::StatusOr<LoginResult> login =
        sessions_->Login(req->username(), req->password(), caller);
    if (!login.ok()) return login.status();
    resp->set_session_token(login->token);
    ToProto(login->session.expires_at, resp->mutable_expires_at());
    ToProto(login->user, resp->mutable_user());
    return absl::OkStatus();
  });
}

grpc::Status AuthServiceImpl::ValidateToken(
    grpc::ServerContext* ctx, const v1::ValidateTokenRequest* req,
    v1::ValidateTokenResponse* resp) {
  return runner_->Run(ctx, rpc::kValidateToken, [&](const Caller&) {
    absl::StatusOr<Principal> principal = sessions_->Validate(req->token());
    if (!principal.ok()) return principal.status();
    ToProto(*principal, resp->mutable_principal());
    return absl::OkStatus();
  });
}

grpc::Status AuthServiceImpl::Logout(grpc::ServerContext* ctx,
                                     const v1::LogoutRequest* req,
                                     v1::LogoutResponse* resp) {
  return runner_->Run(ctx, rpc::kLogout, [&](const Caller& caller) {
    return sessions_->Logout(caller);
  });
}

grpc::Status AuthServiceImpl::ValidateApiKey(
    grpc::ServerContext* ctx, const v1::ValidateApiKeyRequest* req,
    v1::ValidateApiKeyResponse* resp) {
  return runner_->Run(ctx, rpc::kValidateApiKey, [&](const Caller&) {
    absl::StatusOr<Principal> principal =
        keys_->Validate(req->api_key(), req->client_ip());
    if (!principal.ok()) return principal.status();
    ToProto(*principal, resp->mutable_principal());
    return absl::OkStatus();
  });
}

}  // namespace identity::services
