// WatchAuditEvents on one replica: resuming from a cursor loses and repeats
// nothing, also when transactions commit out of the order of their ids;
// scoped like ListAuditEvents; ended when the credential is.
#include <pqxx/connection>
#include <pqxx/transaction>
#include <set>

#include "absl/strings/match.h"
#include "tests/e2e/organizations/audit_watcher.h"
#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using Response = AuditWatcher::Response;

class AuditWatchE2eTest : public E2eTest {
 protected:
  static std::unique_ptr<AuditWatcher> Watch(const std::string& token,
                                             const std::string& org,
                                             const std::string& cursor = "",
                                             const std::string& action = "") {
    v1::WatchAuditEventsRequest req;
    req.set_organization_id(org);
    req.set_cursor(cursor);
    req.set_action(action);
    return std::make_unique<AuditWatcher>(server().NewChannel(), token, req);
  }
  // Every stored event of `org`, by id (ListAuditEvents).
  static std::vector<std::string> Listed(const std::string& org) {
    auto stub = v1::AuditService::NewStub(server().NewChannel());
    v1::ListAuditEventsRequest req;
    req.set_organization_id(org);
    req.set_page_size(500);
    v1::ListAuditEventsResponse resp;
    EXPECT_TRUE(
        stub->ListAuditEvents(Ctx(AdminToken()).get(), req, &resp).ok());
    std::vector<std::string> ids;
    for (auto it = resp.events().rbegin(); it != resp.events().rend(); ++it) {
      ids.push_back(it->id());
    }
    return ids;
  }
  static void Rename(const std::string& user_id, const std::string& name) {
    v1::UpdateUserRequest req;
    req.set_id(user_id);
    req.set_display_name(name);
    v1::User out;
    ASSERT_TRUE(users_->UpdateUser(Ctx(AdminToken()).get(), req, &out).ok());
  }
  static std::vector<std::string> Ids(const std::vector<Response>& got) {
    std::vector<std::string> ids;
    for (const Response& r : got) ids.push_back(r.event().id());
    return ids;
  }
  // An audit row inserted as the store inserts them, in `tx`.
  static void InsertEvent(pqxx::work& tx, const std::string& org,
                          const std::string& action) {
    tx.exec_params(
        "INSERT INTO audit_events (action, target_type, organization_id, "
        "details) VALUES ($1, 'test', $2::uuid, '{}'::jsonb)",
        action, org);
  }
};

TEST_F(AuditWatchE2eTest, ResumingFromTheLastCursorMissesAndRepeatsNothing) {
  const std::string org = CreateOrg().id();
  const v1::User user = CreateUser(org, "BASIC_USER");
  for (int i = 0; i < 4; ++i) Rename(user.id(), "Before " + std::to_string(i));
  const size_t before = Listed(org).size();
  ASSERT_GE(before, 6u);

  std::vector<Response> first;
  {
    auto watch = Watch(AdminToken(), org);
    first = watch->WaitFor(3);
    ASSERT_GE(first.size(), 3u);
  }  // the caller goes away after a few events
  for (int i = 0; i < 4; ++i) Rename(user.id(), "After " + std::to_string(i));

  auto resumed = Watch(AdminToken(), org, first.back().cursor());
  const std::vector<std::string> all = Listed(org);
  std::vector<Response> rest = resumed->WaitFor(all.size() - first.size());
  std::vector<std::string> seen = Ids(first);
  for (const std::string& id : Ids(rest)) seen.push_back(id);
  EXPECT_EQ(seen, all) << "every stored event once, in commit order";
  EXPECT_FALSE(resumed->Ended(absl::Milliseconds(300)).has_value())
      << "the stream stays open for what comes next";

  // Events carry what the log stores, never a secret.
  for (const Response& r : rest) {
    EXPECT_FALSE(absl::StrContains(r.DebugString(), kPassword));
    EXPECT_FALSE(r.cursor().empty());
  }
}

