#ifndef IDENTITY_SERVICES_AUTH_SERVICE_H_
#define IDENTITY_SERVICES_AUTH_SERVICE_H_

#include "common/bounded_executor.h"
#include "application/api_keys/api_keys.h"
#include "application/sessions/login_lanes.h"
#include "providers/saml/saml_providers.h"
#include "application/sessions/session_manager.h"
#include "application/sessions/totp.h"
#include "identity/v1/auth_service.grpc.pb.h"
#include "services/arena_messages.h"
#include "services/call.h"

namespace identity::services {

// ValidateToken, ValidateApiKey and the permission checks, the hot path of
// every other service, are served with the callback API: they answer from
// the credential cache without a thread of the sync pool, so that calls that
// fill that pool cannot refuse them; a validation the cache cannot answer
// waits for PostgreSQL on the lookup executor, not on one of gRPC's few
// callback threads. Authenticate is a callback method too: it hands the
// login to the login lanes (application/sessions/login_lanes.h) and holds no
// thread while the login waits on hashing or a directory.
using AuthServiceBase = v1::AuthService::WithCallbackMethod_Authenticate<
    v1::AuthService::WithCallbackMethod_ValidateToken<
        v1::AuthService::WithCallbackMethod_ValidateApiKey<
            v1::AuthService::WithCallbackMethod_CheckPermission<
                v1::AuthService::WithCallbackMethod_BatchCheckPermissions<
                    v1::AuthService::Service>>>>>;

class AuthServiceImpl final : public AuthServiceBase {
 public:
  AuthServiceImpl(CallRunner* runner, SessionManager* sessions,
                  LoginLanes* logins, BoundedExecutor* lookups,
                  ApiKeyManager* keys, TotpManager* totp,
                  const saml::SamlProviders* saml)
      : runner_(runner),
        sessions_(sessions),
        logins_(logins),
        lookups_(lookups),
        keys_(keys),
        totp_(totp),
        saml_(saml) {
    SetMessageAllocatorFor_ValidateToken(&validate_token_messages_);
    SetMessageAllocatorFor_ValidateApiKey(&validate_api_key_messages_);
    SetMessageAllocatorFor_CheckPermission(&check_messages_);
    SetMessageAllocatorFor_BatchCheckPermissions(&batch_check_messages_);
  }

  grpc::ServerUnaryReactor* Authenticate(
      grpc::CallbackServerContext* ctx, const v1::AuthenticateRequest* req,
      v1::AuthenticateResponse* resp) override;
  grpc::ServerUnaryReactor* ValidateToken(
      grpc::CallbackServerContext* ctx, const v1::ValidateTokenRequest* req,
      v1::ValidateTokenResponse* resp) override;
  grpc::Status Logout(grpc::ServerContext* ctx, const v1::LogoutRequest* req,
                      v1::LogoutResponse* resp) override;
  grpc::ServerUnaryReactor* ValidateApiKey(
      grpc::CallbackServerContext* ctx, const v1::ValidateApiKeyRequest* req,
      v1::ValidateApiKeyResponse* resp) override;
  grpc::Status EnrollTotp(grpc::ServerContext* ctx,
                          const v1::EnrollTotpRequest* req,
                          v1::EnrollTotpResponse* resp) override;
  grpc::Status ConfirmTotp(grpc::ServerContext* ctx,
                           const v1::ConfirmTotpRequest* req,
                           v1::ConfirmTotpResponse* resp) override;
  grpc::Status DisableTotp(grpc::ServerContext* ctx,
                           const v1::DisableTotpRequest* req,
                           v1::DisableTotpResponse* resp) override;
  grpc::Status ListSessions(grpc::ServerContext* ctx,
                            const v1::ListSessionsRequest* req,
                            v1::ListSessionsResponse* resp) override;
  grpc::Status RevokeSession(grpc::ServerContext* ctx,
                             const v1::RevokeSessionRequest* req,
                             v1::RevokeSessionResponse* resp) override;
  // Permission checks (permission_check_handlers.cc).
  grpc::ServerUnaryReactor* CheckPermission(
      grpc::CallbackServerContext* ctx, const v1::CheckPermissionRequest* req,
      v1::CheckPermissionResponse* resp) override;
  grpc::ServerUnaryReactor* BatchCheckPermissions(
      grpc::CallbackServerContext* ctx,
      const v1::BatchCheckPermissionsRequest* req,
      v1::BatchCheckPermissionsResponse* resp) override;
  // SAML single sign-on (saml_handlers.cc).
  grpc::Status BeginSamlLogin(grpc::ServerContext* ctx,
                              const v1::BeginSamlLoginRequest* req,
                              v1::BeginSamlLoginResponse* resp) override;
  grpc::Status CompleteSamlLogin(grpc::ServerContext* ctx,
                                 const v1::CompleteSamlLoginRequest* req,
                                 v1::AuthenticateResponse* resp) override;
  grpc::Status GetSamlMetadata(grpc::ServerContext* ctx,
                               const v1::GetSamlMetadataRequest* req,
                               v1::GetSamlMetadataResponse* resp) override;

 private:
  CallRunner* runner_;
  SessionManager* sessions_;
  LoginLanes* logins_;
  BoundedExecutor* lookups_;
  ApiKeyManager* keys_;
  TotpManager* totp_;
  const saml::SamlProviders* saml_;  // SP metadata
  // The hot path's messages, on an arena per call. A single credential's
  // call and its answer take a few hundred bytes of it whatever the
  // principal holds (the principal's encoded bytes and the characters of a
  // long string come from the heap): a block that small keeps the holder
  // within the allocator's per-thread cache (about a kilobyte), which a
  // larger one would miss on every call. A batch of twenty checks and its
  // answer fit in 8 KiB.
  static constexpr size_t kSingleBytes = 640;
  ArenaMessages<v1::ValidateTokenRequest, v1::ValidateTokenResponse,
                kSingleBytes>
      validate_token_messages_;
  ArenaMessages<v1::ValidateApiKeyRequest, v1::ValidateApiKeyResponse,
                kSingleBytes>
      validate_api_key_messages_;
  ArenaMessages<v1::CheckPermissionRequest, v1::CheckPermissionResponse,
                kSingleBytes>
      check_messages_;
  ArenaMessages<v1::BatchCheckPermissionsRequest,
                v1::BatchCheckPermissionsResponse, 8192>
      batch_check_messages_;
};

// A login's answer (Authenticate, CompleteSamlLogin).
void ToProto(const LoginResult& login, v1::AuthenticateResponse* out);

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_AUTH_SERVICE_H_
