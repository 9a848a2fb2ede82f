#include "services/auth_service.h"

#include "domain/operations.h"
#include "services/converters.h"
#include "services/credential_answer.h"

namespace identity::services {

grpc::ServerUnaryReactor* AuthServiceImpl::Authenticate(
    grpc::CallbackServerContext* ctx, const v1::AuthenticateRequest* req,
    v1::AuthenticateResponse* resp) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  runner_->RunLater(
      ctx, op::kAuthenticate, *req,
      [this, req, resp](const Caller& caller, CallRunner::Finish finish) {
        logins_->Start({req->username(), req->password(), req->totp_code(),
                        req->organization()},
                       caller,
                       [resp, finish = std::move(finish)](
                           absl::StatusOr<LoginResult> login) {
                         if (login.ok()) ToProto(*login, resp);
                         finish(login.status());
                       });
      },
      [reactor](grpc::Status status) { reactor->Finish(std::move(status)); });
  return reactor;
}

void ToProto(const LoginResult& login, v1::AuthenticateResponse* out) {
  out->set_session_token(login.token);
  ToProto(login.session.expires_at, out->mutable_expires_at());
  ToProto(login.user, out->mutable_user());
  for (const std::string& a : login.required_actions) {
    out->add_required_actions(a);
  }
}

grpc::ServerUnaryReactor* AuthServiceImpl::ValidateToken(
    grpc::CallbackServerContext* ctx, const v1::ValidateTokenRequest* req,
    v1::ValidateTokenResponse* resp) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  runner_->RunLater(
      ctx, op::kValidateToken, *req,
      [this, req, resp](const Caller&, CallRunner::Finish finish) {
        AnswerValidation(
            lookups_, sessions_->ValidateFromMemory(req->token()),
            [this, req] { return sessions_->Validate(req->token()); },
            [resp](PrincipalOr p) {
              if (!p.ok()) return p.status();
              AnswerPrincipal(*p, resp);
              return absl::OkStatus();
            },
            std::move(finish));
      },
      [reactor](grpc::Status status) { reactor->Finish(std::move(status)); });
  return reactor;
}

grpc::Status AuthServiceImpl::Logout(grpc::ServerContext* ctx,
                                     const v1::LogoutRequest* req,
                                     v1::LogoutResponse* resp) {
  return runner_->Run(ctx, op::kLogout, *req, [&](const Caller& caller) {
    return sessions_->Logout(caller);
  });
}

grpc::ServerUnaryReactor* AuthServiceImpl::ValidateApiKey(
    grpc::CallbackServerContext* ctx, const v1::ValidateApiKeyRequest* req,
    v1::ValidateApiKeyResponse* resp) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  runner_->RunLater(
      ctx, op::kValidateApiKey, *req,
      [this, req, resp](const Caller&, CallRunner::Finish finish) {
        AnswerValidation(
            lookups_,
            keys_->ValidateFromMemory(req->api_key(), req->client_ip()),
            [this, req] {
              return keys_->Validate(req->api_key(), req->client_ip());
            },
            [resp](PrincipalOr p) {
              if (!p.ok()) return p.status();
              AnswerPrincipal(*p, resp);
              return absl::OkStatus();
            },
            std::move(finish));
      },
      [reactor](grpc::Status status) { reactor->Finish(std::move(status)); });
  return reactor;
}

grpc::Status AuthServiceImpl::EnrollTotp(grpc::ServerContext* ctx,
                                         const v1::EnrollTotpRequest* req,
                                         v1::EnrollTotpResponse* resp) {
  return runner_->Run(ctx, op::kEnrollTotp, *req, [&](const Caller& c) {
    absl::StatusOr<TotpEnrollment> e = totp_->Enroll(c);
    if (!e.ok()) return e.status();
    resp->set_secret(e->secret);
    resp->set_otpauth_uri(e->uri);
    return absl::OkStatus();
  });
}

grpc::Status AuthServiceImpl::ConfirmTotp(grpc::ServerContext* ctx,
                                          const v1::ConfirmTotpRequest* req,
                                          v1::ConfirmTotpResponse* resp) {
  return runner_->Run(ctx, op::kConfirmTotp, *req, [&](const Caller& c) {
    absl::StatusOr<std::vector<std::string>> codes =
        totp_->Confirm(c, req->code());
    if (!codes.ok()) return codes.status();
    for (const std::string& code : *codes) resp->add_recovery_codes(code);
    return absl::OkStatus();
  });
}

grpc::Status AuthServiceImpl::DisableTotp(grpc::ServerContext* ctx,
                                          const v1::DisableTotpRequest* req,
                                          v1::DisableTotpResponse* resp) {
  return runner_->Run(ctx, op::kDisableTotp, *req, [&](const Caller& c) {
    return totp_->Disable(c, req->user_id(), req->code());
  });
}

grpc::Status AuthServiceImpl::ListSessions(grpc::ServerContext* ctx,
                                           const v1::ListSessionsRequest* req,
                                           v1::ListSessionsResponse* resp) {
  return runner_->Run(ctx, op::kListSessions, *req, [&](const Caller& c) {
    absl::StatusOr<std::vector<domain::Session>> sessions =
        sessions_->List(c, req->user_id());
    if (!sessions.ok()) return sessions.status();
    for (const domain::Session& s : *sessions) {
      v1::Session* out = resp->add_sessions();
      out->set_id(s.id);
      out->set_user_id(s.user_id);
      ToProto(s.created_at, out->mutable_created_at());
      ToProto(s.last_seen_at, out->mutable_last_seen_at());
      ToProto(s.expires_at, out->mutable_expires_at());
      out->set_peer(s.peer);
      out->set_current(s.id == c.principal->session_id);
    }
    return absl::OkStatus();
  });
}

grpc::Status AuthServiceImpl::RevokeSession(
    grpc::ServerContext* ctx, const v1::RevokeSessionRequest* req,
    v1::RevokeSessionResponse* resp) {
  return runner_->Run(ctx, op::kRevokeSession, *req, [&](const Caller& c) {
    return sessions_->Revoke(c, req->id());
  });
}

}  // namespace identity::services
