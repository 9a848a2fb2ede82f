// The audit stream's cursor, its in-memory filter and its settings.
#include "application/audit/audit_watch.h"

#include <map>
#include <utility>
#include <vector>

#include "domain/roles.h"
#include "gtest/gtest.h"
#include "server/config.h"

namespace identity {
namespace {

TEST(AuditCursorTest, RoundTripsAndRefusesAnythingElse) {
  const storage::AuditPosition p{18446744073709551000ull, 42};
  absl::StatusOr<storage::AuditPosition> back =
      DecodeAuditCursor(EncodeAuditCursor(p));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->xid, p.xid);
  EXPECT_EQ(back->id, p.id);
  // "a1:-1:2", "b1:1:2" (another version), "a1:1" and text that is not
  // base64 at all.
  for (const char* bad :
       {"YTE6LTE6Mg", "YjE6MToy", "YTE6MQ", "x", "not a cursor at all"}) {
    absl::StatusOr<storage::AuditPosition> decoded = DecodeAuditCursor(bad);
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
  }
  EXPECT_FALSE(DecodeAuditCursor(std::string(4096, 'A')).ok());
}

TEST(AuditCursorTest, PositionsOrderByTransactionThenId) {
  using P = storage::AuditPosition;
  EXPECT_TRUE((P{5, 90} < P{6, 10}));  // a later transaction with a lower id
  EXPECT_TRUE((P{6, 10} < P{6, 11}));
  EXPECT_FALSE((P{6, 11} < P{6, 11}));
}

domain::AuditEvent Event() {
  domain::AuditEvent e;
  e.id = 7;
  e.occurred_at = absl::FromUnixMicros(1000);
  e.entry.organization_id = "0a4e2f1c-5d6b-4c3a-9e8f-7a6b5c4d3e2f";
  e.entry.actor_id = "1b4e2f1c-5d6b-4c3a-9e8f-7a6b5c4d3e2f";
  e.entry.action = "user.update";
  e.entry.target_id = "t";
  return e;
}

TEST(AuditMatchesTest, AppliesEveryFilterLikeTheQuery) {
  storage::AuditQuery f;
  EXPECT_TRUE(AuditMatches(f, Event()));
  f.action_prefix = "user.";
  EXPECT_TRUE(AuditMatches(f, Event()));
  f.action_prefix = "auth.";
  EXPECT_FALSE(AuditMatches(f, Event()));
  f = {};
  f.since = absl::FromUnixMicros(1000);  // inclusive
  EXPECT_TRUE(AuditMatches(f, Event()));
  f.until = absl::FromUnixMicros(1000);  // exclusive
  EXPECT_FALSE(AuditMatches(f, Event()));
  f = {};
  f.organization_id = "ffffffff-5d6b-4c3a-9e8f-7a6b5c4d3e2f";
  EXPECT_FALSE(AuditMatches(f, Event()));
}

TEST(AuditWatchPlanTest, AnAdminIsHeldToItsOrganizationWhateverTheCase) {
  domain::User u;
  u.id = "2c4e2f1c-5d6b-4c3a-9e8f-7a6b5c4d3e2f";
  u.organization_id = "0a4e2f1c-5d6b-4c3a-9e8f-7a6b5c4d3e2f";
  u.primary_role = std::string(kAdmin);
  const Principal admin = PrincipalFor(u);
  AuditListInput in;
  in.organization_id = "0A4E2F1C-5D6B-4C3A-9E8F-7A6B5C4D3E2F";
  in.actor_id = "1B4E2F1C-5D6B-4C3A-9E8F-7A6B5C4D3E2F";
  absl::StatusOr<AuditWatchPlan> plan = PlanAuditWatch(admin, in, "");
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_TRUE(AuditMatches(plan->filter, Event()))
      << "ids compared as SQL does";
  in.organization_id = "ffffffff-5d6b-4c3a-9e8f-7a6b5c4d3e2f";
  EXPECT_EQ(PlanAuditWatch(admin, in, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  in.organization_id = "";
  plan = PlanAuditWatch(admin, in, "");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->filter.organization_id, u.organization_id);
}

absl::StatusOr<server::Config> Load(
    const std::map<std::string, std::string>& vars) {
  return server::LoadConfig(
      [&](const char* name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
      });
}

TEST(AuditWatchSettingsTest, HaveDefaultsAndRefuseWrongValuesByName) {
  absl::StatusOr<server::Config> c = Load({});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->audit_watch_max, 100);
  EXPECT_EQ(c->audit_watch_buffer, 1000);
  EXPECT_EQ(c->audit_watch_write_timeout, absl::Seconds(30));
  c = Load({{"IDENTITY_AUDIT_WATCH_WRITE_TIMEOUT_SECONDS", "5"}});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->audit_watch_write_timeout, absl::Seconds(5));
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{
           {"IDENTITY_AUDIT_WATCH_MAX", "0"},
           {"IDENTITY_AUDIT_WATCH_BUFFER", "5"},
           {"IDENTITY_AUDIT_WATCH_WRITE_TIMEOUT_SECONDS", "0"},
           {"IDENTITY_AUDIT_WATCH_WRITE_TIMEOUT_SECONDS", "3601"},
           {"IDENTITY_AUDIT_WATCH_WRITE_TIMEOUT_SECONDS", "30s"}}) {
    absl::StatusOr<server::Config> bad = Load({{name, value}});
    ASSERT_FALSE(bad.ok()) << name;
    EXPECT_NE(bad.status().message().find(name), absl::string_view::npos)
        << bad.status();
  }
}

}  // namespace
}  // namespace identity
