#include "identity/ldap/ldap_directory.h"

#include <ldap.h>

#include <deque>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "identity/ldap/ldap_filter.h"

namespace identity::ldap {

template <typename T>
absl::StatusOr<T> Directory::WithConnection(
    ConnectionPool::Use use,
    const std::function<absl::StatusOr<T>(ConnectionPool::Lease&)>& op) const {
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire(use);
    if (!lease.ok()) return lease.status();
    absl::StatusOr<T> result = op(*lease);
    if (!absl::IsUnavailable(result.status())) {
      pool_->Observe(absl::OkStatus());  // the directory answered
      return result;
    }
    lease->Discard();
    if (!lease->reused() || attempt > 0) {
      pool_->Observe(result.status());
      return result;
    }
    // A reused connection failed: the directory probably restarted, and the
    // other idle connections are as stale as this one.
    pool_->DropIdle();
  }
}

absl::Status Directory::Probe() const {
  return WithConnection<bool>(ConnectionPool::Use::kSearch,
                              [](ConnectionPool::Lease&) { return true; })
      .status();
}

absl::StatusOr<LoginOutcome> Directory::Search(LDAP* ld,
                                               absl::string_view username) const {
  absl::StatusOr<std::string> filter = UserFilter(options_.user_filter, username);
  if (!filter.ok()) return filter.status();
  std::vector<char*> attrs;
  for (const std::string& a : options_.attributes) {
    attrs.push_back(const_cast<char*>(a.c_str()));
  }
  attrs.push_back(nullptr);
  timeval timeout = absl::ToTimeval(options_.operation_timeout);
  LDAPMessage* raw = nullptr;
  // Asking for two is enough to tell one match from several.
  int rc = ldap_search_ext_s(ld, options_.user_base_dn.c_str(),
                             LDAP_SCOPE_SUBTREE, filter->c_str(), attrs.data(),
                             0, nullptr, nullptr, &timeout, 2, &raw);
  std::unique_ptr<LDAPMessage, FreeMessage> result(raw);
  if (rc == LDAP_SIZELIMIT_EXCEEDED) return LoginOutcome{LoginResult::kAmbiguous};
  if (rc == LDAP_NO_SUCH_OBJECT) return LoginOutcome{LoginResult::kUserNotFound};
  if (rc != LDAP_SUCCESS) {
    log::Warn("ldap.search_failed", {{"error", ldap_err2string(rc)}});
    if (IsConnectionFailure(rc)) {
      return absl::UnavailableError("the directory is unavailable");
    }
    return absl::FailedPreconditionError(
        "the directory refused the user search (user_base_dn or user_filter)");
  }
  const int count = ldap_count_entries(ld, result.get());
  if (count == 0) return LoginOutcome{LoginResult::kUserNotFound};
  if (count > 1) return LoginOutcome{LoginResult::kAmbiguous};
  return LoginOutcome{LoginResult::kAuthenticated,
                      ReadEntry(ld, ldap_first_entry(ld, result.get()))};
}

absl::StatusOr<std::vector<std::string>> Directory::DirectGroupsOf(
    LDAP* ld, const std::string& dn) const {
  std::vector<std::string> groups;
  const std::string filter = absl::StrCat(
      "(", options_.group_member_attribute, "=", EscapeFilterValue(dn), ")");
  char* no_attrs[] = {const_cast<char*>(LDAP_NO_ATTRS), nullptr};
  timeval timeout = absl::ToTimeval(options_.operation_timeout);
  LDAPMessage* raw = nullptr;
  const int rc = ldap_search_ext_s(ld, options_.group_base_dn.c_str(),
                                   LDAP_SCOPE_SUBTREE, filter.c_str(), no_attrs,
                                   0, nullptr, nullptr, &timeout, 1000, &raw);
  std::unique_ptr<LDAPMessage, FreeMessage> result(raw);
  if (rc != LDAP_SUCCESS && rc != LDAP_NO_SUCH_OBJECT) {
    if (IsConnectionFailure(rc)) {
      return absl::UnavailableError("the directory is unavailable");
    }
    log::Warn("ldap.group_search_failed", {{"error", ldap_err2string(rc)}});
    return groups;  // a misconfigured group search means no groups
  }
  for (LDAPMessage* e = ldap_first_entry(ld, result.get()); e != nullptr;
       e = ldap_next_entry(ld, e)) {
    if (char* group_dn = ldap_get_dn(ld, e)) {
      groups.emplace_back(group_dn);
      ldap_memfree(group_dn);
    }
  }
  return groups;
}

absl::StatusOr<std::vector<std::string>> Directory::GroupsOf(
    LDAP* ld, const std::string& dn) const {
  std::vector<std::string> all;
  if (options_.group_base_dn.empty() || options_.group_member_attribute.empty()) {
    return all;
  }
  // Breadth-first through groups that contain groups; the visited set stops
  // loops, the bound stops a pathological directory.
  constexpr size_t kMaxGroups = 1000;
  std::set<std::string> seen;
  std::deque<std::string> pending = {dn};
  while (!pending.empty() && all.size() < kMaxGroups) {
    absl::StatusOr<std::vector<std::string>> direct =
        DirectGroupsOf(ld, pending.front());
    pending.pop_front();
    if (!direct.ok()) return direct.status();
    for (std::string& group : *direct) {
      if (!seen.insert(absl::AsciiStrToLower(group)).second) continue;
      pending.push_back(group);
      all.push_back(std::move(group));
    }
  }
  return all;
}

absl::StatusOr<LoginOutcome> Directory::Find(absl::string_view username) const {
  return WithConnection<LoginOutcome>(
      ConnectionPool::Use::kSearch,
      [&](ConnectionPool::Lease& lease) { return Search(lease.get(), username); });
}

absl::StatusOr<LoginOutcome> Directory::Login(absl::string_view username,
                                              absl::string_view password) const {
  if (password.empty()) {
    return absl::InvalidArgumentError("password: required");
  }
  absl::StatusOr<std::string> filter = UserFilter(options_.user_filter, username);
  if (!filter.ok()) return filter.status();
  // The user and their groups are read as the service account, before and
  // on another connection than the user's bind.
  absl::StatusOr<LoginOutcome> outcome = WithConnection<LoginOutcome>(
      ConnectionPool::Use::kSearch,
      [&](ConnectionPool::Lease& lease) -> absl::StatusOr<LoginOutcome> {
        absl::StatusOr<LoginOutcome> found = Search(lease.get(), username);
        if (!found.ok() || found->result != LoginResult::kAuthenticated) {
          return found;
        }
        absl::StatusOr<std::vector<std::string>> groups =
            GroupsOf(lease.get(), found->entry.dn);
        if (!groups.ok()) return groups.status();
        found->groups = *std::move(groups);
        return found;
      });
  if (!outcome.ok() || outcome->result != LoginResult::kAuthenticated) {
    return outcome;
  }
  absl::StatusOr<UserBindResult> bound = WithConnection<UserBindResult>(
      ConnectionPool::Use::kUserBind,
      [&](ConnectionPool::Lease& lease) -> absl::StatusOr<UserBindResult> {
        lease.MarkBoundAsUser();
        return UserBind(lease.get(), outcome->entry.dn, password,
                        options_.operation_timeout);
      });
  if (!bound.ok()) return bound.status();
  if (*bound == UserBindResult::kWrongPassword) {
    return LoginOutcome{LoginResult::kWrongPassword};
  }
  if (*bound == UserBindResult::kDisabled) {
    return LoginOutcome{LoginResult::kDisabled};
  }
  return outcome;
}

}  // namespace identity::ldap
