// Listens on PostgreSQL channel identity_changes (migration 0013), or
// another channel, with a connection of its own and hands what other
// replicas changed to a ChangeSink. A lost connection is noticed (a failed wait, or a ping every
// few seconds) and reported, then re-established with backoff; the sink
// hears when the feed is live again, having missed what came in between.
#ifndef IDENTITY_STORAGE_PG_CHANGE_LISTENER_H_
#define IDENTITY_STORAGE_PG_CHANGE_LISTENER_H_

#include <atomic>
#include <string>
#include <thread>

#include "absl/time/time.h"
#include "storage/change_feed.h"

namespace identity::storage {

class ChangeListener {
 public:
  struct Options {
    std::string url;  // libpq URI, as the pool's
    // On another channel (identity_audit, migration 0030) the sink hears of
    // every notification, as an empty list when its payload names nothing
    // cached: the notification itself is the news.
    std::string channel = "identity_changes";
    absl::Duration ping_every = absl::Seconds(5);
    absl::Duration max_backoff = absl::Seconds(5);
  };
  ChangeListener(Options options, ChangeSink* sink)
      : options_(std::move(options)), sink_(sink) {}
  ~ChangeListener() { Stop(); }

  void Start();
  // Returns once the listening thread has ended.
  void Stop();

 private:
  void Run();
  // Listens until the connection fails or Stop is called.
  void ListenOnce();

  const Options options_;
  ChangeSink* sink_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PG_CHANGE_LISTENER_H_
