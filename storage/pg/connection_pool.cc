#include "storage/pg/connection_pool.h"

#include <pqxx/nontransaction>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/error_info.h"
#include "common/log.h"

namespace identity::storage {

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), conn_(std::move(other.conn_)),
      broken_(other.broken_) {
  other.pool_ = nullptr;
}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(std::move(conn_), broken_);
}

ConnectionPool::ConnectionPool(Options options)
    : options_(std::move(options)), url_(EffectiveUrl(options_)) {}

std::string ConnectionPool::EffectiveUrl(const Options& options) {
  const int64_t connect_s =
      std::max<int64_t>(1, absl::ToInt64Seconds(options.connect_timeout));
  const std::string extras[] = {
      absl::StrCat("connect_timeout=", connect_s), "application_name=identityd",
      "keepalives=1", "keepalives_idle=10", "keepalives_interval=5",
      "keepalives_count=3"};
  std::string url = options.url;
  const bool is_uri = absl::StartsWith(url, "postgresql://") ||
                      absl::StartsWith(url, "postgres://");
  for (const std::string& extra : extras) {
    std::string key = extra.substr(0, extra.find('=') + 1);
    if (absl::StrContains(url, key)) continue;  // the operator's value wins
    if (is_uri) {
      absl::StrAppend(&url, absl::StrContains(url, "?") ? "&" : "?", extra);
    } else {
      absl::StrAppend(&url, " ", extra);
    }
  }
  return url;
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> ConnectionPool::Connect() {
  try {
    auto conn = std::make_unique<pqxx::connection>(url_);
    pqxx::nontransaction tx(*conn);
    tx.exec(absl::StrCat("SET statement_timeout = ",
                         absl::ToInt64Milliseconds(options_.statement_timeout)));
    return conn;
  } catch (const std::exception& e) {
    // libpq's message names host and port but never the password.
    log::Warn("database.connect_failed", {{"error", e.what()}});
    return WithReason(
        absl::UnavailableError("database unavailable; retry later"),
        reason::kDatabaseUnavailable);
  }
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire() {
  const absl::Time deadline = absl::Now() + options_.acquire_timeout;
  mu_.Lock();
  auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !idle_.empty() || open_ < options_.size;
  };
  if (!mu_.AwaitWithDeadline(absl::Condition(&available), deadline)) {
    mu_.Unlock();
    return WithReason(absl::UnavailableError(
                          "all database connections are busy; retry later"),
                      reason::kDatabaseUnavailable);
  }
  ++in_use_;
  if (!idle_.empty()) {
    std::unique_ptr<pqxx::connection> conn = std::move(idle_.back());
    idle_.pop_back();
    mu_.Unlock();
    return Lease(this, std::move(conn));
  }
  if (absl::Now() < next_connect_) {
    --in_use_;
    mu_.Unlock();
    return WithReason(
        absl::UnavailableError("database unavailable; retry later"),
        reason::kDatabaseUnavailable);
  }
  ++open_;
  mu_.Unlock();

  absl::StatusOr<std::unique_ptr<pqxx::connection>> conn = Connect();
  absl::MutexLock lock(&mu_);
  if (!conn.ok()) {
    --open_;
    --in_use_;
    // Jitter keeps replicas from reconnecting in lockstep.
    const absl::Duration jitter =
        absl::Milliseconds(crypto::RandomUniform(100));
    next_connect_ = absl::Now() + backoff_ + jitter;
    backoff_ = std::min(backoff_ * 2, options_.max_backoff);
    return conn.status();
  }
  backoff_ = absl::Milliseconds(100);
  next_connect_ = absl::InfinitePast();
  return Lease(this, *std::move(conn));
}

void ConnectionPool::Release(std::unique_ptr<pqxx::connection> conn,
                             bool broken) {
  absl::MutexLock lock(&mu_);
  --in_use_;
  if (broken || conn == nullptr || !conn->is_open()) {
    --open_;
    return;  // `conn` closes here; the next Acquire opens a new one
  }
  idle_.push_back(std::move(conn));
}

ConnectionPool::Stats ConnectionPool::stats() {
  absl::MutexLock lock(&mu_);
  return Stats{options_.size, open_, in_use_};
}

}  // namespace identity::storage
