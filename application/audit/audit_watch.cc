#include "application/audit/audit_watch.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
#include "domain/authorizer.h"
#include "domain/operations.h"
#include "application/scope.h"

namespace identity {
namespace {

constexpr absl::string_view kCursorVersion = "a1";

absl::Status BadCursor() {
  return absl::InvalidArgumentError(
      "cursor: not a cursor from WatchAuditEvents; omit it to start from "
      "the oldest stored event");
}

void Lower(std::optional<std::string>* id) {
  if (*id) absl::AsciiStrToLower(&**id);
}

}  // namespace

absl::StatusOr<AuditWatchPlan> PlanAuditWatch(const Principal& caller,
                                              const AuditListInput& in,
                                              absl::string_view cursor) {
  AuditWatchPlan plan;
  absl::StatusOr<std::optional<std::string>> scope =
      ListScope(caller, in.organization_id);
  if (!scope.ok()) return scope.status();
  plan.filter.organization_id = *scope;
  Lower(&plan.filter.organization_id);
  absl::Status allowed = RecheckAuditWatch(caller, plan);
  if (!allowed.ok()) return allowed;
  AuditListInput filters = in;
  filters.page_size = 0;  // a stream has no pages
  absl::Status valid = AuditFilters(filters, &plan.filter);
  if (!valid.ok()) return valid;
  Lower(&plan.filter.actor_id);
  if (!cursor.empty()) {
    absl::StatusOr<storage::AuditPosition> after = DecodeAuditCursor(cursor);
    if (!after.ok()) return after.status();
    plan.after = *after;
  }
  return plan;
}

absl::Status RecheckAuditWatch(const Principal& caller,
                               const AuditWatchPlan& plan) {
  return Check(op::kWatchAuditEvents, caller,
               Target{plan.filter.organization_id.value_or("")});
}

std::string EncodeAuditCursor(const storage::AuditPosition& position) {
  return crypto::Base64UrlEncode(
      absl::StrCat(kCursorVersion, ":", position.xid, ":", position.id));
}

absl::StatusOr<storage::AuditPosition> DecodeAuditCursor(
    absl::string_view cursor) {
  if (cursor.size() > 128) return BadCursor();
  std::optional<std::string> raw = crypto::Base64UrlDecode(cursor);
  if (!raw) return BadCursor();
  std::vector<absl::string_view> parts = absl::StrSplit(*raw, ':');
  storage::AuditPosition p;
  if (parts.size() != 3 || parts[0] != kCursorVersion ||
      !absl::SimpleAtoi(parts[1], &p.xid) ||
      !absl::SimpleAtoi(parts[2], &p.id) || p.id < 0) {
    return BadCursor();
  }
  return p;
}

bool AuditMatches(const storage::AuditQuery& f, const domain::AuditEvent& e) {
  const domain::AuditEntry& a = e.entry;
  if (f.organization_id && a.organization_id != *f.organization_id) {
    return false;
  }
  if (f.actor_id && a.actor_id != *f.actor_id) return false;
  if (f.target_id && a.target_id != *f.target_id) return false;
  if (f.action && a.action != *f.action) return false;
  if (f.action_prefix && !absl::StartsWith(a.action, *f.action_prefix)) {
    return false;
  }
  const int64_t at = absl::ToUnixMicros(e.occurred_at);
  if (f.since && at < absl::ToUnixMicros(*f.since)) return false;
  if (f.until && at >= absl::ToUnixMicros(*f.until)) return false;
  return true;
}

}  // namespace identity
