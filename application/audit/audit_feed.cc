#include "application/audit/audit_feed.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"

namespace identity {
namespace {

storage::AuditPosition PositionOf(const domain::AuditEvent& e) {
  return storage::AuditPosition{e.xid, e.id};
}

void LogReadFailure(const absl::Status& status) {
  log::Warn("audit_feed.read_failed",
            {{"code", absl::StatusCodeToString(status.code())},
             {"reason", status.message()}});
}

}  // namespace

AuditFeed::AuditFeed(storage::Store* store, Options options)
    : store_(store), options_(options) {
  thread_ = std::thread([this] { Run(); });
}

AuditFeed::~AuditFeed() {
  {
    absl::MutexLock lock(&wake_mu_);
    stop_ = true;
  }
  thread_.join();
}

absl::Status AuditFeed::Add(std::shared_ptr<AuditWatcher> watcher,
                            const AuditWatchPlan& plan) {
  {
    absl::MutexLock lock(&mu_);
    PruneLocked();
    if (closed_) {
      return absl::UnavailableError(
          "this replica is shutting down; watch on another one with the "
          "cursor of the last event received");
    }
    if (CountLocked().live >= options_.max_watchers) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "too many open audit watches on this replica (",
          options_.max_watchers,
          ", IDENTITY_AUDIT_WATCH_MAX); retry later or on another replica"));
    }
    AuditWatcher* key = watcher.get();
    entries_[key] = Entry{std::move(watcher), plan, plan.after, false};
  }
  Wake();
  return absl::OkStatus();
}

void AuditFeed::PruneLocked() {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.watcher->Done()) {
      entries_.erase(it++);
    } else {
      ++it;
    }
  }
}

void AuditFeed::Wake() {
  absl::MutexLock lock(&wake_mu_);
  woken_ = true;
}

void AuditFeed::WakeForRoom() {
  absl::MutexLock lock(&wake_mu_);
  drained_ = true;
}

void AuditFeed::OnFeedState(bool live) {
  {
    absl::MutexLock lock(&wake_mu_);
    heard_ = live;
  }
  Wake();  // back: what was missed meanwhile is read now
}

void AuditFeed::Shutdown(const absl::Status& status) {
  absl::MutexLock lock(&mu_);
  closed_ = true;
  for (auto& [key, entry] : entries_) entry.watcher->End(status);
}

AuditFeed::Counts AuditFeed::counts() {
  absl::MutexLock lock(&mu_);
  PruneLocked();
  return CountLocked();
}

AuditFeed::Counts AuditFeed::CountLocked() {
  Counts counts;
  for (auto& [key, entry] : entries_) {
    ++(entry.watcher->Room() < 0 ? counts.ending : counts.live);
  }
  return counts;
}

void AuditFeed::SetPending(bool pending) {
  absl::MutexLock lock(&wake_mu_);
  pending_ = pending;
}

void AuditFeed::Run() {
  absl::Time next_recheck = absl::Now() + options_.recheck_every;
  absl::Time last_round = absl::InfinitePast();
  for (;;) {
    {
      absl::MutexLock lock(&wake_mu_);
      auto stopping = [this]() ABSL_SHARED_LOCKS_REQUIRED(wake_mu_) {
        return stop_ || drained_;
      };
      wake_mu_.AwaitWithDeadline(absl::Condition(&stopping),
                                 last_round + options_.min_round_gap);
      const absl::Duration wait = pending_ ? options_.pending_poll_every
                                  : heard_ ? options_.poll_every
                                           : options_.unheard_poll_every;
      auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(wake_mu_) {
        return woken_ || drained_ || stop_;
      };
      wake_mu_.AwaitWithTimeout(absl::Condition(&ready), wait);
      if (stop_) return;
      woken_ = false;
      drained_ = false;
    }
    last_round = absl::Now();
    Round();
    CheckProgressAll();
    if (absl::Now() >= next_recheck) {
      RecheckAll();
      next_recheck = absl::Now() + options_.recheck_every;
    }
  }
}

