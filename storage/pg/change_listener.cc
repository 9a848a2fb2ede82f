#include "storage/pg/change_listener.h"

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/notification>

#include "absl/time/clock.h"
#include "common/log.h"

namespace identity::storage {
namespace {

constexpr char kChannel[] = "identity_changes";

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& c, const std::string& channel,
           ChangeSink* sink)
      : pqxx::notification_receiver(c, channel),
        every_(channel != kChannel),
        sink_(sink) {}
  void operator()(const std::string& payload, int) override {
    std::vector<Change> changes = ParseChanges(payload);
    if (every_ || !changes.empty()) sink_->OnChanges(changes);
  }

 private:
  const bool every_;
  ChangeSink* sink_;
};

}  // namespace

void ChangeListener::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void ChangeListener::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void ChangeListener::Run() {
  absl::Duration backoff = absl::Milliseconds(100);
  while (!stop_) {
    const absl::Time started = absl::Now();
    ListenOnce();
    if (stop_) break;
    sink_->OnFeedState(false);
    // A connection that lived a while earns a quick retry.
    if (absl::Now() - started > options_.ping_every) {
      backoff = absl::Milliseconds(100);
    }
    for (absl::Time until = absl::Now() + backoff; !stop_ && absl::Now() < until;) {
      absl::SleepFor(absl::Milliseconds(50));
    }
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

void ChangeListener::ListenOnce() {
  try {
    pqxx::connection conn(options_.url);
    Receiver receiver(conn, options_.channel, sink_);
    // LISTEN is sent once the receiver exists; a query makes sure it reached
    // the server before the feed is declared live.
    pqxx::nontransaction(conn).exec("SELECT 1");
    // libpqxx may reconnect behind our back; a new backend means notifications
    // were missed, which must be reported as a loss.
    const int backend = conn.backendpid();
    sink_->OnFeedState(true);
    log::Info("change_feed.listening", {{"channel", options_.channel}});
    absl::Time next_ping = absl::Now() + options_.ping_every;
    while (!stop_) {
      conn.await_notification(0, 200000);
      if (absl::Now() >= next_ping) {
        pqxx::nontransaction(conn).exec("SELECT 1");
        next_ping = absl::Now() + options_.ping_every;
      }
      if (conn.backendpid() != backend) return;
    }
  } catch (const std::exception&) {
    // The message may hold connection details: not logged.
    log::Warn("change_feed.lost",
              {{"channel", options_.channel},
               {"hint", "cached validations are bypassed and audit watches "
                        "poll until it is back"}});
  }
}

}  // namespace identity::storage
