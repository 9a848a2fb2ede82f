// The Store on PostgreSQL (libpqxx 6). One transaction per store call.
#ifndef IDENTITY_STORAGE_PG_PG_STORE_H_
#define IDENTITY_STORAGE_PG_PG_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include "absl/strings/string_view.h"

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "absl/status/statusor.h"
#include "storage/pg/connection_pool.h"
#include "storage/pg/errors.h"
#include "storage/change_feed.h"
#include "storage/store.h"

namespace identity::storage {

class PgStore : public Store {
 public:
  explicit PgStore(std::shared_ptr<ConnectionPool> pool)
      : pool_(std::move(pool)) {}

  // Told, right after each commit of this process, what the committed
  // transaction changed (migration 0013's identity.changes), so caches here
  // see their own writes at once. Set before serving; may be null.
  void set_change_sink(ChangeSink* sink) { change_sink_ = sink; }

  absl::StatusOr<Organization> CreateOrganization(
      absl::string_view name, const AuditEntry& audit) override;
  absl::StatusOr<Organization> GetOrganization(absl::string_view id) override;
  absl::StatusOr<Page<Organization>> ListOrganizations(
      const OrganizationListQuery& query) override;
  absl::StatusOr<Organization> UpdateOrganization(
      const OrganizationUpdate& update, const AuditEntry& audit) override;
  absl::Status DeleteOrganization(absl::string_view id,
                                  const AuditEntry& audit) override;

  absl::StatusOr<MoveCounts> MoveOrganizationContents(
      absl::string_view source, absl::string_view target,
      const AuditEntry& audit) override;

  absl::StatusOr<Organization> FindOrganizationByName(
      absl::string_view name) override;
  absl::StatusOr<Organization> FindOrganizationByLoginDomain(
      absl::string_view domain) override;
  absl::StatusOr<int64_t> PurgeExpiredRegistrations(int limit) override;
  absl::StatusOr<User> SyncExternalUser(absl::string_view existing_id,
                                        const ExternalUser& user,
                                        const AuditEntry& audit) override;
  absl::StatusOr<User> SetUserEnabledByProvider(
      absl::string_view id, bool enabled, const AuditEntry& audit) override;
  absl::StatusOr<std::unique_ptr<ClusterLock>> TryClusterLock(
      absl::string_view name) override;
  absl::Status CreateSamlRequest(const SamlRequest& request) override;
  absl::StatusOr<SamlRequest> ConsumeSamlRequest(
      absl::string_view relay_state_digest) override;
  absl::Status RecordSamlAssertion(absl::string_view organization_id,
                                   absl::string_view assertion_id,
                                   absl::Time expires_at) override;
  absl::StatusOr<UserCredentials> GetCredentialsByExternalId(
      absl::string_view organization_id, Origin origin,
      absl::string_view external_id) override;

  absl::StatusOr<User> CreateUser(const NewUser& user,
                                  const AuditEntry& audit) override;
  absl::StatusOr<User> GetUser(absl::string_view id) override;
  absl::StatusOr<UserCredentials> GetCredentialsByUsername(
      absl::string_view username) override;
  absl::StatusOr<UserCredentials> GetCredentials(
      absl::string_view user_id) override;
  absl::StatusOr<Page<User>> ListUsers(const UserListQuery& query) override;
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

  absl::Status IssueUserToken(absl::string_view user_id, TokenPurpose purpose,
                              absl::string_view token_digest,
                              absl::Time expires_at,
                              const AuditEntry& audit) override;
  absl::StatusOr<User> PeekUserToken(absl::string_view token_digest,
                                     TokenPurpose purpose) override;
  absl::StatusOr<User> RedeemUserToken(absl::string_view token_digest,
                                       TokenPurpose purpose,
                                       absl::string_view password_hash,
                                       const AuditEntry& audit) override;
  absl::StatusOr<User> AcceptTerms(absl::string_view user_id,
                                   absl::string_view version,
                                   const AuditEntry& audit) override;

  absl::Status SaveTotp(absl::string_view user_id, absl::string_view secret_box,
                        const AuditEntry& audit) override;
  absl::StatusOr<TotpState> GetTotp(absl::string_view user_id) override;
  absl::Status ConfirmTotp(absl::string_view user_id, int64_t step,
                           const std::vector<std::string>& code_digests,
                           const AuditEntry& audit) override;
  absl::StatusOr<bool> UseTotpStep(absl::string_view user_id,
                                   int64_t step) override;
  absl::StatusOr<bool> UseRecoveryCode(absl::string_view user_id,
                                       absl::string_view digest) override;
  absl::Status DeleteTotp(absl::string_view user_id,
                          const AuditEntry& audit) override;

