#include "providers/ldap/ldap_pool.h"

#include <ldap.h>

#include <optional>

#include "absl/time/clock.h"

namespace identity::ldap {

ConnectionPool::ConnectionPool(DirectoryOptions options)
    : options_(std::move(options)) {
  figures_.capacity = options_.pool_size;
}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_),
      handle_(std::move(other.handle_)),
      reused_(other.reused_),
      as_user_(other.as_user_),
      broken_(other.broken_) {
  other.pool_ = nullptr;
}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(std::move(handle_), as_user_, broken_);
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire(Use use) {
  const absl::Time deadline = absl::Now() + options_.operation_timeout;
  std::optional<Idle> idle;
  {
    absl::MutexLock lock(&mu_);
    auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || figures_.open < figures_.capacity;
    };
    if (!available()) {
      ++figures_.waited;
      if (!mu_.AwaitWithDeadline(absl::Condition(&available), deadline)) {
        ++figures_.timed_out;
        return absl::UnavailableError(
            "every LDAP connection is busy (raise pool_size or check the "
            "directory's latency)");
      }
    }
    ++figures_.in_use;
    ++figures_.acquired;
    idle = TakeIdle(use);
    if (!idle) ++figures_.open;  // counted now so that others wait for it
  }
  if (idle) return Prepare(std::move(*idle), use);
  return Open();
}

std::optional<ConnectionPool::Idle> ConnectionPool::TakeIdle(Use use) {
  const bool want_as_user = use == Use::kUserBind;
  // The most recently released first: its TCP connection is the least
  // likely to have been dropped by a firewall.
  for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
    if (it->as_user != want_as_user) continue;
    Idle taken = std::move(*it);
    idle_.erase(std::next(it).base());
    return taken;
  }
  if (idle_.empty() || figures_.open < figures_.capacity) return std::nullopt;
  Idle taken = std::move(idle_.back());
  idle_.pop_back();
  if (use == Use::kSearch) ++figures_.rebinds;  // Prepare rebinds it
  return taken;
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Prepare(Idle idle,
                                                               Use use) {
  if (!idle.as_user || use == Use::kUserBind) {
    return Lease(this, std::move(idle.handle), true);
  }
  // Bound as the last user to log in: back to the service account.
  const int rc = SimpleBind(idle.handle.get(), options_.bind_dn,
                            options_.bind_password);
  if (rc == LDAP_SUCCESS) return Lease(this, std::move(idle.handle), true);
  // Stale or refused: count it closed and start over on a new connection.
  Release(std::move(idle.handle), false, true);
  {
    absl::MutexLock lock(&mu_);
    ++figures_.open;
    ++figures_.in_use;
  }
  return Open();
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Open() {
  absl::StatusOr<Handle> handle = Connect(options_);
  absl::MutexLock lock(&mu_);
  if (!handle.ok()) {
    --figures_.open;
    --figures_.in_use;
    if (absl::IsUnavailable(handle.status())) {
      figures_.reachable = false;
      figures_.last_error = std::string(handle.status().message());
      figures_.last_checked = absl::Now();
    }
    return handle.status();
  }
  ++figures_.connects;
  figures_.reachable = true;
  figures_.last_error.clear();
  figures_.last_checked = absl::Now();
  return Lease(this, *std::move(handle), false);
}

void ConnectionPool::Release(Handle handle, bool as_user, bool broken) {
  Handle closing;  // unbinding can block on the network: not under the lock
  absl::MutexLock lock(&mu_);
  --figures_.in_use;
  if (broken || handle == nullptr) {
    --figures_.open;
    ++figures_.discarded;
    closing = std::move(handle);
    return;
  }
  idle_.push_back({std::move(handle), as_user});
}

void ConnectionPool::DropIdle() {
  std::vector<Idle> stale;
  {
    absl::MutexLock lock(&mu_);
    stale.swap(idle_);
    figures_.open -= static_cast<int>(stale.size());
    figures_.discarded += static_cast<int64_t>(stale.size());
  }
}

void ConnectionPool::Observe(const absl::Status& status) {
  absl::MutexLock lock(&mu_);
  figures_.last_checked = absl::Now();
  if (absl::IsUnavailable(status)) {
    figures_.reachable = false;
    figures_.last_error = std::string(status.message());
  } else {
    figures_.reachable = true;
    figures_.last_error.clear();
  }
}

PoolFigures ConnectionPool::Figures() const {
  absl::MutexLock lock(&mu_);
  return figures_;
}

}  // namespace identity::ldap
