// Inputs of the store's writes and list reads.
#ifndef IDENTITY_STORAGE_QUERIES_H_
#define IDENTITY_STORAGE_QUERIES_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "domain/records.h"

namespace identity::storage {

// The entities this layer stores are the domain's; storage code names them
// by their short names.
using domain::Origin;
using domain::PasswordPolicySettings;
using domain::SessionPolicySettings;
using domain::LockoutPolicySettings;
using domain::OrganizationSettings;
using domain::Organization;
using domain::User;
using domain::UserCredentials;
using domain::TotpState;
using domain::TokenPurpose;
using domain::Session;
using domain::SessionWithUser;
using domain::ApiKey;
using domain::ApiKeyWithOwner;
using domain::AuditEntry;
using domain::CustomRole;
using domain::Group;
using domain::GroupRoleMapping;
using domain::SamlRequest;
using domain::AuditEvent;
using domain::ExternalUser;
using domain::OriginName;
using domain::ParseOrigin;


struct NewUser {
  std::string organization_id;
  std::string username;
  std::string email;
  std::string display_name;
  std::string image_url;
  std::string time_zone;
  Origin origin = Origin::kInternal;
  std::string primary_role;
  std::string password_hash;  // INTERNAL only
  bool pending = false;
  bool must_accept_terms = false;
  // Set for a self-registration: pending until verified, replaceable by
  // anyone else claiming the username, purged after this time.
  std::optional<absl::Time> registration_expires_at;
};

struct UserProfileUpdate {
  std::string id;
  std::optional<std::string> email;
  std::optional<std::string> display_name;
  std::optional<std::string> image_url;
  std::optional<std::string> time_zone;
  std::optional<bool> security_alerts;
  int64_t expected_version = 0;  // 0: do not check
};

// A read-modify-write of one organization: `apply` edits the current row
// under a row lock; an error from it leaves the row untouched.
struct OrganizationUpdate {
  std::string id;
  int64_t expected_version = 0;  // 0: do not check
  std::function<absl::Status(Organization*)> apply;
};

// Keyset position: the sort key and id of the last row of the previous page.
struct Cursor {
  std::string sort_key;
  std::string id;
};

struct UserListQuery {
  std::optional<std::string> organization_id;
  std::optional<Origin> origin;
  std::optional<bool> enabled;
  std::optional<std::string> primary_role;
  std::string text;  // substring match, case-insensitive
  int limit = 50;
  std::optional<Cursor> after;
};

struct OrganizationListQuery {
  std::optional<std::string> only_id;  // restrict to one organization
  int limit = 50;
  std::optional<Cursor> after;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<Cursor> next;  // set when more rows follow
};

struct NewSession {
  std::string user_id;
  std::string token_digest;  // SHA-256 of the token; the token is never stored
  absl::Time expires_at;
  std::string peer;
  int max_concurrent = 0;  // > 0: end the user's oldest sessions beyond this
};

struct NewApiKey {
  std::string user_id;
  std::string name;
  std::string prefix;
  std::string key_digest;  // SHA-256 of the key; the key is never stored
  std::vector<std::string> permissions;
  std::optional<absl::Time> expires_at;
};

struct ApiKeyListQuery {
  std::optional<std::string> organization_id;
  std::optional<std::string> user_id;
  int limit = 50;
  std::optional<Cursor> after;
};

struct AuditQuery {
  std::optional<std::string> organization_id;
  std::optional<std::string> actor_id;
  std::optional<std::string> target_id;
  std::optional<std::string> action;         // exact match
  std::optional<std::string> action_prefix;  // e.g. "user."
  std::optional<absl::Time> since;
  std::optional<absl::Time> until;
  int limit = 50;
  std::optional<int64_t> before_id;  // keyset: events older than this id
};

// A place in the audit stream: the inserting transaction's id, then the
// event's id. Every event at or before a position handed out is final.
struct AuditPosition {
  uint64_t xid = 0;
  int64_t id = 0;
  friend bool operator<(const AuditPosition& a, const AuditPosition& b) {
    return a.xid != b.xid ? a.xid < b.xid : a.id < b.id;
  }
};

struct AuditStreamPage {
  std::vector<AuditEvent> events;
  bool pending = false;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_QUERIES_H_