  absl::StatusOr<Session> CreateSession(const NewSession& session,
                                        const AuditEntry& audit) override;
  absl::StatusOr<SessionWithUser> GetSessionByDigest(
      absl::string_view token_digest) override;
  absl::Status DeleteSession(absl::string_view session_id,
                             const AuditEntry& audit) override;
  absl::StatusOr<Session> GetSession(absl::string_view session_id) override;
  absl::StatusOr<std::vector<Session>> ListSessions(
      absl::string_view user_id) override;
  absl::Status TouchSession(absl::string_view session_id) override;

  absl::StatusOr<CustomRole> CreateRole(const CustomRole& role,
                                        const AuditEntry& audit) override;
  absl::StatusOr<CustomRole> GetRole(absl::string_view id) override;
  absl::StatusOr<CustomRole> FindRole(absl::string_view organization_id,
                                      absl::string_view name) override;
  absl::StatusOr<std::vector<CustomRole>> ListRoles(
      absl::string_view organization_id) override;
  absl::StatusOr<CustomRole> UpdateRole(const CustomRole& role,
                                        int64_t expected_version,
                                        const AuditEntry& audit) override;
  absl::Status DeleteRole(absl::string_view id,
                          const AuditEntry& audit) override;

  absl::StatusOr<Group> CreateGroup(const Group& group,
                                    const AuditEntry& audit) override;
  absl::StatusOr<Group> GetGroup(absl::string_view id) override;
  absl::StatusOr<Page<Group>> ListGroups(
      absl::string_view organization_id, int limit,
      const std::optional<Cursor>& after) override;
  absl::Status DeleteGroup(absl::string_view id,
                           const AuditEntry& audit) override;
  absl::StatusOr<Group> SetGroupRoles(absl::string_view id,
                                      const std::vector<std::string>& roles,
                                      const AuditEntry& audit) override;
  absl::StatusOr<Group> SetGroupMember(absl::string_view group_id,
                                       absl::string_view user_id, bool member,
                                       const AuditEntry& audit) override;

  absl::StatusOr<ProviderSettingsRecord> GetProviderSettings(
      absl::string_view organization_id, absl::string_view type) override;
  absl::StatusOr<ProviderSettingsRecord> PutProviderSettings(
      const ProviderSettingsRecord& record,
      std::optional<int64_t> expected_version,
      const std::optional<AuditEntry>& audit,
      std::optional<Origin> unlink_stable_ids) override;
  absl::StatusOr<std::vector<ProviderSettingsRecord>> ListProviderSettings(
      absl::string_view type) override;

  absl::StatusOr<ApiKey> CreateApiKey(const NewApiKey& key,
                                      const AuditEntry& audit) override;
  absl::StatusOr<ApiKey> GetApiKey(absl::string_view id) override;
  absl::StatusOr<ApiKeyWithOwner> GetApiKeyByDigest(
      absl::string_view key_digest) override;
  absl::StatusOr<Page<ApiKey>> ListApiKeys(
      const ApiKeyListQuery& query) override;
  absl::StatusOr<ApiKey> RevokeApiKey(absl::string_view id,
                                      const AuditEntry& audit) override;
  absl::Status TouchApiKey(absl::string_view id) override;

  absl::Status RecordAudit(const AuditEntry& audit) override;
  absl::StatusOr<Page<AuditEvent>> ListAuditEvents(
      const AuditQuery& query) override;
  absl::StatusOr<AuditStreamPage> ReadAuditStream(
      const AuditQuery& filter, const AuditPosition& after) override;
  absl::StatusOr<AuditPosition> AuditStreamHead() override;
  absl::StatusOr<bool> EnsureBootstrapAdmin(const NewUser& admin,
                                            absl::string_view org_name,
                                            const AuditEntry& audit) override;

 private:
  // Runs `body` in one transaction and commits when it returns OK. A
  // connection that broke before the commit is replaced and the body retried
  // once (the server rolled the transaction back, so nothing is applied twice).
  template <typename T>
  absl::StatusOr<T> Transact(
      absl::string_view op,
      const std::function<absl::StatusOr<T>(pqxx::work&)>& body);

  absl::Status TransactStatus(
      absl::string_view op, const std::function<absl::Status(pqxx::work&)>& body);

  // Runs `attempt(connection, &committing)` on a pooled connection. When the
  // connection breaks it is replaced and the attempt made once more, unless
  // it broke after `committing` was set (the outcome is then unknown).
  template <typename T, typename Attempt>
  absl::StatusOr<T> OnConnection(absl::string_view op, Attempt attempt);

  // Runs the single-statement read `body` outside an explicit transaction:
  // one round trip to PostgreSQL instead of three (BEGIN, the select,
  // COMMIT), which is most of the cost of a point read on the hot paths
  // (uncached credential checks, GetUser, login lookups). Under READ
  // COMMITTED a statement sees one snapshot either way. Retried once on a
  // new connection when the connection broke.
  template <typename T>
  absl::StatusOr<T> Read(
      absl::string_view op,
      const std::function<absl::StatusOr<T>(pqxx::transaction_base&)>& body);

