// WatchAuditEvents against callers that stop reading but keep their
// connection open. HTTP/2 flow control then holds the server's write
// forever; the stream must still end within the write timeout and give its
// slot back, or such callers would hold every slot of the replica.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <set>

#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/organizations/audit_watcher.h"

namespace identity::testing {
namespace {

using Response = AuditWatcher::Response;

class AuditWatchStalledE2eTest : public E2eTest {
 protected:
  static void SetUpTestSuite() { StartReplica("1"); }
  static void StartReplica(const std::string& write_timeout_seconds) {
    E2eTest::SetUpTestSuite();
    IdentitydServer::Options small = server().options();
    small.env["IDENTITY_AUDIT_WATCH_MAX"] = "2";
    small.env["IDENTITY_AUDIT_WATCH_BUFFER"] = "20";
    small.env["IDENTITY_AUDIT_WATCH_WRITE_TIMEOUT_SECONDS"] =
        write_timeout_seconds;
    replica_ = IdentitydServer::Start(small);
    ASSERT_NE(replica_, nullptr);
  }
  static void TearDownTestSuite() {
    replica_.reset();
    E2eTest::TearDownTestSuite();
  }

  // Its own connection with a small, fixed receive window, so that a caller
  // that reads nothing blocks the server's writes after a few events.
  static std::shared_ptr<grpc::Channel> SmallWindowChannel() {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 16 * 1024);
    return grpc::CreateCustomChannel(replica_->address(),
                                     grpc::InsecureChannelCredentials(), args);
  }
  // Reads `reads` events, then nothing more until Resume().
  static std::unique_ptr<AuditWatcher> Stalled(const std::string& org,
                                               size_t reads) {
    v1::WatchAuditEventsRequest req;
    req.set_organization_id(org);
    return std::make_unique<AuditWatcher>(SmallWindowChannel(), AdminToken(),
                                          req, reads);
  }
  static std::unique_ptr<AuditWatcher> Watch(const std::string& org,
                                             const std::string& cursor,
                                             const std::string& action) {
    v1::WatchAuditEventsRequest req;
    req.set_organization_id(org);
    req.set_cursor(cursor);
    req.set_action(action);
    return std::make_unique<AuditWatcher>(replica_->NewChannel(), AdminToken(),
                                          req);
  }
  // `n` events of `org` of about 20 kB each, committed at once.
  static void Flood(const std::string& org, int n) {
    Sql("INSERT INTO audit_events (action, target_type, organization_id, "
        "details) SELECT 'test.flood', 'test', '" +
        org +
        "'::uuid, jsonb_build_object('pad', repeat('x', 20000)) "
        "FROM generate_series(1, " +
        std::to_string(n) + ")");
  }
  static size_t Stored(const std::string& org) {
    return std::stoul(
        Sql("SELECT count(*) FROM audit_events WHERE organization_id = '" +
            org + "'"));
  }
  // Whether a new watcher gets in (its first event) before `deadline`.
  static bool AdmittedBefore(const std::string& org, absl::Time deadline) {
    while (absl::Now() < deadline) {
      auto probe = Watch(org, "", "organization.create");
      if (!probe->WaitFor(1, absl::Milliseconds(500)).empty()) return true;
      absl::SleepFor(absl::Milliseconds(200));
    }
    return false;
  }
  // Polls the replica's metrics until `series` is at least `low` and at
  // most `high` (or `deadline`); its last value.
  static double MetricBetween(const std::string& series, double low,
                              double high, absl::Time deadline) {
    double value = -1;
    for (;;) {
      value = MetricValue(replica_->Metrics(), series);
      if ((value >= low && value <= high) || absl::Now() >= deadline) {
        return value;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
  }

  static inline std::unique_ptr<IdentitydServer> replica_;
};

// Both slots are taken by callers that read one event and then nothing,
// while far more events commit than their buffers hold. Their streams end
// with RESOURCE_EXHAUSTED without their help, a new watcher gets a slot,
// and each stalled caller, once it reads again, finds the end and resumes
// from its last cursor with nothing lost.
TEST_F(AuditWatchStalledE2eTest, CallersThatStopReadingGiveTheirSlotsBack) {
  const std::string org = CreateOrg().id();
  std::vector<std::unique_ptr<AuditWatcher>> stalled;
  for (int i = 0; i < 2; ++i) {
    stalled.push_back(Stalled(org, 1));
    ASSERT_EQ(stalled.back()->WaitFor(1).size(), 1u) << "slot " << i;
  }
  Flood(org, 200);  // about 4 MB: ten times each buffer

  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  EXPECT_TRUE(AdmittedBefore(org, deadline))
      << "a caller that reads nothing still holds its slot";
  EXPECT_GE(
      MetricBetween("identity_audit_watch_ended_total{reason=\"slow_reader\"}",
                    2, 1e9, deadline),
      2)
      << "both stalled streams are over while their callers still read "
         "nothing";
  EXPECT_EQ(MetricBetween("identity_audit_watchers", 0, 0, deadline), 0);

  for (std::unique_ptr<AuditWatcher>& w : stalled) {
    w->Resume();
    std::optional<grpc::Status> ended = w->Ended(absl::Seconds(5));
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << ended->error_message();
  }
  std::vector<Response> got = stalled[0]->received();
  ASSERT_LT(got.size(), Stored(org));
  auto resumed = Watch(org, got.back().cursor(), "");
  for (const Response& r :
       resumed->WaitFor(Stored(org) - got.size(), absl::Seconds(30))) {
    got.push_back(r);
  }
  std::set<std::string> ids;
  for (const Response& r : got) {
    EXPECT_TRUE(ids.insert(r.event().id()).second) << r.event().id();
  }
  EXPECT_EQ(ids.size(), Stored(org));
}

// Fewer events than the buffer holds, but more than the caller's receive
// window: no overflow, only a write that never completes. The write
// timeout ends it all the same.
TEST_F(AuditWatchStalledE2eTest, AWriteThatMakesNoProgressEndsTheStream) {
  const std::string org = CreateOrg().id();
  auto stalled = Stalled(org, 1);
  ASSERT_EQ(stalled->WaitFor(1).size(), 1u);
  const double before = std::max(
      0.0, MetricValue(replica_->Metrics(),
                       "identity_audit_watch_ended_total{reason=\"stalled\"}"));
  Flood(org, 10);  // 200 kB, half the buffer

  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  EXPECT_GE(
      MetricBetween("identity_audit_watch_ended_total{reason=\"stalled\"}",
                    before + 1, 1e9, deadline),
      before + 1);
  EXPECT_EQ(MetricBetween("identity_audit_watchers", 0, 0, deadline), 0);
  stalled->Resume();
  std::optional<grpc::Status> ended = stalled->Ended(absl::Seconds(5));
  ASSERT_TRUE(ended.has_value());
  EXPECT_EQ(ended->error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << ended->error_message();
  EXPECT_NE(
      ended->error_message().find("IDENTITY_AUDIT_WATCH_WRITE_TIMEOUT_SECONDS"),
      std::string::npos)
      << ended->error_message();
}

// With a long write timeout, streams that fell behind end (they no longer
// count against the limit) and their stuck writes are cut within a short
// grace, not after the timeout: otherwise a caller could open the limit's
// worth of streams, let them fall behind, and open as many again.
class AuditWatchEndingE2eTest : public AuditWatchStalledE2eTest {
 protected:
  static void SetUpTestSuite() { StartReplica("600"); }
};

TEST_F(AuditWatchEndingE2eTest, StreamsThatFellBehindDoNotLingerUncounted) {
  const std::string org = CreateOrg().id();
  std::vector<std::unique_ptr<AuditWatcher>> stalled;
  for (int i = 0; i < 2; ++i) {
    stalled.push_back(Stalled(org, 1));
    ASSERT_EQ(stalled.back()->WaitFor(1).size(), 1u) << "slot " << i;
  }
  Flood(org, 200);
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  EXPECT_GE(
      MetricBetween("identity_audit_watch_ended_total{reason=\"slow_reader\"}",
                    2, 1e9, deadline),
      2);
  EXPECT_EQ(MetricBetween("identity_audit_watchers_ending", 0, 0, deadline), 0)
      << "ended streams still open, uncounted, with the timeout at 600 s";
}

}  // namespace
}  // namespace identity::testing