// Two transactions: the one that got the lower transaction id (and the lower
// event id) commits last. A stream that sent the second event at once and
// then resumed from its cursor would never see the first; this one holds the
// second back until the first has ended, then sends both in order.
TEST_F(AuditWatchE2eTest, AnEventWhoseTransactionCommitsLastIsNotSkipped) {
  const std::string org = CreateOrg().id();
  auto watch = Watch(AdminToken(), org, "", "test.");
  const std::string url = SharedPostgres().Url(database());
  pqxx::connection early_conn(url), late_conn(url);
  pqxx::work early(early_conn);
  InsertEvent(early, org, "test.first");  // the lower xid and id
  {
    pqxx::work late(late_conn);
    InsertEvent(late, org, "test.second");
    late.commit();
  }
  // The second is committed and listed, yet not streamed.
  auto stub = v1::AuditService::NewStub(server().NewChannel());
  v1::ListAuditEventsRequest list;
  list.set_organization_id(org);
  list.set_action("test.");
  v1::ListAuditEventsResponse listed;
  ASSERT_TRUE(
      stub->ListAuditEvents(Ctx(AdminToken()).get(), list, &listed).ok());
  ASSERT_EQ(listed.events_size(), 1);
  EXPECT_EQ(listed.events(0).action(), "test.second");
  EXPECT_TRUE(watch->WaitFor(1, absl::Milliseconds(800)).empty())
      << "nothing is sent while an older transaction may still add an event";

  early.commit();
  std::vector<Response> got = watch->WaitFor(2, absl::Seconds(1));
  ASSERT_EQ(got.size(), 2u) << "both within a second of the commit";
  EXPECT_EQ(got[0].event().action(), "test.first");
  EXPECT_EQ(got[1].event().action(), "test.second");

  // Resuming after the first gives the second, and nothing else.
  auto resumed = Watch(AdminToken(), org, got[0].cursor(), "test.");
  std::vector<Response> again = resumed->WaitFor(2, absl::Milliseconds(800));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].event().id(), got[1].event().id());
}

TEST_F(AuditWatchE2eTest, AnAdminSeesOnlyItsOwnOrganization) {
  const std::string a = CreateOrg().id();
  const std::string b = CreateOrg().id();
  const std::string admin_a =
      Login(CreateUser(a, "ADMIN").username(), kPassword);
  auto global = Watch(AdminToken(), "");
  auto mine = Watch(admin_a, "");
  const v1::User in_b = CreateUser(b, "BASIC_USER");
  Rename(in_b.id(), "Elsewhere");
  const v1::User in_a = CreateUser(a, "BASIC_USER");
  Rename(in_a.id(), "Marker");
  auto is_marker = [&](const Response& r) {
    return r.event().target_id() == in_a.id() &&
           r.event().action() == "user.update";
  };
  ASSERT_TRUE(mine->WaitUntil(is_marker));
  ASSERT_TRUE(global->WaitUntil(is_marker));
  for (const Response& r : mine->received()) {
    EXPECT_EQ(r.event().organization_id(), a) << r.event().action();
  }
  // A cursor from a stream that saw organization B shows admin A nothing
  // of B: it is a place in the stream, not a permission.
  std::string cursor_before_b;
  for (const Response& r : global->received()) {
    if (r.event().organization_id() == b) break;
    cursor_before_b = r.cursor();
  }
  auto replay = Watch(admin_a, "", cursor_before_b);
  ASSERT_TRUE(replay->WaitUntil(is_marker));
  for (const Response& r : replay->received()) {
    EXPECT_EQ(r.event().organization_id(), a) << r.event().action();
  }
  auto other = Watch(admin_a, b);
  std::optional<grpc::Status> refused = other->Ended();
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << refused->error_message();
}

TEST_F(AuditWatchE2eTest, WatchingNeedsAuditRead) {
  const std::string org = CreateOrg().id();
  const std::string basic =
      Login(CreateUser(org, "BASIC_USER").username(), kPassword);
  for (const auto& [token, code] :
       std::vector<std::pair<std::string, grpc::StatusCode>>{
           {basic, grpc::StatusCode::PERMISSION_DENIED},
           {"", grpc::StatusCode::UNAUTHENTICATED}}) {
    auto watch = Watch(token, "");
    std::optional<grpc::Status> s = watch->Ended();
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->error_code(), code) << s->error_message();
    EXPECT_TRUE(watch->received().empty());
  }
  auto forged = Watch(AdminToken(), org, "not-a-cursor");
  std::optional<grpc::Status> s = forged->Ended();
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(s->error_message(), "cursor:"))
      << s->error_message();
}

TEST_F(AuditWatchE2eTest, AStreamEndsWhenItsSessionEnds) {
  const std::string org = CreateOrg().id();
  const std::string admin =
      Login(CreateUser(org, "ADMIN").username(), kPassword);
  auto watch = Watch(admin, "");
  ASSERT_FALSE(watch->Ended(absl::Milliseconds(300)).has_value());
  v1::LogoutResponse out;
  ASSERT_TRUE(auth_->Logout(Ctx(admin).get(), {}, &out).ok());
  std::optional<grpc::Status> s = watch->Ended(absl::Seconds(5));
  ASSERT_TRUE(s.has_value()) << "re-checked every two seconds";
  EXPECT_EQ(s->error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << s->error_message();
}

}  // namespace
}  // namespace identity::testing
