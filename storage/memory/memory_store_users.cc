// The fake's users, with the last-admin rule as the PostgreSQL store
// applies it (storage/pg/pg_store_users.cc, pg_store.cc).
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "storage/memory/memory_store.h"

namespace identity::storage {
namespace {

// Whose change the rule guards: an enabled, activated internal global admin.
bool IsEnabledInternalGlobalAdmin(const User& u) {
  return u.enabled && !u.pending && u.origin == Origin::kInternal &&
         u.primary_role == "GLOBAL_ADMIN";
}

absl::Status UserNotFound() { return absl::NotFoundError("user not found"); }

}  // namespace

User MemoryStore::Visible(const UserRow& row) const {
  User u = row.user;
  u.locked = row.locked && (!u.locked_until || *u.locked_until > clock_());
  u.disabled_by_provider = row.disabled_by == "provider";
  return u;
}

UserCredentials MemoryStore::CredentialsOf(const UserRow& row) const {
  UserCredentials c;
  c.user = Visible(row);
  c.password_hash = row.password_hash;
  auto org = organizations_.find(row.user.organization_id);
  if (org != organizations_.end()) {
    const OrganizationSettings& s = org->second.settings;
    c.lockout = s.lockout;
    c.session = s.session;
    c.password_max_age_days = s.password.max_age_days;
    c.terms_of_use_version = s.terms_of_use_version;
    c.require_totp = s.require_totp;
  }
  return c;
}

MemoryStore::UserRow* MemoryStore::FindRow(absl::string_view id) {
  auto it = users_.find(std::string(id));
  return it == users_.end() ? nullptr : &it->second;
}

MemoryStore::UserRow* MemoryStore::FindByName(absl::string_view username) {
  for (auto& [id, row] : users_) {
    if (absl::EqualsIgnoreCase(row.user.username, username)) return &row;
  }
  return nullptr;
}

void MemoryStore::Touch(UserRow& row) {
  row.user.updated_at = clock_();
  row.user.version++;
}

absl::Status MemoryStore::GlobalAdminLeft() const {
  // Only an admin who can log in is a way back in: not one still pending
  // an invitation, and not one without a password.
  for (const auto& [id, row] : users_) {
    const User& u = row.user;
    if (u.primary_role == "GLOBAL_ADMIN" && u.origin == Origin::kInternal &&
        u.enabled && !u.pending && !row.password_hash.empty()) {
      return absl::OkStatus();
    }
  }
  return absl::FailedPreconditionError(
      "this is the last enabled internal GLOBAL_ADMIN, the way back in when "
      "a directory or identity provider fails; create or enable another "
      "internal global admin first");
}

absl::Status MemoryStore::ChangeGuarded(
    UserRow& row, const std::function<void(UserRow&)>& change) {
  const bool guard = IsEnabledInternalGlobalAdmin(row.user);
  UserRow before = row;
  change(row);
  if (!guard) return absl::OkStatus();
  absl::Status left = GlobalAdminLeft();
  if (!left.ok()) row = std::move(before);
  return left;
}

void MemoryStore::DiscardPendingRegistration(absl::string_view username,
                                             const AuditEntry& cause) {
  UserRow* row = FindByName(username);
  if (row == nullptr || !row->user.pending || !row->registration_expires_at) {
    return;
  }
  AuditEntry entry = cause;
  entry.action = "registration.discard";
  entry.target_type = "user";
  entry.target_id = row->user.id;
  entry.organization_id = row->user.organization_id;
  entry.details_json = absl::StrCat(
      "{\"username\": \"", row->user.username, "\", \"replaced_by\": \"",
      cause.action, "\", \"expired\": ",
      *row->registration_expires_at <= clock_() ? "true" : "false", "}");
  Audit(entry);
  users_.erase(row->user.id);
}

absl::StatusOr<User> MemoryStore::CreateUser(const NewUser& n,
                                             const AuditEntry& audit) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("CreateUser"); !s.ok()) return s;
  if (organizations_.count(n.organization_id) == 0) {
    return absl::FailedPreconditionError(
        "the object is still referenced, or refers to one that does not exist");
  }
  DiscardPendingRegistration(n.username, audit);
  if (FindByName(n.username) != nullptr) {
    return absl::AlreadyExistsError("username is already taken");
  }
  UserRow row;
  User& u = row.user;
  u.id = NextId();
  u.organization_id = n.organization_id;
  u.username = n.username;
  u.email = n.email;
  u.display_name = n.display_name;
  u.image_url = n.image_url;
  u.time_zone = n.time_zone;
  u.origin = n.origin;
  u.primary_role = n.primary_role;
  u.pending = n.pending;
  u.must_accept_terms = n.must_accept_terms;
  u.created_at = u.updated_at = u.password_changed_at = clock_();
  u.version = 1;
  row.password_hash = n.password_hash;
  row.registration_expires_at = n.registration_expires_at;
  User created = Visible(row);
  users_[u.id] = std::move(row);
  AuditEntry entry = audit;
  entry.target_id = created.id;
  Audit(entry);
  return created;
}

absl::StatusOr<User> MemoryStore::GetUser(absl::string_view id) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("GetUser"); !s.ok()) return s;
  const UserRow* row = FindRow(id);
  if (row == nullptr) return UserNotFound();
  return Visible(*row);
}

absl::StatusOr<UserCredentials> MemoryStore::GetCredentialsByUsername(
    absl::string_view username) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("GetCredentialsByUsername"); !s.ok()) return s;
  const UserRow* row = FindByName(username);
  // A self-registration holds no name: nobody can log in with it.
  if (row == nullptr || row->registration_expires_at) return UserNotFound();
  return CredentialsOf(*row);
}

