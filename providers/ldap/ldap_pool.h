// A bounded pool of connections to one directory, bound as the service
// account and reused across logins.
//
// A login searches on a connection bound as the service account and binds
// as the user on another: the pool hands out, for each use, a connection
// already in the state that use needs (searches get one still bound as the
// service account, user binds one last bound as a user, since a bind
// replaces whoever was bound), so that in steady state no connection is
// rebound. Only when none matches and the pool is full is one rebound as
// the service account before a search. When every connection is in
// use, Acquire waits up to the operation timeout and then answers
// UNAVAILABLE, so a slow directory sheds logins instead of piling them up.
// The pool also remembers whether the directory answered last time, which
// the health service reports.
#ifndef IDENTITY_PROVIDERS_LDAP_LDAP_POOL_H_
#define IDENTITY_PROVIDERS_LDAP_LDAP_POOL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "providers/ldap/ldap_connection.h"
#include "providers/ldap/ldap_directory_options.h"

namespace identity::ldap {

// What an operator reads about one pool (per replica).
struct PoolFigures {
  int capacity = 0;
  int open = 0;     // idle + in use
  int in_use = 0;
  int64_t acquired = 0;   // leases handed out
  int64_t waited = 0;     // acquisitions that had to wait for a connection
  int64_t timed_out = 0;  // acquisitions refused after waiting
  int64_t connects = 0;   // connections opened
  int64_t discarded = 0;  // connections closed after a failure
  int64_t rebinds = 0;    // rebound as the service account after a user's bind
  bool reachable = true;  // the last connect or operation reached the server
  std::string last_error;  // why not, without secrets
  absl::Time last_checked = absl::InfinitePast();
};

class ConnectionPool {
 public:
  explicit ConnectionPool(DirectoryOptions options);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    LDAP* get() const { return handle_.get(); }
    // Opened before this lease: it may have gone stale (directory restart).
    bool reused() const { return reused_; }
    // The connection is now bound as a user; rebound before its next use.
    void MarkBoundAsUser() { as_user_ = true; }
    // The connection failed; it is closed instead of returned.
    void Discard() { broken_ = true; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, Handle handle, bool reused)
        : pool_(pool), handle_(std::move(handle)), reused_(reused) {}
    ConnectionPool* pool_;
    Handle handle_;
    bool reused_;
    bool as_user_ = false;
    bool broken_ = false;
  };

  enum class Use {
    kSearch,    // bound as the service account
    kUserBind,  // about to be bound as a user: bound as anyone
  };

  // A connection for `use`. UNAVAILABLE when the directory cannot be reached
  // or no connection frees up in time; FAILED_PRECONDITION when the service
  // account's bind is refused.
  absl::StatusOr<Lease> Acquire(Use use = Use::kSearch);
  // Closes the idle connections (after one turned out stale).
  void DropIdle();
  // Records whether an operation reached the directory.
  void Observe(const absl::Status& status);

  const DirectoryOptions& options() const { return options_; }
  PoolFigures Figures() const;
  // What the server's root DSE said (Directory reads it once per pool).
  std::optional<ServerInfo> server_info() const {
    absl::MutexLock lock(&mu_);
    return server_info_;
  }
  void set_server_info(ServerInfo info) {
    absl::MutexLock lock(&mu_);
    server_info_ = std::move(info);
  }

 private:
  struct Idle {
    Handle handle;
    bool as_user;
  };
  // Takes the idle connection that suits `use` best; nullopt when none
  // suits it and a new one may be opened.
  std::optional<Idle> TakeIdle(Use use) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<Lease> Prepare(Idle idle, Use use);
  absl::StatusOr<Lease> Open();
  void Release(Handle handle, bool as_user, bool broken);

  const DirectoryOptions options_;
  mutable absl::Mutex mu_;
  std::vector<Idle> idle_ ABSL_GUARDED_BY(mu_);
  PoolFigures figures_ ABSL_GUARDED_BY(mu_);
  std::optional<ServerInfo> server_info_ ABSL_GUARDED_BY(mu_);
};

}  // namespace identity::ldap

#endif  // IDENTITY_PROVIDERS_LDAP_LDAP_POOL_H_
