#include "services/api_key_service.h"

#include "absl/time/time.h"
#include "domain/operations.h"
#include "services/converters.h"

namespace identity::services {

grpc::Status ApiKeyServiceImpl::CreateApiKey(
    grpc::ServerContext* ctx, const v1::CreateApiKeyRequest* req,
    v1::CreateApiKeyResponse* resp) {
  return runner_->Run(ctx, op::kCreateApiKey, *req, [&](const Caller& c) {
    CreateApiKeyInput in;
    in.user_id = req->user_id();
    in.name = req->name();
    if (req->has_expires_at()) {
      in.expires_at = absl::FromUnixSeconds(req->expires_at().seconds()) +
                      absl::Nanoseconds(req->expires_at().nanos());
    }
    in.permissions.assign(req->permissions().begin(), req->permissions().end());
    absl::StatusOr<CreatedApiKey> created = keys_->Create(c, std::move(in));
    if (!created.ok()) return created.status();
    resp->set_api_key(created->secret);
    ToProto(created->key, resp->mutable_key());
    return absl::OkStatus();
  });
}

grpc::Status ApiKeyServiceImpl::ListApiKeys(grpc::ServerContext* ctx,
                                            const v1::ListApiKeysRequest* req,
                                            v1::ListApiKeysResponse* resp) {
  return runner_->Run(ctx, op::kListApiKeys, *req, [&](const Caller& c) {
    ListApiKeysInput in{req->user_id(), req->organization_id(),
                        req->page_size(), req->page_token()};
    absl::StatusOr<ListApiKeysResult> page = keys_->List(c, in);
    if (!page.ok()) return page.status();
    for (const domain::ApiKey& k : page->keys) ToProto(k, resp->add_keys());
    resp->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status ApiKeyServiceImpl::RevokeApiKey(grpc::ServerContext* ctx,
                                             const v1::RevokeApiKeyRequest* req,
                                             v1::ApiKey* resp) {
  return runner_->Run(ctx, op::kRevokeApiKey, *req, [&](const Caller& c) {
    absl::StatusOr<domain::ApiKey> key = keys_->Revoke(c, req->id());
    if (!key.ok()) return key.status();
    ToProto(*key, resp);
    return absl::OkStatus();
  });
}

}  // namespace identity::services