absl::StatusOr<UserCredentials> MemoryStore::GetCredentials(
    absl::string_view user_id) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("GetCredentials"); !s.ok()) return s;
  const UserRow* row = FindRow(user_id);
  if (row == nullptr) return UserNotFound();
  return CredentialsOf(*row);
}

absl::StatusOr<Page<User>> MemoryStore::ListUsers(const UserListQuery& q) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("ListUsers"); !s.ok()) return s;
  using Key = std::pair<std::string, std::string>;  // lower(username), id
  std::vector<std::pair<Key, User>> sorted;
  const std::string text = absl::AsciiStrToLower(q.text);
  for (const auto& [id, row] : users_) {
    const User& u = row.user;
    if ((q.organization_id && u.organization_id != *q.organization_id) ||
        (q.origin && u.origin != *q.origin) ||
        (q.enabled && u.enabled != *q.enabled) ||
        (q.primary_role && u.primary_role != *q.primary_role)) {
      continue;
    }
    if (!text.empty() &&
        !absl::StrContains(absl::AsciiStrToLower(u.username), text) &&
        !absl::StrContains(absl::AsciiStrToLower(u.email), text) &&
        !absl::StrContains(absl::AsciiStrToLower(u.display_name), text)) {
      continue;
    }
    Key key{absl::AsciiStrToLower(u.username), id};
    if (q.after && key <= Key{q.after->sort_key, q.after->id}) continue;
    sorted.push_back({key, Visible(row)});
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  Page<User> page;
  for (auto& [key, user] : sorted) {
    if (static_cast<int>(page.items.size()) == q.limit) {
      const User& last = page.items.back();
      page.next = Cursor{absl::AsciiStrToLower(last.username), last.id};
      break;
    }
    page.items.push_back(std::move(user));
  }
  return page;
}

absl::StatusOr<User> MemoryStore::UpdateUserProfile(const UserProfileUpdate& u,
                                                    const AuditEntry& audit) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("UpdateUserProfile"); !s.ok()) return s;
  UserRow* row = FindRow(u.id);
  if (row == nullptr) return UserNotFound();
  if (u.expected_version != 0 && row->user.version != u.expected_version) {
    return absl::AbortedError(
        absl::StrCat("user was changed by someone else (version ",
                     u.expected_version, " is stale, current is ",
                     row->user.version, "); read it again and retry"));
  }
  User& user = row->user;
  if (u.email) user.email = *u.email;
  if (u.display_name) user.display_name = *u.display_name;
  if (u.image_url) user.image_url = *u.image_url;
  if (u.time_zone) user.time_zone = *u.time_zone;
  if (u.security_alerts) user.security_alerts = *u.security_alerts;
  Touch(*row);
  Audit(audit);
  return Visible(*row);
}

absl::StatusOr<User> MemoryStore::SetUserEnabled(absl::string_view id,
                                                 bool enabled,
                                                 const AuditEntry& audit) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("SetUserEnabled"); !s.ok()) return s;
  UserRow* row = FindRow(id);
  if (row == nullptr) return UserNotFound();
  // An administrator's disable of a user its provider had disabled becomes
  // the administrator's, so the provider cannot undo it.
  const bool take_over = !enabled && row->disabled_by == "provider";
  if (row->user.enabled == enabled && !take_over) return Visible(*row);
  absl::Status changed = ChangeGuarded(*row, [&](UserRow& r) {
    r.user.enabled = enabled;
    r.disabled_by = enabled ? "" : "admin";
    Touch(r);
  });
  if (!changed.ok()) return changed;
  Audit(audit);
  return Visible(*row);
}

absl::StatusOr<User> MemoryStore::SetPrimaryRole(absl::string_view id,
                                                 absl::string_view role,
                                                 const AuditEntry& audit) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("SetPrimaryRole"); !s.ok()) return s;
  UserRow* row = FindRow(id);
  if (row == nullptr) return UserNotFound();
  if (row->user.primary_role == role) return Visible(*row);
  absl::Status changed = ChangeGuarded(*row, [&](UserRow& r) {
    r.user.primary_role = std::string(role);
    Touch(r);
  });
  if (!changed.ok()) return changed;
  Audit(audit);
  return Visible(*row);
}

absl::StatusOr<User> MemoryStore::SetAddOnRole(absl::string_view user_id,
                                               absl::string_view role,
                                               bool granted,
                                               const AuditEntry& audit) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("SetAddOnRole"); !s.ok()) return s;
  UserRow* row = FindRow(user_id);
  if (row == nullptr) return UserNotFound();
  std::vector<std::string>& roles = row->user.add_on_roles;
  auto it = std::lower_bound(roles.begin(), roles.end(), role);
  const bool held = it != roles.end() && *it == role;
  if (held == granted) return Visible(*row);
  if (granted) {
    roles.insert(it, std::string(role));
  } else {
    roles.erase(it);
  }
  Touch(*row);
  Audit(audit);
  return Visible(*row);
}

absl::Status MemoryStore::DeleteUser(absl::string_view id,
                                     const AuditEntry& audit) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("DeleteUser"); !s.ok()) return s;
  UserRow* row = FindRow(id);
  if (row == nullptr) return UserNotFound();
  const bool guard = IsEnabledInternalGlobalAdmin(row->user);
  UserRow before = *row;
  users_.erase(before.user.id);
  if (guard) {
    if (absl::Status left = GlobalAdminLeft(); !left.ok()) {
      users_[before.user.id] = std::move(before);
      return left;
    }
  }
  Audit(audit);
  return absl::OkStatus();
}

}  // namespace identity::storage
