// API keys, found by the digest of the key.
#ifndef IDENTITY_STORAGE_PORTS_API_KEYS_H_
#define IDENTITY_STORAGE_PORTS_API_KEYS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/queries.h"
#include "storage/queries.h"

namespace identity::storage {

class ApiKeyReads {
 public:
  virtual ~ApiKeyReads() = default;

  virtual absl::StatusOr<ApiKey> GetApiKey(absl::string_view id) = 0;
  virtual absl::StatusOr<ApiKeyWithOwner> GetApiKeyByDigest(
      absl::string_view key_digest) = 0;
  virtual absl::StatusOr<Page<ApiKey>> ListApiKeys(
      const ApiKeyListQuery& query) = 0;
};

class ApiKeyWrites {
 public:
  virtual ~ApiKeyWrites() = default;

  virtual absl::StatusOr<ApiKey> CreateApiKey(const NewApiKey& key,
                                              const AuditEntry& audit) = 0;
  virtual absl::StatusOr<ApiKey> RevokeApiKey(absl::string_view id,
                                              const AuditEntry& audit) = 0;
  // Records use; writes at most about once a minute per key.
  virtual absl::Status TouchApiKey(absl::string_view id) = 0;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PORTS_API_KEYS_H_
