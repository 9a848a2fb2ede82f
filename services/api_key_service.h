#ifndef IDENTITY_SERVICES_API_KEY_SERVICE_H_
#define IDENTITY_SERVICES_API_KEY_SERVICE_H_

#include "application/api_keys/api_keys.h"
#include "identity/v1/api_key_service.grpc.pb.h"
#include "services/call.h"

namespace identity::services {

class ApiKeyServiceImpl final : public v1::ApiKeyService::Service {
 public:
  ApiKeyServiceImpl(CallRunner* runner, ApiKeyManager* keys)
      : runner_(runner), keys_(keys) {}

  grpc::Status CreateApiKey(grpc::ServerContext* ctx,
                            const v1::CreateApiKeyRequest* req,
                            v1::CreateApiKeyResponse* resp) override;
  grpc::Status ListApiKeys(grpc::ServerContext* ctx,
                           const v1::ListApiKeysRequest* req,
                           v1::ListApiKeysResponse* resp) override;
  grpc::Status RevokeApiKey(grpc::ServerContext* ctx,
                            const v1::RevokeApiKeyRequest* req,
                            v1::ApiKey* resp) override;

 private:
  CallRunner* runner_;
  ApiKeyManager* keys_;
};

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_API_KEY_SERVICE_H_
