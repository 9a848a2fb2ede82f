// The storage contract. The identity layer depends on this interface only;
// PostgreSQL is one implementation (storage/pg/).
//
// Every write takes the AuditEntry that describes it and stores it in the
// same transaction, so a change and its audit event exist together or not at
// all. Errors: NOT_FOUND, ALREADY_EXISTS (unique names), ABORTED (stale
// version or serialization conflict), FAILED_PRECONDITION (a rule the schema
// or a lock protects), UNAVAILABLE (database unreachable), INTERNAL.
#ifndef IDENTITY_STORAGE_STORE_H_
#define IDENTITY_STORAGE_STORE_H_

#include <memory>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/queries.h"
#include "storage/records.h"

namespace identity::storage {

// Held until destroyed; see Store::TryClusterLock.
class ClusterLock {
 public:
  virtual ~ClusterLock() = default;
};

class Store {
 public:
  virtual ~Store() = default;

  // Organizations.
  virtual absl::StatusOr<Organization> CreateOrganization(
      absl::string_view name, const AuditEntry& audit) = 0;
  virtual absl::StatusOr<Organization> GetOrganization(absl::string_view id) = 0;
  virtual absl::StatusOr<Page<Organization>> ListOrganizations(
      const OrganizationListQuery& query) = 0;
  virtual absl::StatusOr<Organization> UpdateOrganization(
      const OrganizationUpdate& update, const AuditEntry& audit) = 0;
  // FAILED_PRECONDITION while the organization still has users.
  virtual absl::Status DeleteOrganization(absl::string_view id,
                                          const AuditEntry& audit) = 0;

  struct MoveCounts {
    int64_t users = 0;
    int64_t api_keys = 0;
    int64_t roles = 0;
    int64_t groups = 0;
  };
  // Moves every user (and so its keys and sessions), custom role and group
  // of `source` to `target` in one transaction; NOT_FOUND when either is
  // missing, FAILED_PRECONDITION (nothing moved) when role or group names
  // collide.
  virtual absl::StatusOr<MoveCounts> MoveOrganizationContents(
      absl::string_view source, absl::string_view target,
      const AuditEntry& audit) = 0;

  // NOT_FOUND when no organization has this name (case-insensitive) or
  // lists this domain in login_domains.
  virtual absl::StatusOr<Organization> FindOrganizationByName(
      absl::string_view name) = 0;
  virtual absl::StatusOr<Organization> FindOrganizationByLoginDomain(
      absl::string_view domain) = 0;

