// Serves every WatchAuditEvents stream of this replica from one thread and,
// in steady state, one database read per wake-up, whatever the number of
// streams.
//
// A stream starts behind (its cursor, or the beginning): the feed reads its
// stored events in pages, as fast as the stream's buffer empties. Once a
// page comes back short the stream has everything up to the snapshot the
// page was read in, which is past the feed's own frontier, so it joins the
// live streams. The feed reads what is new after its frontier once for all
// live streams and hands each the events its filter takes and it has not
// had (positions only grow, so "after my position" is the whole rule).
//
// It wakes on PostgreSQL NOTIFY (channel identity_audit, migration 0030),
// every 100 ms while committed events wait for an older transaction to end,
// and otherwise polls slowly as a fallback (fast while the notifications
// are not heard). A long-running writing transaction holds back delivery of
// everything committed after it started: events are sent in order or not
// at all.
#ifndef IDENTITY_APPLICATION_AUDIT_AUDIT_FEED_H_
#define IDENTITY_APPLICATION_AUDIT_AUDIT_FEED_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "application/audit/audit_watch.h"
#include "storage/change_feed.h"
#include "storage/store.h"

namespace identity {

// One open stream, as the feed sees it. The feed calls it with its own lock
// held; a watcher must not call the feed back from inside these calls
// except Wake and WakeForRoom. The feed shares its ownership and lets go of
// it once it is Done, so a stream that ends never waits for the feed's lock.
class AuditWatcher {
 public:
  virtual ~AuditWatcher() = default;
  // How many more events the stream's buffer takes now; -1 once the
  // stream is ending (it takes nothing more and needs nothing more).
  virtual int Room() = 0;
  // Events in stream order. Catching up, never more than Room(); `live`,
  // as many as committed: a watcher whose buffer overflows ends itself.
  virtual void Push(std::vector<domain::AuditEvent> events, bool live) = 0;
  // Validates the caller's credential again; not OK: the feed ends it.
  virtual absl::Status Recheck() = 0;
  // Ends the stream with `status` (shutdown, a failed read or recheck).
  virtual void End(const absl::Status& status) = 0;
  // Called every round (at least every poll interval): a stream whose
  // caller has taken nothing for too long ends itself, whatever the caller
  // does, so it cannot keep its slot.
  virtual void CheckProgress() = 0;
  // The stream is over: the feed drops it.
  virtual bool Done() = 0;
};

class AuditFeed final : public storage::ChangeSink {
 public:
  struct Options {
    int max_watchers = 100;
    int page_size = 500;  // at most the watchers' buffer
    // A burst larger than a buffer is not a slow reader: before each further
    // page of new events the live watchers get this long to make room.
    absl::Duration burst_grace = absl::Milliseconds(200);
    absl::Duration poll_every = absl::Seconds(2);  // fallback when heard
    absl::Duration unheard_poll_every = absl::Milliseconds(250);
    absl::Duration pending_poll_every = absl::Milliseconds(100);
    absl::Duration recheck_every = absl::Seconds(2);
    // Wake-ups closer together than this are folded into one round, so a
    // busy database (an event per login) costs a few reads a second.
    absl::Duration min_round_gap = absl::Milliseconds(50);
  };

  AuditFeed(storage::Store* store, Options options);
  ~AuditFeed() override;

  // RESOURCE_EXHAUSTED at max_watchers streams that are not ending (an
  // ending stream takes no more events and is gone within its write
  // timeout), UNAVAILABLE after Shutdown.
  absl::Status Add(std::shared_ptr<AuditWatcher> watcher,
                   const AuditWatchPlan& plan);
  // Something may have committed (folded with others: min_round_gap).
  void Wake();
  // A stream that is catching up emptied its buffer: the next round starts
  // at once, so catching up runs as fast as the caller reads.
  void WakeForRoom();
  // Ends every stream with `status` and refuses new ones.
  void Shutdown(const absl::Status& status);
  struct Counts {
    int live = 0;    // counted against max_watchers
    int ending = 0;  // ended, waiting for their last write or their cancel
  };
  Counts counts();

  void OnChanges(const std::vector<storage::Change>&) override { Wake(); }
  void OnFeedState(bool live) override;

 private:
  struct Entry {
    std::shared_ptr<AuditWatcher> watcher;
    AuditWatchPlan plan;
    storage::AuditPosition position;  // of the last event pushed
    bool live = false;
  };

  void Run();
  void Round();
  // Reads what is new after frontier_ and hands it to the live watchers.
  bool ReadTail();
  // Waits (up to burst_grace) until every live watcher has room for a page.
  void AwaitRoom();
  // One page for each watcher that is behind and has room.
  void CatchUp();
  void RecheckAll();
  void CheckProgressAll();
  void SetPending(bool pending);
  // Drops the streams that are over.
  void PruneLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Counts CountLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  storage::Store* const store_;
  const Options options_;

  absl::Mutex mu_;
  absl::flat_hash_map<AuditWatcher*, Entry> entries_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;

  // Taken alone, never with mu_, so a watcher may call Wake any time.
  absl::Mutex wake_mu_;
  bool woken_ ABSL_GUARDED_BY(wake_mu_) = false;
  bool drained_ ABSL_GUARDED_BY(wake_mu_) = false;
  bool stop_ ABSL_GUARDED_BY(wake_mu_) = false;
  bool heard_ ABSL_GUARDED_BY(wake_mu_) = false;
  bool pending_ ABSL_GUARDED_BY(wake_mu_) = false;

  // The feed thread's own: the last event read for the live watchers.
  std::optional<storage::AuditPosition> frontier_;
  std::thread thread_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_AUDIT_AUDIT_FEED_H_
