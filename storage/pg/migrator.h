// Applies the embedded migrations that a database lacks, under a session
// advisory lock so that replicas starting at once apply each exactly once.
#ifndef IDENTITY_STORAGE_PG_MIGRATOR_H_
#define IDENTITY_STORAGE_PG_MIGRATOR_H_

#include "absl/status/statusor.h"
#include "storage/migrations.h"
#include "storage/pg/connection_pool.h"

namespace identity::storage {

// Returns how many migrations this call applied. FAILED_PRECONDITION when the
// database has a version this binary does not know (a newer binary migrated
// it): rolling back a binary must not run against a newer schema silently.
absl::StatusOr<int> ApplyMigrations(ConnectionPool& pool,
                                    const std::vector<Migration>& migrations);

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PG_MIGRATOR_H_