  // Users. Creating one (here, by SyncExternalUser or the bootstrap)
  // first deletes a pending self-registration of the same username, in
  // any organization, with a "registration.discard" audit event.
  virtual absl::StatusOr<User> CreateUser(const NewUser& user,
                                          const AuditEntry& audit) = 0;
  virtual absl::StatusOr<User> GetUser(absl::string_view id) = 0;
  // Case-insensitive; NOT_FOUND when no such user, or only a pending
  // self-registration (which holds no name: nobody can log in with it).
  virtual absl::StatusOr<UserCredentials> GetCredentialsByUsername(
      absl::string_view username) = 0;
  virtual absl::StatusOr<UserCredentials> GetCredentials(
      absl::string_view user_id) = 0;
  virtual absl::StatusOr<Page<User>> ListUsers(const UserListQuery& query) = 0;
  virtual absl::StatusOr<User> UpdateUserProfile(
      const UserProfileUpdate& update, const AuditEntry& audit) = 0;
  // The last three refuse, with FAILED_PRECONDITION, a change that would
  // leave no enabled internal GLOBAL_ADMIN. Disabling ends all sessions.
  virtual absl::StatusOr<User> SetUserEnabled(absl::string_view id,
                                              bool enabled,
                                              const AuditEntry& audit) = 0;
  virtual absl::StatusOr<User> SetPrimaryRole(absl::string_view id,
                                              absl::string_view role,
                                              const AuditEntry& audit) = 0;
  // Adds or removes an add-on role; a no-op (and no audit) when unchanged.
  virtual absl::StatusOr<User> SetAddOnRole(absl::string_view user_id,
                                            absl::string_view role,
                                            bool granted,
                                            const AuditEntry& audit) = 0;
  // Creates the user (`existing_id` empty) or replaces its profile and roles
  // (the last-admin rule applies to demotions).
  virtual absl::StatusOr<User> SyncExternalUser(absl::string_view existing_id,
                                                const ExternalUser& user,
                                                const AuditEntry& audit) = 0;
  // A provider's word on a user's state: disables it (as the provider's
  // doing, ending its sessions) or enables it again only if the provider
  // had disabled it. A no-op without audit when nothing changes; an
  // administrator's disable is never undone. SyncExternalUser applies
  // `user.enabled` the same way.
  virtual absl::StatusOr<User> SetUserEnabledByProvider(
      absl::string_view id, bool enabled, const AuditEntry& audit) = 0;
  // A lock named `name` shared by every replica on this database, held until
  // the returned object is destroyed (or its holder dies). ABORTED at once
  // when another holder has it.
  virtual absl::StatusOr<std::unique_ptr<ClusterLock>> TryClusterLock(
      absl::string_view name) = 0;
  virtual absl::Status DeleteUser(absl::string_view id,
                                  const AuditEntry& audit) = 0;
  // Counts a failed login against `policy` and writes `failure`; when the
  // count reaches the threshold, locks the account and writes `lock` too.
  // Returns true if this call locked it.
  virtual absl::StatusOr<bool> RecordLoginFailure(
      absl::string_view user_id, const LockoutPolicySettings& policy,
      const AuditEntry& failure, const AuditEntry& lock) = 0;
  // Clears the lock and the failed-login count.
  virtual absl::StatusOr<User> UnlockUser(absl::string_view id,
                                          const AuditEntry& audit) = 0;
  // Stores a new hash (the old one goes to the history) and ends the user's
  // sessions except `keep_session_id`.
  virtual absl::Status SetPasswordHash(absl::string_view user_id,
                                       absl::string_view hash,
                                       absl::string_view keep_session_id,
                                       const AuditEntry& audit) = 0;
  // The user's previous password hashes, newest first (at most 24 kept).
  virtual absl::StatusOr<std::vector<std::string>> GetPasswordHistory(
      absl::string_view user_id, int limit) = 0;
  // Replaces a hash after a parameter upgrade; not an audited change of state.
  virtual absl::Status RehashPassword(absl::string_view user_id,
                                      absl::string_view old_hash,
                                      absl::string_view new_hash) = 0;

  // Single-use tokens for invitations and email verification. Issuing one
  // voids the user's earlier tokens of the same purpose.
  virtual absl::Status IssueUserToken(absl::string_view user_id,
                                      TokenPurpose purpose,
                                      absl::string_view token_digest,
                                      absl::Time expires_at,
                                      const AuditEntry& audit) = 0;
  // The user a live token belongs to, without using it: NOT_FOUND for an
  // unknown, used or voided token, FAILED_PRECONDITION for an expired one.
  virtual absl::StatusOr<User> PeekUserToken(absl::string_view token_digest,
                                             TokenPurpose purpose) = 0;
  // Uses a token: NOT_FOUND for an unknown, used or voided one,
  // FAILED_PRECONDITION for an expired one (left as it is). On success the
  // user stops being pending, gets `password_hash` when not empty, and
  // `audit` is written.
  virtual absl::StatusOr<User> RedeemUserToken(absl::string_view token_digest,
                                               TokenPurpose purpose,
                                               absl::string_view password_hash,
                                               const AuditEntry& audit) = 0;
  virtual absl::StatusOr<User> AcceptTerms(absl::string_view user_id,
                                           absl::string_view version,
                                           const AuditEntry& audit) = 0;
  // Deletes up to `limit` self-registrations past registration_expires_at,
  // each with a "registration.expire" audit event; returns how many.
  virtual absl::StatusOr<int64_t> PurgeExpiredRegistrations(int limit) = 0;

