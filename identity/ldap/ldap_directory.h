// One LDAP directory, reached through a connection pool: search for a user
// with the service account, then bind as the found entry (search-then-bind);
// or enumerate every user page by page for a sync.
//
// A wrong password, an unknown user and an ambiguous match are results, not
// errors; an unreachable or misconfigured directory is an error. A pooled
// connection that turns out stale (the directory restarted) is replaced and
// the operation tried once more.
#ifndef IDENTITY_IDENTITY_LDAP_LDAP_DIRECTORY_H_
#define IDENTITY_IDENTITY_LDAP_LDAP_DIRECTORY_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "identity/ldap/ldap_directory_options.h"
#include "identity/ldap/ldap_entry.h"
#include "identity/ldap/ldap_pool.h"

namespace identity::ldap {

enum class LoginResult {
  kAuthenticated,
  kWrongPassword,
  kUserNotFound,
  kAmbiguous,  // the filter matched several entries: refused
  kDisabled,   // disabled, locked or expired in the directory
};

struct LoginOutcome {
  LoginResult result;
  Entry entry;                      // for kAuthenticated
  std::vector<std::string> groups;  // group DNs, for kAuthenticated
};

class Directory {
 public:
  explicit Directory(std::shared_ptr<ConnectionPool> pool)
      : pool_(std::move(pool)), options_(pool_->options()) {}

  // INVALID_ARGUMENT for an empty password (an unauthenticated bind must
  // never count as a login) or a bad filter; UNAVAILABLE when no URL answers
  // within the timeouts; FAILED_PRECONDITION when the service account's bind
  // is refused.
  absl::StatusOr<LoginOutcome> Login(absl::string_view username,
                                     absl::string_view password) const;

  // Searches without binding as the user: kAuthenticated here means found.
  absl::StatusOr<LoginOutcome> Find(absl::string_view username) const;

  // Connects and binds as the service account.
  absl::Status Probe() const;

  // Calls `visit` with every entry the user filter matches for any username,
  // and its groups, reading `page_size` entries at a time (RFC 2696) so that
  // server size limits do not cut the list short. Stops at the first error.
  using Visitor = std::function<absl::Status(const Entry& entry,
                                             const std::vector<std::string>& groups)>;
  absl::Status ForEachUser(int page_size, const Visitor& visit) const;

 private:
  // Runs `op` on a pooled connection; once more on a new connection when a
  // reused one turns out stale.
  template <typename T>
  absl::StatusOr<T> WithConnection(
      ConnectionPool::Use use,
      const std::function<absl::StatusOr<T>(ConnectionPool::Lease&)>& op) const;

  absl::StatusOr<LoginOutcome> Search(LDAP* ld, absl::string_view username) const;
  // Every group `dn` is in, directly or through nested groups.
  absl::StatusOr<std::vector<std::string>> GroupsOf(LDAP* ld,
                                                    const std::string& dn) const;
  absl::StatusOr<std::vector<std::string>> DirectGroupsOf(
      LDAP* ld, const std::string& dn) const;

  std::shared_ptr<ConnectionPool> pool_;
  const DirectoryOptions& options_;
};

}  // namespace identity::ldap

#endif  // IDENTITY_IDENTITY_LDAP_LDAP_DIRECTORY_H_
