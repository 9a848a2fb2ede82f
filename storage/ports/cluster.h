// What replicas sharing one database coordinate through it: named locks,
// and creating the first global admin once.
#ifndef IDENTITY_STORAGE_PORTS_CLUSTER_H_
#define IDENTITY_STORAGE_PORTS_CLUSTER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/queries.h"

namespace identity::storage {

// Held until destroyed; see ClusterLocks::TryClusterLock.
class ClusterLock {
 public:
  virtual ~ClusterLock() = default;
};

class ClusterLocks {
 public:
  virtual ~ClusterLocks() = default;

  // A lock named `name` shared by every replica on this database, held until
  // the returned object is destroyed (or its holder dies). ABORTED at once
  // when another holder has it.
  virtual absl::StatusOr<std::unique_ptr<ClusterLock>> TryClusterLock(
      absl::string_view name) = 0;
};

class Bootstrap {
 public:
  virtual ~Bootstrap() = default;

  // Creates the organization (if missing) and an internal GLOBAL_ADMIN user
  // unless an enabled internal GLOBAL_ADMIN exists. Safe when many replicas
  // run it at once. Returns true if it created the user.
  virtual absl::StatusOr<bool> EnsureBootstrapAdmin(
      const NewUser& admin, absl::string_view org_name,
      const AuditEntry& audit) = 0;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PORTS_CLUSTER_H_
