// A bounded pool of PostgreSQL connections.
//
// Connections are opened lazily and replaced when they break. While the
// database is unreachable, new connection attempts are spaced out with
// exponential backoff shared by the whole pool, and callers get UNAVAILABLE
// at once instead of queueing behind doomed connects (no retry storm).
#ifndef IDENTITY_STORAGE_PG_CONNECTION_POOL_H_
#define IDENTITY_STORAGE_PG_CONNECTION_POOL_H_

#include <memory>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace identity::storage {

class ConnectionPool {
 public:
  struct Options {
    std::string url;  // libpq URI or key=value string
    int size = 8;
    absl::Duration acquire_timeout = absl::Seconds(5);
    absl::Duration connect_timeout = absl::Seconds(3);
    absl::Duration statement_timeout = absl::Seconds(10);
    absl::Duration max_backoff = absl::Seconds(5);
  };

  // Holds one connection until destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    pqxx::connection& conn() { return *conn_; }
    // The connection failed; it is closed instead of returned.
    void MarkBroken() { broken_ = true; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    ConnectionPool* pool_;
    std::unique_ptr<pqxx::connection> conn_;
    bool broken_ = false;
  };

  struct Stats {
    int size;
    int open;
    int in_use;
  };

  explicit ConnectionPool(Options options);

  absl::StatusOr<Lease> Acquire();
  Stats stats();

  // The libpq connection string with timeouts and application name added.
  static std::string EffectiveUrl(const Options& options);

 private:
  absl::StatusOr<std::unique_ptr<pqxx::connection>> Connect();
  void Release(std::unique_ptr<pqxx::connection> conn, bool broken);

  const Options options_;
  const std::string url_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // idle + leased + being connected
  int in_use_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time next_connect_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Duration backoff_ ABSL_GUARDED_BY(mu_) = absl::Milliseconds(100);
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PG_CONNECTION_POOL_H_
