#include "application/onboarding/registration_purge.h"

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace identity {
namespace {

// Rows per transaction: a flood of abandoned registrations is purged in
// short transactions, not one that holds locks on all of them.
constexpr int kBatch = 500;

}  // namespace

RegistrationPurge::RegistrationPurge(storage::Store* store,
                                     absl::Duration every)
    : store_(store), every_(every), thread_([this] { Loop(); }) {}

RegistrationPurge::~RegistrationPurge() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

absl::StatusOr<int64_t> RegistrationPurge::RunOnce() {
  int64_t total = 0;
  for (;;) {
    absl::StatusOr<int64_t> n = store_->PurgeExpiredRegistrations(kBatch);
    if (!n.ok()) return n.status();
    total += *n;
    if (*n < kBatch) return total;
  }
}

void RegistrationPurge::Loop() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    mu_.Unlock();
    absl::StatusOr<int64_t> purged = RunOnce();
    if (!purged.ok()) {
      // The database may be down; the next pass tries again.
      log::Warn("registration.purge_failed",
                {{"error", purged.status().message()}});
    } else if (*purged > 0) {
      log::Info("registration.purged", {{"count", absl::StrCat(*purged)}});
    }
    mu_.Lock();
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), every_);
  }
}

}  // namespace identity