  // TOTP. Saving replaces an unconfirmed seed; FAILED_PRECONDITION when a
  // confirmed one exists.
  virtual absl::Status SaveTotp(absl::string_view user_id,
                                absl::string_view secret_box,
                                const AuditEntry& audit) = 0;
  // NOT_FOUND when the user has none.
  virtual absl::StatusOr<TotpState> GetTotp(absl::string_view user_id) = 0;
  // Confirms the seed at `step` and replaces the recovery codes.
  virtual absl::Status ConfirmTotp(absl::string_view user_id, int64_t step,
                                   const std::vector<std::string>& code_digests,
                                   const AuditEntry& audit) = 0;
  // True if `step` is later than any used before (and records it): a code
  // is never accepted twice.
  virtual absl::StatusOr<bool> UseTotpStep(absl::string_view user_id,
                                           int64_t step) = 0;
  // True if the code was unused (and now is used).
  virtual absl::StatusOr<bool> UseRecoveryCode(absl::string_view user_id,
                                               absl::string_view digest) = 0;
  virtual absl::Status DeleteTotp(absl::string_view user_id,
                                  const AuditEntry& audit) = 0;

  // Sessions. Creating one also clears the user's failed-login count.
  virtual absl::StatusOr<Session> CreateSession(const NewSession& session,
                                                const AuditEntry& audit) = 0;
  virtual absl::StatusOr<SessionWithUser> GetSessionByDigest(
      absl::string_view token_digest) = 0;
  virtual absl::Status DeleteSession(absl::string_view session_id,
                                     const AuditEntry& audit) = 0;
  virtual absl::StatusOr<Session> GetSession(absl::string_view session_id) = 0;
  // A user's live sessions, newest first.
  virtual absl::StatusOr<std::vector<Session>> ListSessions(
      absl::string_view user_id) = 0;
  // Records activity for the idle timeout.
  virtual absl::Status TouchSession(absl::string_view session_id) = 0;

  // Custom roles. Names are unique within an organization.
  virtual absl::StatusOr<CustomRole> CreateRole(const CustomRole& role,
                                                const AuditEntry& audit) = 0;
  virtual absl::StatusOr<CustomRole> GetRole(absl::string_view id) = 0;
  // NOT_FOUND when `organization_id` has no custom role `name`.
  virtual absl::StatusOr<CustomRole> FindRole(absl::string_view organization_id,
                                              absl::string_view name) = 0;
  virtual absl::StatusOr<std::vector<CustomRole>> ListRoles(
      absl::string_view organization_id) = 0;
  // Replaces description and permissions; ABORTED for a stale version.
  virtual absl::StatusOr<CustomRole> UpdateRole(const CustomRole& role,
                                                int64_t expected_version,
                                                const AuditEntry& audit) = 0;
  // FAILED_PRECONDITION while a user or a group holds the role.
  virtual absl::Status DeleteRole(absl::string_view id,
                                  const AuditEntry& audit) = 0;

  // Groups.
  virtual absl::StatusOr<Group> CreateGroup(const Group& group,
                                            const AuditEntry& audit) = 0;
  virtual absl::StatusOr<Group> GetGroup(absl::string_view id) = 0;
  virtual absl::StatusOr<Page<Group>> ListGroups(
      absl::string_view organization_id, int limit,
      const std::optional<Cursor>& after) = 0;
  virtual absl::Status DeleteGroup(absl::string_view id,
                                   const AuditEntry& audit) = 0;
  virtual absl::StatusOr<Group> SetGroupRoles(
      absl::string_view id, const std::vector<std::string>& roles,
      const AuditEntry& audit) = 0;
  // Adding is idempotent; the user must belong to the group's organization.
  virtual absl::StatusOr<Group> SetGroupMember(absl::string_view group_id,
                                               absl::string_view user_id,
                                               bool member,
                                               const AuditEntry& audit) = 0;

