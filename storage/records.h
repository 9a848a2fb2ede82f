// Plain rows as the storage layer reads and writes them. No gRPC types here.
#ifndef IDENTITY_STORAGE_RECORDS_H_
#define IDENTITY_STORAGE_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace identity::storage {

enum class Origin { kInternal, kLdap, kSaml };

const char* OriginName(Origin origin);  // "INTERNAL", "LDAP", "SAML"
std::optional<Origin> ParseOrigin(absl::string_view name);

struct Organization {
  std::string id;
  std::string name;
  absl::Time created_at;
  absl::Time updated_at;
  int64_t version = 0;
};

struct User {
  std::string id;
  std::string organization_id;
  std::string username;
  std::string email;
  std::string display_name;
  std::string image_url;
  std::string time_zone;
  Origin origin = Origin::kInternal;
  std::string primary_role;
  bool enabled = true;
  bool locked = false;
  absl::Time created_at;
  absl::Time updated_at;
  int64_t version = 0;
};

// A user with its stored password hash (empty for external origins). Only
// the login path reads this.
struct UserCredentials {
  User user;
  std::string password_hash;
};

struct Session {
  std::string id;
  std::string user_id;
  absl::Time created_at;
  absl::Time expires_at;
};

// A session with the user it belongs to, as token validation needs it.
struct SessionWithUser {
  Session session;
  User user;
};

// Who did what to which object; written in the transaction of the change.
struct AuditEntry {
  std::string actor_id;  // empty for anonymous or the system
  std::string actor_username;
  std::string action;  // e.g. "user.create"
  std::string target_type;
  std::string target_id;  // filled in by the store when a row is created
  std::string organization_id;
  std::string peer;
  std::string details_json = "{}";  // never holds a secret
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_RECORDS_H_