  // Runs `body`, a write made of one statement (data-modifying CTEs),
  // outside an explicit transaction: the statement commits by itself, in one
  // round trip instead of one per step plus BEGIN and COMMIT. `body` returns
  // what it changed as the change sink's payloads ("s:<id>,u:<id>", as the
  // triggers of migration 0013 write them), since the statement's AFTER
  // triggers fire too late for it to read them. When the connection breaks
  // (a stale pooled connection after a database restart, most often) `body`
  // runs once more on a new one, so it must be safe to run again after a
  // first run that may have committed: it finds out, and does not write
  // twice.
  template <typename T>
  absl::StatusOr<T> WriteOne(
      absl::string_view op,
      const std::function<absl::StatusOr<T>(pqxx::transaction_base&,
                                            std::string* changes)>& body);

  // GetCredentials and GetCredentialsByUsername: one query, two keys.
  absl::StatusOr<UserCredentials> CredentialsWhere(const char* name,
                                                   absl::string_view where,
                                                   absl::string_view arg);

  // What the transaction changed so far, for the change sink ("" when there
  // is no sink or `op` only reads: Get*, List*, Find*, Peek*).
  std::string PendingChanges(pqxx::work& tx, absl::string_view op);

  std::shared_ptr<ConnectionPool> pool_;
  ChangeSink* change_sink_ = nullptr;
};

// Helpers shared by the store's files.
void InsertAudit(pqxx::work& tx, const AuditEntry& audit);
// Deletes a pending self-registration of `username` before someone else
// takes the name, audited as done by `cause`'s actor.
void DiscardPendingRegistration(pqxx::work& tx, const std::string& username,
                                const AuditEntry& cause);
absl::string_view Origin2Sql(Origin origin);

// Serializes changes that could remove the last enabled internal
// GLOBAL_ADMIN; held until the transaction ends.
void LockGlobalAdmins(pqxx::work& tx);
// FAILED_PRECONDITION when no enabled internal GLOBAL_ADMIN is left.
absl::Status RequireGlobalAdminLeft(pqxx::work& tx);
// After an update matched no row: NOT_FOUND, or ABORTED for a stale version.
absl::Status StaleOrMissing(pqxx::work& tx, absl::string_view table,
                            absl::string_view what, const std::string& id,
                            int64_t expected_version);
// Transaction-scoped advisory lock keys (arbitrary fixed constants).
inline constexpr int64_t kGlobalAdminLockKey = 0x1d3a7105;
inline constexpr int64_t kLoginDomainsLockKey = 0x1d3a7106;

template <typename T, typename Attempt>
absl::StatusOr<T> PgStore::OnConnection(absl::string_view op, Attempt attempt) {
  for (int tries = 0;; ++tries) {
    absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire();
    if (!lease.ok()) return lease.status();
    bool committing = false;
    try {
      return attempt(lease->conn(), &committing);
    } catch (...) {
      std::exception_ptr error = std::current_exception();
      if (!IsConnectionFailure(error)) return TranslateException(op, error);
      lease->MarkBroken();
      if (committing || tries > 0) return TranslateException(op, error);
    }
  }
}

template <typename T>
absl::StatusOr<T> PgStore::Transact(
    absl::string_view op,
    const std::function<absl::StatusOr<T>(pqxx::work&)>& body) {
  return OnConnection<T>(
      op, [&](pqxx::connection& conn, bool* committing) -> absl::StatusOr<T> {
        pqxx::work tx(conn);
        absl::StatusOr<T> result = body(tx);
        if (result.ok()) {
          const std::string changes = PendingChanges(tx, op);
          *committing = true;
          tx.commit();
          if (!changes.empty()) change_sink_->OnChanges(ParseChanges(changes));
        }
        return result;
      });
}

template <typename T>
absl::StatusOr<T> PgStore::Read(
    absl::string_view op,
    const std::function<absl::StatusOr<T>(pqxx::transaction_base&)>& body) {
  return OnConnection<T>(
      op, [&](pqxx::connection& conn, bool*) -> absl::StatusOr<T> {
        pqxx::nontransaction tx(conn);
        return body(tx);
      });
}

template <typename T>
absl::StatusOr<T> PgStore::WriteOne(
    absl::string_view op,
    const std::function<absl::StatusOr<T>(pqxx::transaction_base&,
                                          std::string* changes)>& body) {
  return OnConnection<T>(
      op, [&](pqxx::connection& conn, bool*) -> absl::StatusOr<T> {
        pqxx::nontransaction tx(conn);
        std::string changes;
        absl::StatusOr<T> result = body(tx, &changes);
        if (result.ok() && change_sink_ != nullptr && !changes.empty()) {
          change_sink_->OnChanges(ParseChanges(changes));
        }
        return result;
      });
}

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PG_PG_STORE_H_