  // Identity providers. NOT_FOUND when the organization has none.
  virtual absl::StatusOr<LdapProviderConfig> GetLdapProvider(
      absl::string_view organization_id) = 0;
  // Creates or replaces the organization's LDAP provider.
  virtual absl::StatusOr<LdapProviderConfig> PutLdapProvider(
      const LdapProviderConfig& config, const AuditEntry& audit) = 0;

  // SAML. NOT_FOUND without a provider; ALREADY_EXISTS for an SP entity id
  // another organization uses.
  virtual absl::StatusOr<SamlProviderConfig> GetSamlProvider(
      absl::string_view organization_id) = 0;
  virtual absl::StatusOr<SamlProviderConfig> PutSamlProvider(
      const SamlProviderConfig& config, const AuditEntry& audit) = 0;
  // Every organization's SAML provider (for certificate expiry metrics).
  virtual absl::StatusOr<std::vector<SamlProviderConfig>> ListSamlProviders() = 0;
  virtual absl::Status CreateSamlRequest(const SamlRequest& request) = 0;
  // The unexpired, unused request with this relay state digest, marked used
  // in the same step (NOT_FOUND otherwise: unknown, expired or used).
  virtual absl::StatusOr<SamlRequest> ConsumeSamlRequest(
      absl::string_view relay_state_digest) = 0;
  // ALREADY_EXISTS when the organization has seen this assertion ID.
  virtual absl::Status RecordSamlAssertion(absl::string_view organization_id,
                                           absl::string_view assertion_id,
                                           absl::Time expires_at) = 0;
  // The user of `origin` in the organization with this external id.
  virtual absl::StatusOr<UserCredentials> GetCredentialsByExternalId(
      absl::string_view organization_id, Origin origin,
      absl::string_view external_id) = 0;

  // API keys.
  virtual absl::StatusOr<ApiKey> CreateApiKey(const NewApiKey& key,
                                              const AuditEntry& audit) = 0;
  virtual absl::StatusOr<ApiKey> GetApiKey(absl::string_view id) = 0;
  virtual absl::StatusOr<ApiKeyWithOwner> GetApiKeyByDigest(
      absl::string_view key_digest) = 0;
  virtual absl::StatusOr<Page<ApiKey>> ListApiKeys(
      const ApiKeyListQuery& query) = 0;
  virtual absl::StatusOr<ApiKey> RevokeApiKey(absl::string_view id,
                                              const AuditEntry& audit) = 0;
  // Records use; writes at most about once a minute per key.
  virtual absl::Status TouchApiKey(absl::string_view id) = 0;

  // Audit events that are not part of another change (failed logins).
  virtual absl::Status RecordAudit(const AuditEntry& audit) = 0;
  // Newest first; `next` holds the last id as its sort key when more follow.
  virtual absl::StatusOr<Page<AuditEvent>> ListAuditEvents(
      const AuditQuery& query) = 0;
  // The audit stream: events after `after` that match `filter` (its
  // before_id is ignored), in position order, at most `filter.limit`, and
  // only final ones (every transaction that could insert in front of them
  // has ended). `pending`: committed events wait for an older transaction.
  virtual absl::StatusOr<AuditStreamPage> ReadAuditStream(
      const AuditQuery& filter, const AuditPosition& after) = 0;
  // The position of the last final event ({0, 0} when there is none).
  virtual absl::StatusOr<AuditPosition> AuditStreamHead() = 0;

  // Creates the organization (if missing) and an internal GLOBAL_ADMIN user
  // unless an enabled internal GLOBAL_ADMIN exists. Safe when many replicas
  // run it at once. Returns true if it created the user.
  virtual absl::StatusOr<bool> EnsureBootstrapAdmin(const NewUser& admin,
                                                    absl::string_view org_name,
                                                    const AuditEntry& audit) = 0;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_STORE_H_
