// The domain's entities: users, organizations and their settings, sessions,
// API keys, roles, groups, provider settings and audit entries, as plain
// values. The store reads and writes them; no gRPC or SQL types here.
#ifndef IDENTITY_DOMAIN_RECORDS_H_
#define IDENTITY_DOMAIN_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace identity::domain {

enum class Origin { kInternal, kLdap, kSaml };

const char* OriginName(Origin origin);  // "INTERNAL", "LDAP", "SAML"
std::optional<Origin> ParseOrigin(absl::string_view name);

struct PasswordPolicySettings {
  int min_length = 12;
  bool require_upper = false;
  bool require_lower = false;
  bool require_digit = false;
  bool require_symbol = false;
  int history_size = 0;  // previous passwords a new one must differ from
  int max_age_days = 0;  // 0: passwords do not expire
};

struct SessionPolicySettings {
  int64_t idle_timeout_seconds = 0;       // 0: no idle timeout
  int64_t absolute_lifetime_seconds = 0;  // 0: the server's default lifetime
  int max_concurrent_sessions = 0;        // 0: unlimited
};

struct LockoutPolicySettings {
  int max_failed_attempts = 10;  // 0: never lock
  int64_t window_seconds = 900;
  int64_t lockout_seconds = 900;  // 0: until an admin unlocks
};

struct OrganizationSettings {
  PasswordPolicySettings password;
  SessionPolicySettings session;
  LockoutPolicySettings lockout;
  std::vector<std::string> trusted_ip_ranges;  // CIDR
  std::string terms_of_use_version;
  bool self_registration_enabled = false;
  bool require_totp = false;
  std::vector<std::string> login_domains;
};

struct Organization {
  std::string id;
  std::string name;
  OrganizationSettings settings;
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
  std::vector<std::string> add_on_roles;  // sorted
  std::vector<std::string> group_roles;   // held through groups, sorted
  // Permissions from custom roles held in any way, sorted.
  std::vector<std::string> custom_permissions;
  bool enabled = true;
  bool locked = false;  // locked now (a temporary lock that ran out is not)
  int failed_login_attempts = 0;
  std::optional<absl::Time> locked_until;  // set for a temporary lock
  absl::Time password_changed_at;
  bool pending = false;  // invited or registered, not yet activated
  bool must_accept_terms = false;
  std::string terms_accepted_version;
  bool totp_enabled = false;  // a confirmed TOTP second factor
  bool security_alerts = false;  // preference: mail on security events
  // The provider's link to the user (external origins): its stable id
  // (SAML NameID, LDAP entryUUID/objectGUID) and, for LDAP, the entry's DN.
  std::string external_id;
  std::string directory_dn;
  // Disabled because its provider said so (gone, disabled or expired
  // there), not by an administrator: the provider may enable it again.
  bool disabled_by_provider = false;
  absl::Time created_at;
  absl::Time updated_at;
  int64_t version = 0;
};

// A user with its stored password hash (empty for external origins). Only
// the login path reads this.
struct UserCredentials {
  User user;
  std::string password_hash;
  LockoutPolicySettings lockout;  // of the user's organization
  SessionPolicySettings session;  // of the user's organization
  int password_max_age_days = 0;  // of the user's organization
  std::string terms_of_use_version;  // of the user's organization
  bool require_totp = false;         // of the user's organization
};

struct TotpState {
  std::string secret_box;  // the sealed seed
  bool confirmed = false;
  int64_t last_step = 0;
};

enum class TokenPurpose { kInvitation, kEmailVerification };

struct Session {
  std::string id;
  std::string user_id;
  absl::Time created_at;
  absl::Time expires_at;
  absl::Time last_seen_at;
  std::string peer;  // where it was opened from
};

// A session with the user it belongs to and the user's organization's
// session policy, as token validation needs them.
struct SessionWithUser {
  Session session;
  User user;
  SessionPolicySettings policy;
  int password_max_age_days = 0;     // of the user's organization
  std::string terms_of_use_version;  // of the user's organization
  bool require_totp = false;         // of the user's organization
};

struct ApiKey {
  std::string id;
  std::string user_id;
  std::string organization_id;  // the owner's
  std::string name;
  std::string prefix;
  std::vector<std::string> permissions;  // empty: the owner's
  std::optional<absl::Time> expires_at;
  bool revoked = false;
  absl::Time created_at;
  std::optional<absl::Time> last_used_at;
};

// A key with its owner and the owner's organization's trusted ranges, as
// validation needs them.
struct ApiKeyWithOwner {
  ApiKey key;
  User owner;
  std::vector<std::string> trusted_ip_ranges;
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

// A custom role: a named set of permissions of one organization.
struct CustomRole {
  std::string id;
  std::string organization_id;
  std::string name;
  std::string description;
  std::vector<std::string> permissions;  // sorted
  int64_t version = 0;
};

struct Group {
  std::string id;
  std::string organization_id;
  std::string name;
  std::string description;
  std::vector<std::string> roles;  // sorted
  int64_t member_count = 0;
  int64_t version = 0;
};

struct GroupRoleMapping {
  std::string group;  // a group DN (LDAP) or group value (SAML)
  std::string primary_role;  // empty: no primary role from this group
  std::vector<std::string> add_on_roles;

  bool operator==(const GroupRoleMapping& o) const {
    return group == o.group && primary_role == o.primary_role &&
           add_on_roles == o.add_on_roles;
  }
};

// An organization's LDAP provider. `bind_password_box` is the sealed
// service-account password.
struct LdapProviderConfig {
  std::string organization_id;
  std::vector<std::string> urls;
  bool start_tls = false;
  std::string ca_certificate_pem;
  std::string bind_dn;
  std::string bind_password_box;
  std::string user_base_dn;
  std::string user_filter;
  std::string username_attribute;
  std::string email_attribute;
  std::string display_name_attribute;
  std::string group_base_dn;
  std::string group_member_attribute;
  std::string id_attribute;  // empty: detected from the root DSE
  std::vector<GroupRoleMapping> group_role_mappings;
  std::string default_role = "BASIC_USER";
  int connect_timeout_ms = 3000;
  int operation_timeout_ms = 5000;
  int pool_size = 4;
  int64_t version = 0;
};

// An AuthnRequest sent to an IdP and not answered yet.
struct SamlRequest {
  std::string id;
  std::string organization_id;
  std::string relay_state_digest;
  std::string return_url;
  absl::Time expires_at;
};

// An audit entry as stored.
struct AuditEvent {
  int64_t id = 0;
  uint64_t xid = 0;  // the inserting transaction (0: before the stream existed)
  absl::Time occurred_at;
  AuditEntry entry;
};

// A user as its external provider describes it at login: created on first
// login, and its profile and roles replaced on every later one.
struct ExternalUser {
  std::string organization_id;
  Origin origin = Origin::kLdap;
  std::string username;
  std::string email;
  std::string display_name;
  std::string primary_role;
  std::vector<std::string> add_on_roles;
  std::string external_id;  // the IdP's stable subject id (SAML NameID)
  std::string directory_dn;  // LDAP: the entry's DN
  // The provider's view: false when the directory disabled the account (or
  // it expired there). The store keeps an administrator's disable.
  bool enabled = true;
};

}  // namespace identity::domain

#endif  // IDENTITY_DOMAIN_RECORDS_H_
