// The fake's credentials (failed-login counting, locks, password hashes)
// and externally managed users, as storage/pg/pg_store_credentials.cc and
// pg_store_external_users.cc do them.
#include <algorithm>

#include "storage/memory/memory_store.h"

namespace identity::storage {
namespace {

// PostgreSQL keeps at most this many replaced hashes per user.
constexpr size_t kPasswordHistoryKept = 24;

absl::Status UserNotFound() { return absl::NotFoundError("user not found"); }

}  // namespace

absl::StatusOr<bool> MemoryStore::RecordLoginFailure(
    absl::string_view user_id, const LockoutPolicySettings& policy,
    const AuditEntry& failure, const AuditEntry& lock) {
  absl::MutexLock guard(&mu_);
  if (absl::Status s = Injected("RecordLoginFailure"); !s.ok()) return s;
  UserRow* row = FindRow(user_id);
  if (row == nullptr) return false;
  // A failure outside the window starts a new count.
  const absl::Time now = clock_();
  User& u = row->user;
  if (!row->first_failed_login_at ||
      *row->first_failed_login_at <
          now - absl::Seconds(policy.window_seconds)) {
    u.failed_login_attempts = 1;
    row->first_failed_login_at = now;
  } else {
    u.failed_login_attempts++;
  }
  Audit(failure);
  const bool locked_now = Visible(*row).locked;
  if (locked_now || policy.max_failed_attempts == 0 ||
      u.failed_login_attempts < policy.max_failed_attempts) {
    return false;
  }
  // The count starts again, so that when a temporary lock ends a single
  // guess does not lock the account once more.
  row->locked = true;
  u.locked_until = policy.lockout_seconds == 0
                       ? std::nullopt
                       : std::optional<absl::Time>(
                             now + absl::Seconds(policy.lockout_seconds));
  u.failed_login_attempts = 0;
  row->first_failed_login_at.reset();
  Touch(*row);
  Audit(lock);
  return true;
}

absl::StatusOr<User> MemoryStore::UnlockUser(absl::string_view id,
                                             const AuditEntry& audit) {
  absl::MutexLock guard(&mu_);
  if (absl::Status s = Injected("UnlockUser"); !s.ok()) return s;
  UserRow* row = FindRow(id);
  if (row == nullptr) return UserNotFound();
  row->locked = false;
  row->user.locked_until.reset();
  row->user.failed_login_attempts = 0;
  row->first_failed_login_at.reset();
  Touch(*row);
  Audit(audit);
  return Visible(*row);
}

absl::Status MemoryStore::SetPasswordHash(absl::string_view user_id,
                                          absl::string_view hash,
                                          absl::string_view,
                                          const AuditEntry& audit) {
  absl::MutexLock guard(&mu_);
  if (absl::Status s = Injected("SetPasswordHash"); !s.ok()) return s;
  UserRow* row = FindRow(user_id);
  if (row == nullptr) return UserNotFound();
  if (!row->password_hash.empty()) {
    row->password_history.insert(row->password_history.begin(),
                                 row->password_hash);
    if (row->password_history.size() > kPasswordHistoryKept) {
      row->password_history.resize(kPasswordHistoryKept);
    }
  }
  row->password_hash = std::string(hash);
  row->user.password_changed_at = clock_();
  Touch(*row);
  Audit(audit);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> MemoryStore::GetPasswordHistory(
    absl::string_view user_id, int limit) {
  absl::MutexLock guard(&mu_);
  if (absl::Status s = Injected("GetPasswordHistory"); !s.ok()) return s;
  const UserRow* row = FindRow(user_id);
  if (row == nullptr) return std::vector<std::string>();
  const std::vector<std::string>& h = row->password_history;
  return std::vector<std::string>(
      h.begin(), h.begin() + std::min<size_t>(h.size(), std::max(limit, 0)));
}

absl::Status MemoryStore::RehashPassword(absl::string_view user_id,
                                         absl::string_view old_hash,
                                         absl::string_view new_hash) {
  absl::MutexLock guard(&mu_);
  if (absl::Status s = Injected("RehashPassword"); !s.ok()) return s;
  // Only if unchanged meanwhile, so a concurrent reset is never undone.
  UserRow* row = FindRow(user_id);
  if (row != nullptr && row->password_hash == old_hash) {
    row->password_hash = std::string(new_hash);
  }
  return absl::OkStatus();
}

absl::StatusOr<UserCredentials> MemoryStore::GetCredentialsByExternalId(
    absl::string_view organization_id, Origin origin,
    absl::string_view external_id) {
  absl::MutexLock guard(&mu_);
  if (absl::Status s = Injected("GetCredentialsByExternalId"); !s.ok()) {
    return s;
  }
  for (const auto& [id, row] : users_) {
    const User& u = row.user;
    if (u.organization_id == organization_id && u.origin == origin &&
        !u.external_id.empty() && u.external_id == external_id) {
      return CredentialsOf(row);
    }
  }
  return UserNotFound();
}

bool MemoryStore::ApplyProviderState(UserRow& row, bool enabled) {
  // A provider disables an enabled user and enables only what it disabled.
  if (enabled && !row.user.enabled && row.disabled_by == "provider") {
    row.user.enabled = true;
    row.disabled_by.clear();
    Touch(row);
    return true;
  }
  if (!enabled && row.user.enabled) {
    row.user.enabled = false;
    row.disabled_by = "provider";
    Touch(row);
    return true;
  }
  return false;
}

absl::StatusOr<User> MemoryStore::SyncExternalUser(
    absl::string_view existing_id, const ExternalUser& e,
    const AuditEntry& audit) {
  absl::MutexLock guard(&mu_);
  if (absl::Status s = Injected("SyncExternalUser"); !s.ok()) return s;
  UserRow* row = nullptr;
  if (existing_id.empty()) {
    if (organizations_.count(e.organization_id) == 0) {
      return absl::FailedPreconditionError(
          "the object is still referenced, or refers to one that does not "
          "exist");
    }
    DiscardPendingRegistration(e.username, audit);
    if (FindByName(e.username) != nullptr) {
      return absl::AlreadyExistsError("username is already taken");
    }
    if (!e.external_id.empty()) {
      for (const auto& [id, other] : users_) {
        if (other.user.organization_id == e.organization_id &&
            other.user.origin == e.origin &&
            other.user.external_id == e.external_id) {
          return absl::AlreadyExistsError("the object already exists");
        }
      }
    }
    UserRow fresh;
    User& u = fresh.user;
    u.id = NextId();
    u.organization_id = e.organization_id;
    u.username = e.username;
    u.origin = e.origin;
    u.enabled = e.enabled;
    u.created_at = u.updated_at = u.password_changed_at = clock_();
    u.version = 1;
    fresh.disabled_by = e.enabled ? "" : "provider";
    row = &(users_[u.id] = std::move(fresh));
  } else {
    row = FindRow(existing_id);
    if (row == nullptr) return UserNotFound();
  }
  // The stable id and DN are kept up to date (and filled in for users
  // provisioned before they were stored); the username never changes.
  absl::Status changed = ChangeGuarded(*row, [&](UserRow& r) {
    User& u = r.user;
    u.email = e.email;
    u.display_name = e.display_name;
    u.primary_role = e.primary_role;
    if (!e.external_id.empty()) u.external_id = e.external_id;
    if (!e.directory_dn.empty()) u.directory_dn = e.directory_dn;
    u.add_on_roles = e.add_on_roles;
    std::sort(u.add_on_roles.begin(), u.add_on_roles.end());
    u.add_on_roles.erase(
        std::unique(u.add_on_roles.begin(), u.add_on_roles.end()),
        u.add_on_roles.end());
    if (!existing_id.empty()) {
      Touch(r);
      ApplyProviderState(r, e.enabled);
    }
  });
  if (!changed.ok()) return changed;
  AuditEntry entry = audit;
  entry.target_id = row->user.id;
  Audit(entry);
  return Visible(*row);
}

absl::StatusOr<User> MemoryStore::SetUserEnabledByProvider(
    absl::string_view id, bool enabled, const AuditEntry& audit) {
  absl::MutexLock guard(&mu_);
  if (absl::Status s = Injected("SetUserEnabledByProvider"); !s.ok()) return s;
  UserRow* row = FindRow(id);
  if (row == nullptr) return UserNotFound();
  bool applied = false;
  absl::Status changed = ChangeGuarded(
      *row, [&](UserRow& r) { applied = ApplyProviderState(r, enabled); });
  if (!changed.ok()) return changed;
  if (applied) Audit(audit);
  return Visible(*row);
}

}  // namespace identity::storage
