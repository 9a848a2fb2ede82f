// API keys: creation with a permission scope no wider than the owner's,
// listing, revocation, and validation for gateways (trusted IP ranges).
#ifndef IDENTITY_APPLICATION_API_KEYS_API_KEYS_H_
#define IDENTITY_APPLICATION_API_KEYS_API_KEYS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "application/sessions/credential_cache.h"
#include "domain/principal.h"
#include "application/users/security_alerts.h"
#include "storage/store.h"

namespace identity {

struct CreateApiKeyInput {
  std::string user_id;  // empty: the caller
  std::string name;
  std::optional<absl::Time> expires_at;
  std::vector<std::string> permissions;
};

struct CreatedApiKey {
  std::string secret;  // shown once
  domain::ApiKey key;
};

struct ListApiKeysInput {
  std::string user_id;
  std::string organization_id;
  int page_size = 0;
  std::string page_token;
};

struct ListApiKeysResult {
  std::vector<domain::ApiKey> keys;
  std::string next_page_token;
};

class ApiKeyManager {
 public:
  // `cache` may be null: every validation then reads the store.
  ApiKeyManager(storage::Store* store, SecurityAlerts* alerts,
                CredentialCache* cache)
      : store_(store), alerts_(alerts), cache_(cache) {}

  absl::StatusOr<CreatedApiKey> Create(const Caller& caller,
                                       CreateApiKeyInput in);
  absl::StatusOr<ListApiKeysResult> List(const Caller& caller,
                                         const ListApiKeysInput& in);
  absl::StatusOr<domain::ApiKey> Revoke(const Caller& caller,
                                         absl::string_view id);

  // UNAUTHENTICATED for an unknown, revoked or expired key or an owner that
  // cannot log in; PERMISSION_DENIED for a client IP outside the trusted
  // ranges of the owner's organization (empty ranges: any IP).
  absl::StatusOr<Principal> Validate(absl::string_view api_key,
                                     absl::string_view client_ip);
  // Validate's answer when memory gives it; nullopt when it takes a
  // database read (see SessionManager::ValidateFromMemory).
  // The principal is built once per cached row and shared.
  std::optional<absl::StatusOr<SharedPrincipal>> ValidateFromMemory(
      absl::string_view api_key, absl::string_view client_ip);

 private:
  // Drops the keys whose owners `caller` could not act on (over_account).
  absl::Status KeepCoveredOwners(const Principal& caller,
                                 std::vector<domain::ApiKey>* keys);
  // The principal of a usable key row; UNAUTHENTICATED, or PERMISSION_DENIED
  // from outside the trusted IP ranges, otherwise.
  absl::StatusOr<Principal> Admit(const domain::ApiKeyWithOwner& found,
                                  absl::string_view client_ip);
  // OK for a key usable now from `client_ip`, else Admit's refusal.
  static absl::Status Usable(const domain::ApiKeyWithOwner& found,
                             absl::string_view client_ip);
  // The principal of a usable key row: it depends on the row alone.
  static Principal PrincipalOf(const domain::ApiKeyWithOwner& found);
  // Writes the key's last use when the recorded one is a minute old, and
  // keeps the entry the cache holds under `cache_key` in step.
  void RecordUse(const domain::ApiKeyWithOwner& found,
                 const std::string& cache_key);
  // Whether a validation of `found` at `now` records its use.
  static bool UseDue(const domain::ApiKeyWithOwner& found, absl::Time now);

  storage::Store* store_;
  SecurityAlerts* alerts_;
  CredentialCache* cache_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_API_KEYS_API_KEYS_H_
