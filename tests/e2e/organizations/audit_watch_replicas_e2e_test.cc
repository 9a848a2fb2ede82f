// WatchAuditEvents across replicas and under load: events written through
// one replica reach a watcher on another within a second; a watcher whose
// replica restarts resumes on another with nothing lost; the watcher limit
// and the slow-reader buffer end streams with RESOURCE_EXHAUSTED.
#include <csignal>
#include <set>

#include "absl/strings/match.h"
#include "tests/e2e/organizations/audit_watcher.h"
#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using Response = AuditWatcher::Response;

class AuditWatchReplicasE2eTest : public E2eTest {
 protected:
  static void SetUpTestSuite() {
    E2eTest::SetUpTestSuite();
    other_ = IdentitydServer::Start(server().options());
    ASSERT_NE(other_, nullptr);
    IdentitydServer::Options small = server().options();
    small.env["IDENTITY_AUDIT_WATCH_MAX"] = "2";
    small.env["IDENTITY_AUDIT_WATCH_BUFFER"] = "20";
    small_ = IdentitydServer::Start(small);
    ASSERT_NE(small_, nullptr);
  }
  static void TearDownTestSuite() {
    other_.reset();
    small_.reset();
    E2eTest::TearDownTestSuite();
  }

  static std::unique_ptr<AuditWatcher> Watch(
      IdentitydServer& replica, const std::string& org,
      const std::string& cursor = "",
      absl::Duration read_delay = absl::ZeroDuration()) {
    v1::WatchAuditEventsRequest req;
    req.set_organization_id(org);
    req.set_cursor(cursor);
    return std::make_unique<AuditWatcher>(replica.NewChannel(), AdminToken(),
                                          req, SIZE_MAX, read_delay);
  }
  static void Rename(const std::string& user_id, const std::string& name) {
    v1::UpdateUserRequest req;
    req.set_id(user_id);
    req.set_display_name(name);
    v1::User out;
    ASSERT_TRUE(users_->UpdateUser(Ctx(AdminToken()).get(), req, &out).ok());
  }
  static size_t Stored(const std::string& org) {
    return std::stoul(
        Sql("SELECT count(*) FROM audit_events WHERE organization_id = '" +
            org + "'"));
  }
  // No id twice, and as many as stored.
  static void ExpectEachOnce(const std::vector<Response>& got, size_t stored) {
    std::set<std::string> ids;
    for (const Response& r : got) {
      EXPECT_TRUE(ids.insert(r.event().id()).second)
          << "sent twice: " << r.event().id();
    }
    EXPECT_EQ(ids.size(), stored);
  }

  static inline std::unique_ptr<IdentitydServer> other_;
  static inline std::unique_ptr<IdentitydServer> small_;
};

TEST_F(AuditWatchReplicasE2eTest,
       AWatcherSeesWritesThroughAnotherReplicaWithinASecond) {
  const std::string org = CreateOrg().id();
  const v1::User user = CreateUser(org, "BASIC_USER");
  auto watch = Watch(*other_, org);
  ASSERT_EQ(watch->WaitFor(Stored(org)).size(), Stored(org));
  auto updates = [&]() {
    size_t n = 0;
    for (const Response& r : watch->received()) {
      n += r.event().action() == "user.update" &&
           r.event().target_id() == user.id();
    }
    return n;
  };
  absl::Duration slowest;
  for (size_t i = 1; i <= 5; ++i) {
    const absl::Time start = absl::Now();
    Rename(user.id(),
           "Renamed " + std::to_string(i));  // through the first replica
    while (updates() < i && absl::Now() - start < absl::Seconds(3)) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    ASSERT_EQ(updates(), i);
    slowest = std::max(slowest, absl::Now() - start);
  }
  EXPECT_LT(slowest, absl::Seconds(1));
}

TEST_F(AuditWatchReplicasE2eTest,
       AfterItsReplicaRestartsAWatcherResumesOnAnother) {
  const std::string org = CreateOrg().id();
  const v1::User user = CreateUser(org, "BASIC_USER");
  std::vector<Response> got;
  {
    auto watch = Watch(*other_, org);
    Rename(user.id(), "One");
    got = watch->WaitFor(Stored(org));
    ASSERT_EQ(got.size(), Stored(org));
    other_->Stop(SIGTERM);
    std::optional<grpc::Status> ended = watch->Ended();
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->error_code(), grpc::StatusCode::UNAVAILABLE)
        << ended->error_message();
    got = watch->received();
  }
  for (int i = 0; i < 3; ++i)
    Rename(user.id(), "While down " + std::to_string(i));
  auto resumed = Watch(server(), org, got.back().cursor());
  for (const Response& r : resumed->WaitFor(Stored(org) - got.size())) {
    got.push_back(r);
  }
  ExpectEachOnce(got, Stored(org));
  ASSERT_TRUE(other_->Restart());
}

TEST_F(AuditWatchReplicasE2eTest, WatchersBeyondTheLimitAreRefused) {
  const std::string org = CreateOrg().id();
  auto first = Watch(*small_, org);
  auto second = Watch(*small_, org);
  ASSERT_FALSE(first->WaitFor(1).empty());  // both are in
  ASSERT_FALSE(second->WaitFor(1).empty());
  auto third = Watch(*small_, org);
  std::optional<grpc::Status> refused = third->Ended();
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(
      absl::StrContains(refused->error_message(), "IDENTITY_AUDIT_WATCH_MAX"))
      << refused->error_message();
  // A slot is free again once a watcher leaves.
  first.reset();
  const absl::Time deadline = absl::Now() + absl::Seconds(3);
  bool admitted = false;
  while (!admitted && absl::Now() < deadline) {
    auto again = Watch(*small_, org);
    admitted = !again->WaitFor(1, absl::Milliseconds(500)).empty();
  }
  EXPECT_TRUE(admitted);
}

// A watcher that reads 50 events a second while a thousand large ones
// commit at once: once the connection's buffers and its 20 events of slack
// are full, the stream ends with RESOURCE_EXHAUSTED; resumed from the last
// cursor, it gets the rest, each event once.
TEST_F(AuditWatchReplicasE2eTest, ASlowReaderIsEndedAndResumesWithoutLoss) {
  const std::string org = CreateOrg().id();
  auto watch = Watch(*small_, org, "", absl::Milliseconds(20));
  ASSERT_EQ(watch->WaitFor(1).size(), 1u);  // organization.create: it is live
  constexpr int kFlood = 1000;  // about 20 MB, more than socket buffers
  Sql("INSERT INTO audit_events (action, target_type, organization_id, "
      "details) SELECT 'test.flood', 'test', '" +
      org +
      "'::uuid, "
      "jsonb_build_object('pad', repeat('x', 20000)) "
      "FROM generate_series(1, " +
      std::to_string(kFlood) + ")");
  std::optional<grpc::Status> ended = watch->Ended(absl::Seconds(40));
  ASSERT_TRUE(ended.has_value())
      << watch->received().size() << " of " << Stored(org) << " received";
  EXPECT_EQ(ended->error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << ended->error_message();
  std::vector<Response> got = watch->received();
  ASSERT_LT(got.size(), Stored(org)) << "it did fall behind";

  auto resumed = Watch(*small_, org, got.back().cursor());
  for (const Response& r :
       resumed->WaitFor(Stored(org) - got.size(), absl::Seconds(30))) {
    got.push_back(r);
  }
  ExpectEachOnce(got, Stored(org));
}

}  // namespace
}  // namespace identity::testing
