// A directory sync: brings an organization's local users of one origin in
// line with what its directory lists, once at a time across the cluster.
// The directory is any provider with the DirectoryProvider capability; the
// local users change through the provisioner, by the rules of a login.
#ifndef IDENTITY_APPLICATION_IDENTITY_PROVIDERS_DIRECTORY_SYNC_H_
#define IDENTITY_APPLICATION_IDENTITY_PROVIDERS_DIRECTORY_SYNC_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "application/identity_providers/directory_provider.h"
#include "application/identity_providers/provider_registry.h"
#include "application/identity_providers/provisioner.h"
#include "domain/principal.h"
#include "storage/ports/audit.h"
#include "storage/ports/cluster.h"
#include "storage/ports/users.h"

namespace identity {

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

class DirectorySync {
 public:
  struct Deps {
    storage::UserReads* users;
    storage::AuditWrites* audit;
    storage::ClusterLocks* locks;
    Provisioner* provisioner;
    const ProviderRegistry* providers;
  };
  explicit DirectorySync(const Deps& deps) : deps_(deps) {}

  // Syncs the users of `origin` from its provider's directory.
  // `operation` is what the caller must be allowed on the organization.
  // FAILED_PRECONDITION for an origin whose provider lists no users.
  // ABORTED while another sync of the organization runs on any replica;
  // FAILED_PRECONDITION when the directory lists nobody but local users of
  // its origin exist (a wrong base DN must not disable everyone);
  // UNAVAILABLE when the directory cannot be reached. Each change is its
  // own transaction with its audit event, so an interrupted sync leaves
  // nothing half-done and can be run again.
  absl::StatusOr<SyncReport> Run(const Caller& caller,
                                 absl::string_view operation,
                                 domain::Origin origin,
                                 absl::string_view organization_id,
                                 bool dry_run);

 private:
  // One run's state: the local users of the origin (by lower-case
  // username, and the linked ones by stable id) and the directory's
  // entries, by lower-case username; `matched` holds the ids of the local
  // users an entry claimed.
  struct SyncRun {
    const Caller& caller;
    std::string organization_id;
    domain::Origin origin;
    std::map<std::string, domain::User> local;
    std::map<std::string, std::string> by_stable_id;  // -> lower username
    std::map<std::string, std::vector<ListedUser>> listed;
    std::set<std::string> matched;
    SyncReport report;
  };
  absl::Status LoadLocalUsers(SyncRun& run);
  void Collect(SyncRun& run, ListedUser listed);
  absl::Status Apply(SyncRun& run);
  // The local user of an entry, or null; `*conflict` set when its username
  // belongs to a local user linked to another entry.
  const domain::User* LocalOf(SyncRun& run, const ExternalIdentity& user,
                               bool* conflict);
  absl::Status Create(SyncRun& run, const ListedUser& listed);
  absl::Status Refresh(SyncRun& run, const domain::User& local,
                       const ListedUser& listed);
  absl::Status DisableLeavers(SyncRun& run, const DirectoryProvider& directory);
  void Report(const SyncRun& run, absl::string_view name);

  Deps deps_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_IDENTITY_PROVIDERS_DIRECTORY_SYNC_H_
