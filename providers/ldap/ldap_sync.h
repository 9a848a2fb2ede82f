// SyncLdapUsers: brings an organization's local LDAP users in line with its
// directory, once at a time across the cluster.
#ifndef IDENTITY_PROVIDERS_LDAP_LDAP_SYNC_H_
#define IDENTITY_PROVIDERS_LDAP_LDAP_SYNC_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "providers/ldap/ldap_account.h"
#include "providers/ldap/ldap_providers.h"
#include "domain/principal.h"
#include "application/identity_providers/provisioner.h"
#include "storage/store.h"

namespace identity::ldap {

struct SyncChange {
  std::string username;
  std::string action;  // created, updated, disabled, enabled, skipped, noted
  std::string reason;
};

struct SyncReport {
  int64_t created = 0;
  int64_t updated = 0;
  int64_t disabled = 0;
  int64_t unchanged = 0;
  int64_t skipped = 0;
  std::vector<SyncChange> changes;  // every user not unchanged
  bool dry_run = false;
};

class LdapSync {
 public:
  LdapSync(storage::Store* store, const LdapProviders* providers,
           Provisioner* provisioner)
      : store_(store), providers_(providers), provisioner_(provisioner) {}

  // ABORTED while another sync of the organization runs on any replica;
  // FAILED_PRECONDITION when the directory lists nobody but local LDAP users
  // exist (a wrong base DN must not disable everyone); UNAVAILABLE when the
  // directory cannot be reached. Each change is its own transaction with its
  // audit event, so an interrupted sync leaves nothing half-done and can be
  // run again.
  absl::StatusOr<SyncReport> Run(const Caller& caller,
                                 absl::string_view organization_id,
                                 bool dry_run);

 private:
  // An entry as the sync saw it: the user it describes and the account
  // state the directory gives it.
  struct Listed {
    domain::ExternalUser user;
    AccountState state = AccountState::kActive;
  };
  // One run's state: the local LDAP users (by lower-case username, and the
  // linked ones by stable id) and the directory's entries, by lower-case
  // username; `matched` holds the ids of the local users an entry claimed.
  struct SyncRun {
    const Caller& caller;
    const domain::LdapProviderConfig& config;
    std::map<std::string, domain::User> local;
    std::map<std::string, std::string> by_stable_id;  // -> lower username
    std::map<std::string, std::vector<Listed>> listed;
    std::set<std::string> matched;
    SyncReport report;
  };
  absl::Status LoadLocalUsers(SyncRun& run);
  void Collect(SyncRun& run, Listed listed, const Entry& entry);
  absl::Status Apply(SyncRun& run);
  // The local user of an entry, or null; `*conflict` set when its username
  // belongs to a local user linked to another entry.
  const domain::User* LocalOf(SyncRun& run, const domain::ExternalUser& user,
                               bool* conflict);
  absl::Status Create(SyncRun& run, const Listed& listed);
  absl::Status Refresh(SyncRun& run, const domain::User& local,
                       const Listed& listed);
  absl::Status DisableLeavers(SyncRun& run);

  storage::Store* store_;
  const LdapProviders* providers_;
  Provisioner* provisioner_;
};

}  // namespace identity::ldap

#endif  // IDENTITY_PROVIDERS_LDAP_LDAP_SYNC_H_
