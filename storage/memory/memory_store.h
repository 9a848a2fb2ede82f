// An in-memory store for unit tests of the use cases: no PostgreSQL, every
// call in microseconds. It passes the same conformance cases as the
// PostgreSQL store (tests/storage/), so a rule the use cases rely on (the
// last-admin rule, lockout counting, provider disables) behaves here as it
// does in production.
//
// It covers organizations, users, credentials (lockout counting, password
// hashes and their history), externally managed users, identity provider
// settings and the audit log. Sessions, tokens, TOTP, roles, groups, SAML
// state and API keys are not here: use the PostgreSQL store for what needs
// them.
// Not for production: nothing survives the process, and add-on roles are
// not checked against a role catalog.
#ifndef IDENTITY_STORAGE_MEMORY_MEMORY_STORE_H_
#define IDENTITY_STORAGE_MEMORY_MEMORY_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "storage/ports/audit.h"
#include "storage/ports/credentials.h"
#include "storage/ports/external_users.h"
#include "storage/ports/organizations.h"
#include "storage/ports/provider_settings.h"
#include "storage/ports/users.h"

namespace identity::storage {

class MemoryStore : public OrganizationReads,
                    public OrganizationWrites,
                    public UserReads,
                    public UserWrites,
                    public Credentials,
                    public ExternalUsers,
                    public ProviderSettings,
                    public AuditReads,
                    public AuditWrites {
 public:
  // `clock` stands in for the database's now(): tests move it to pass a
  // lockout window or the end of a lock.
  explicit MemoryStore(std::function<absl::Time()> clock = absl::Now)
      : clock_(std::move(clock)) {}

  // Until cleared with an OK status, every call of the method named
  // `method` (e.g. "RecordLoginFailure") answers `status` and changes
  // nothing: a database that is down, for the fail-closed paths.
  void FailCalls(absl::string_view method, absl::Status status);
  // Every audit event written, oldest first.
  std::vector<AuditEntry> AuditEntries() const;

  // OrganizationReads.
  absl::StatusOr<Organization> GetOrganization(absl::string_view id) override;
  absl::StatusOr<Page<Organization>> ListOrganizations(
      const OrganizationListQuery& query) override;
  absl::StatusOr<Organization> FindOrganizationByName(
      absl::string_view name) override;
  absl::StatusOr<Organization> FindOrganizationByLoginDomain(
      absl::string_view domain) override;
  // OrganizationWrites. MoveOrganizationContents is UNIMPLEMENTED.
  absl::StatusOr<Organization> CreateOrganization(
      absl::string_view name, const AuditEntry& audit) override;
  absl::StatusOr<Organization> UpdateOrganization(
      const OrganizationUpdate& update, const AuditEntry& audit) override;
  absl::Status DeleteOrganization(absl::string_view id,
                                  const AuditEntry& audit) override;
  absl::StatusOr<MoveCounts> MoveOrganizationContents(
      absl::string_view source, absl::string_view target,
      const AuditEntry& audit) override;

  // UserReads.
  absl::StatusOr<User> GetUser(absl::string_view id) override;
  absl::StatusOr<UserCredentials> GetCredentialsByUsername(
      absl::string_view username) override;
  absl::StatusOr<UserCredentials> GetCredentials(
      absl::string_view user_id) override;
  absl::StatusOr<Page<User>> ListUsers(const UserListQuery& query) override;
  // UserWrites.
  absl::StatusOr<User> CreateUser(const NewUser& user,
                                  const AuditEntry& audit) override;
  absl::StatusOr<User> UpdateUserProfile(const UserProfileUpdate& update,
                                         const AuditEntry& audit) override;
  absl::StatusOr<User> SetUserEnabled(absl::string_view id, bool enabled,
                                      const AuditEntry& audit) override;
  absl::StatusOr<User> SetPrimaryRole(absl::string_view id,
                                      absl::string_view role,
                                      const AuditEntry& audit) override;
  absl::StatusOr<User> SetAddOnRole(absl::string_view user_id,
                                    absl::string_view role, bool granted,
                                    const AuditEntry& audit) override;
  absl::Status DeleteUser(absl::string_view id,
                          const AuditEntry& audit) override;

  // Credentials.
  absl::StatusOr<bool> RecordLoginFailure(absl::string_view user_id,
                                          const LockoutPolicySettings& policy,
                                          const AuditEntry& failure,
                                          const AuditEntry& lock) override;
  absl::StatusOr<User> UnlockUser(absl::string_view id,
                                  const AuditEntry& audit) override;
  absl::Status SetPasswordHash(absl::string_view user_id,
                               absl::string_view hash,
                               absl::string_view keep_session_id,
                               const AuditEntry& audit) override;
  absl::StatusOr<std::vector<std::string>> GetPasswordHistory(
      absl::string_view user_id, int limit) override;
  absl::Status RehashPassword(absl::string_view user_id,
                              absl::string_view old_hash,
                              absl::string_view new_hash) override;

  // ExternalUsers.
  absl::StatusOr<UserCredentials> GetCredentialsByExternalId(
      absl::string_view organization_id, Origin origin,
      absl::string_view external_id) override;
  absl::StatusOr<User> SyncExternalUser(absl::string_view existing_id,
                                        const ExternalUser& user,
                                        const AuditEntry& audit) override;
  absl::StatusOr<User> SetUserEnabledByProvider(
      absl::string_view id, bool enabled, const AuditEntry& audit) override;

  // ProviderSettings.
  absl::StatusOr<ProviderSettingsRecord> GetProviderSettings(
      absl::string_view organization_id, absl::string_view type) override;
  absl::StatusOr<ProviderSettingsRecord> PutProviderSettings(
      const ProviderSettingsRecord& record,
      std::optional<int64_t> expected_version,
      const std::optional<AuditEntry>& audit,
      std::optional<Origin> unlink_stable_ids) override;
  absl::StatusOr<std::vector<ProviderSettingsRecord>> ListProviderSettings(
      absl::string_view type) override;

  // Audit.
  absl::StatusOr<Page<AuditEvent>> ListAuditEvents(
      const AuditQuery& query) override;
  absl::Status RecordAudit(const AuditEntry& audit) override;

 private:
  // A user as the users table holds it; `user` carries the columns that
  // are read back as they are.
  struct UserRow {
    User user;
    std::string password_hash;
    std::vector<std::string> password_history;  // newest first
    std::optional<absl::Time> registration_expires_at;
    bool locked = false;  // may have run out: see Visible()
    std::optional<absl::Time> first_failed_login_at;
    std::string disabled_by;  // "", "admin" or "provider"
  };

  absl::Status Injected(absl::string_view method) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string NextId() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Audit(const AuditEntry& entry) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The user as a read of it answers now.
  User Visible(const UserRow& row) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  UserCredentials CredentialsOf(const UserRow& row) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  UserRow* FindRow(absl::string_view id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  UserRow* FindByName(absl::string_view username)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Touch(UserRow& row) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Applies `change` to a copy of the users; keeps it only when the
  // last-admin rule still holds, as the PostgreSQL store checks after its
  // update inside the transaction.
  absl::Status ChangeGuarded(UserRow& row,
                             const std::function<void(UserRow&)>& change)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status GlobalAdminLeft() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void DiscardPendingRegistration(absl::string_view username,
                                  const AuditEntry& cause)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Applies a provider's view of `enabled`; true when something changed.
  bool ApplyProviderState(UserRow& row, bool enabled)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::function<absl::Time()> clock_;
  mutable absl::Mutex mu_;
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::map<std::string, Organization> organizations_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, UserRow> users_ ABSL_GUARDED_BY(mu_);
  // By organization id, then type.
  std::map<std::pair<std::string, std::string>, ProviderSettingsRecord>
      provider_settings_ ABSL_GUARDED_BY(mu_);
  std::vector<AuditEvent> audit_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, absl::Status, std::less<>> failures_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_MEMORY_MEMORY_STORE_H_
