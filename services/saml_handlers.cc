// AuthService's SAML single sign-on RPCs.
#include "domain/operations.h"
#include "services/auth_service.h"

namespace identity::services {

grpc::Status AuthServiceImpl::BeginSamlLogin(grpc::ServerContext* ctx,
                                             const v1::BeginSamlLoginRequest* req,
                                             v1::BeginSamlLoginResponse* resp) {
  return runner_->Run(ctx, op::kBeginSamlLogin, *req, [&](const Caller&) {
    absl::StatusOr<RedirectStart> r = sessions_->BeginRedirect(
        domain::Origin::kSaml, req->organization(), req->return_url());
    if (!r.ok()) return r.status();
    resp->set_redirect_url(r->redirect_url);
    resp->set_relay_state(r->relay_state);
    return absl::OkStatus();
  });
}

grpc::Status AuthServiceImpl::CompleteSamlLogin(
    grpc::ServerContext* ctx, const v1::CompleteSamlLoginRequest* req,
    v1::AuthenticateResponse* resp) {
  return runner_->Run(ctx, op::kCompleteSamlLogin, *req, [&](const Caller& caller) {
    absl::StatusOr<LoginResult> login = sessions_->CompleteRedirect(
        caller, domain::Origin::kSaml, req->saml_response(), req->relay_state());
    if (!login.ok()) return login.status();
    ToProto(*login, resp);
    return absl::OkStatus();
  });
}

grpc::Status AuthServiceImpl::GetSamlMetadata(grpc::ServerContext* ctx,
                                              const v1::GetSamlMetadataRequest* req,
                                              v1::GetSamlMetadataResponse* resp) {
  return runner_->Run(ctx, op::kGetSamlMetadata, *req, [&](const Caller&) {
    absl::StatusOr<std::string> xml = saml_->Metadata(req->organization());
    if (!xml.ok()) return xml.status();
    resp->set_metadata_xml(*xml);
    return absl::OkStatus();
  });
}

}  // namespace identity::services
