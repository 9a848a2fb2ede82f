// One LDAP directory, reached through a connection pool: search for a user
// with the service account, then bind as the found entry (search-then-bind);
// or enumerate every user page by page for a sync.
//
// A user is searched by the name typed at its first login, and afterwards
// by the stable identifier (entryUUID, objectGUID) or DN stored then, so a
// name a caller chooses never decides which entry answers for a known user.
//
// A wrong password, an unknown user, an ambiguous match and an account the
// directory refuses (disabled, expired, locked) are results, not errors; an
// unreachable or misconfigured directory is an error. A pooled connection
// that turns out stale (the directory restarted) is replaced and the
// operation tried once more.
#ifndef IDENTITY_PROVIDERS_LDAP_LDAP_DIRECTORY_H_
#define IDENTITY_PROVIDERS_LDAP_LDAP_DIRECTORY_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "providers/ldap/ldap_account.h"
#include "providers/ldap/ldap_directory_options.h"
#include "providers/ldap/ldap_entry.h"
#include "providers/ldap/ldap_pool.h"

namespace identity::ldap {

enum class LoginResult {
  kAuthenticated,
  kWrongPassword,
  kUserNotFound,
  kAmbiguous,  // the filter matched several entries: refused
  kRefused,    // the directory refuses the account: see LoginOutcome::state
};

struct LoginOutcome {
  LoginResult result;
  Entry entry;                      // for kAuthenticated and kRefused
  std::vector<std::string> groups;  // group DNs, for kAuthenticated
  AccountState state = AccountState::kActive;  // for kRefused
};

// How a known user's entry is found again: by its stable identifier, else
// by its DN.
struct StoredLink {
  std::string stable_id;
  std::string dn;
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
  // The same for a user provisioned before: its entry is the one `link`
  // names that the user filter (with any username) still matches.
  absl::StatusOr<LoginOutcome> LoginKnown(const StoredLink& link,
                                          absl::string_view password) const;

  // Searches without binding as the user: kAuthenticated here means found.
  absl::StatusOr<LoginOutcome> Find(absl::string_view username) const;

  // Connects and binds as the service account.
  absl::Status Probe() const;
  // The server's type and stable id attribute (the root DSE, read once per
  // pool).
  absl::StatusOr<ServerInfo> Server() const;

  // Calls `visit` with every entry the user filter matches for any username,
  // and its groups, reading `page_size` entries at a time (RFC 2696) so that
  // server size limits do not cut the list short. Stops at the first error.
  using Visitor = std::function<absl::Status(const Entry& entry,
                                             const std::vector<std::string>& groups)>;
  absl::Status ForEachUser(int page_size, const Visitor& visit) const;
  // The same where only `mapped_groups` matter (the groups the role
  // mappings name): with Active Directory their transitive members are read
  // once, a paged search per group instead of one search per user, and each
  // entry gets those of them it is in, plus its primary group and that
  // group's parents.
  absl::Status ForEachUser(int page_size,
                           const std::vector<std::string>& mapped_groups,
                           const Visitor& visit) const;

 private:
  // Runs `op` on a pooled connection; once more on a new connection when a
  // reused one turns out stale.
  template <typename T>
  absl::StatusOr<T> WithConnection(
      ConnectionPool::Use use,
      const std::function<absl::StatusOr<T>(ConnectionPool::Lease&)>& op) const;

  // Where and how a login searches for its entry.
  struct Query {
    std::string base;
    int scope;
    std::string filter;
  };
  absl::StatusOr<Query> ByName(absl::string_view username) const;
  absl::StatusOr<Query> ByLink(const StoredLink& link,
                               const ServerInfo& server) const;
  // Search, account state and groups as the service account; then the
  // user's bind on another connection.
  absl::StatusOr<LoginOutcome> Authenticate(
      const std::function<absl::StatusOr<Query>(const ServerInfo&)>& query,
      absl::string_view password) const;

  absl::StatusOr<ServerInfo> ServerOn(LDAP* ld) const;
  // Every attribute a login or sync reads from an entry.
  std::vector<std::string> EntryAttributes(const ServerInfo& server) const;
  absl::StatusOr<LoginOutcome> Search(LDAP* ld, const Query& query,
                                      const ServerInfo& server) const;

  // Every group the entry is in, directly or through nested groups (and,
  // for Active Directory, its primary group). `primary_groups` caches the
  // primary groups' own memberships across the entries of one sync.
  using GroupCache = std::map<std::string, std::vector<std::string>>;
  absl::StatusOr<std::vector<std::string>> GroupsOf(
      LDAP* ld, const Entry& entry, const ServerInfo& server,
      GroupCache* primary_groups) const;
  absl::StatusOr<std::vector<std::string>> NestedGroupsOf(
      LDAP* ld, const std::string& dn) const;
  absl::StatusOr<std::vector<std::string>> ChainGroupsOf(
      LDAP* ld, const std::string& dn) const;
  absl::StatusOr<std::vector<std::string>> PrimaryGroupsOf(
      LDAP* ld, const Entry& entry, GroupCache* cache) const;
  // Lower-case member DN -> the `groups` it is in, directly or nested.
  using Memberships = std::map<std::string, std::vector<std::string>>;
  absl::StatusOr<Memberships> MembersOf(LDAP* ld,
                                        const std::vector<std::string>& groups,
                                        int page_size) const;
  absl::StatusOr<std::vector<std::string>> MappedGroupsOf(
      LDAP* ld, const Entry& entry, const Memberships& members,
      GroupCache* primary_groups) const;
  // The DNs of the entries under group_base_dn that `filter` matches.
  absl::StatusOr<std::vector<std::string>> GroupSearch(
      LDAP* ld, const std::string& filter) const;

  std::shared_ptr<ConnectionPool> pool_;
  const DirectoryOptions& options_;
};

}  // namespace identity::ldap

#endif  // IDENTITY_PROVIDERS_LDAP_LDAP_DIRECTORY_H_