void AuditFeed::Round() {
  bool idle;
  {
    absl::MutexLock lock(&mu_);
    PruneLocked();
    idle = entries_.empty();
  }
  if (idle) {
    frontier_.reset();  // nobody to keep up for
    SetPending(false);
    return;
  }
  if (!frontier_) {
    absl::StatusOr<storage::AuditPosition> head = store_->AuditStreamHead();
    if (!head.ok()) return LogReadFailure(head.status());
    frontier_ = *head;
  }
  // The catch-up reads must come after the tail read of the same round:
  // a stream that finds nothing more is then past the frontier.
  if (ReadTail()) CatchUp();
}

void AuditFeed::AwaitRoom() {
  const absl::Time until = absl::Now() + options_.burst_grace;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      bool roomy = true;
      for (auto& [key, entry] : entries_) {
        const int room = entry.live ? entry.watcher->Room() : -1;
        if (room >= 0 && room < options_.page_size) roomy = false;
      }
      if (roomy) return;
    }
    if (absl::Now() >= until) return;  // the slow ones overflow and end
    absl::SleepFor(absl::Milliseconds(5));
  }
}

bool AuditFeed::ReadTail() {
  for (bool first = true;; first = false) {
    if (!first) AwaitRoom();
    storage::AuditQuery everything;
    everything.limit = options_.page_size;
    absl::StatusOr<storage::AuditStreamPage> page =
        store_->ReadAuditStream(everything, *frontier_);
    if (!page.ok()) {
      LogReadFailure(page.status());
      return false;
    }
    SetPending(page->pending);
    if (page->events.empty()) return true;
    frontier_ = PositionOf(page->events.back());
    absl::MutexLock lock(&mu_);
    for (auto& [key, entry] : entries_) {
      if (!entry.live) continue;
      std::vector<domain::AuditEvent> mine;
      for (const domain::AuditEvent& e : page->events) {
        if (entry.position < PositionOf(e) &&
            AuditMatches(entry.plan.filter, e)) {
          mine.push_back(e);
        }
      }
      if (mine.empty()) continue;
      entry.position = PositionOf(mine.back());
      entry.watcher->Push(std::move(mine), /*live=*/true);
    }
    if (static_cast<int>(page->events.size()) < options_.page_size) {
      return true;
    }
  }
}

void AuditFeed::CatchUp() {
  struct Job {
    std::shared_ptr<AuditWatcher> watcher;  // kept alive while it is read for
    storage::AuditQuery filter;
    storage::AuditPosition after;
  };
  std::vector<Job> jobs;
  {
    absl::MutexLock lock(&mu_);
    for (auto& [key, entry] : entries_) {
      if (entry.live) continue;
      const int room = entry.watcher->Room();
      if (room <= 0) continue;  // woken again when its buffer drains
      Job job{entry.watcher, entry.plan.filter, entry.position};
      job.filter.limit = std::min(room, options_.page_size);
      jobs.push_back(std::move(job));
    }
  }
  // Read without the lock: streams come and go meanwhile.
  for (Job& job : jobs) {
    absl::StatusOr<storage::AuditStreamPage> page =
        store_->ReadAuditStream(job.filter, job.after);
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(job.watcher.get());
    if (it == entries_.end()) continue;
    if (!page.ok()) {
      LogReadFailure(page.status());
      // The database being away is worth waiting for; anything else is not.
      if (!absl::IsUnavailable(page.status())) job.watcher->End(page.status());
      continue;
    }
    const bool complete =
        static_cast<int>(page->events.size()) < job.filter.limit;
    if (!page->events.empty()) {
      it->second.position = PositionOf(page->events.back());
      job.watcher->Push(std::move(page->events), /*live=*/false);
    }
    if (complete) it->second.live = true;
  }
}

void AuditFeed::CheckProgressAll() {
  absl::MutexLock lock(&mu_);
  for (auto& [key, entry] : entries_) entry.watcher->CheckProgress();
}

void AuditFeed::RecheckAll() {
  absl::MutexLock lock(&mu_);
  for (auto& [key, entry] : entries_) {
    if (entry.watcher->Room() < 0) continue;  // ending anyway
    absl::Status still = entry.watcher->Recheck();
    if (!still.ok()) entry.watcher->End(still);
  }
}

}  // namespace identity
