// Cluster-wide locks: PostgreSQL session advisory locks on a connection
// taken from the pool for as long as the lock is held, so that a replica that
// dies releases its locks with its connection.
#include <pqxx/nontransaction>

#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "common/log.h"
#include "storage/pg/pg_store.h"

namespace identity::storage {
namespace {

class PgClusterLock final : public ClusterLock {
 public:
  PgClusterLock(ConnectionPool::Lease lease, std::string name)
      : lease_(std::move(lease)), name_(std::move(name)) {}
  ~PgClusterLock() override {
    try {
      pqxx::nontransaction tx(lease_.conn());
      tx.exec_params("SELECT pg_advisory_unlock(hashtextextended($1, 0))",
                     name_);
    } catch (const std::exception&) {
      // Closing the connection releases the lock as well.
      lease_.MarkBroken();
      log::Warn("cluster_lock.unlock_failed", {{"lock", name_}});
    }
  }

 private:
  ConnectionPool::Lease lease_;
  const std::string name_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<ClusterLock>> PgStore::TryClusterLock(
    absl::string_view name) {
  absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  try {
    pqxx::nontransaction tx(lease->conn());
    const bool taken =
        tx.exec_params1("SELECT pg_try_advisory_lock(hashtextextended($1, 0))",
                        std::string(name))[0]
            .as<bool>();
    if (!taken) {
      return WithReason(
          absl::AbortedError(absl::StrCat("another replica or call holds ",
                                          name, "; try again when it ends")),
          reason::kConcurrentUpdate);
    }
  } catch (...) {
    lease->MarkBroken();
    return TranslateException("TryClusterLock", std::current_exception());
  }
  return std::make_unique<PgClusterLock>(*std::move(lease), std::string(name));
}

}  // namespace identity::storage
