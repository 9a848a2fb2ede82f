#include "application/audit/audit_log.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "domain/authorizer.h"
#include "application/page_token.h"
#include "domain/operations.h"
#include "application/scope.h"
#include "domain/validation.h"

namespace identity {
namespace {

bool IsActionName(absl::string_view a) {
  if (a.empty() || a.size() > 100) return false;
  for (char c : a) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '.') {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::Status AuditFilters(const AuditListInput& in, storage::AuditQuery* q) {
  if (!in.actor_id.empty()) {
    absl::Status s = ValidateId("actor_id", in.actor_id);
    if (!s.ok()) return s;
    q->actor_id = in.actor_id;
  }
  if (!in.target_id.empty()) {
    if (in.target_id.size() > 100) {
      return absl::InvalidArgumentError("target_id: at most 100 bytes");
    }
    q->target_id = in.target_id;
  }
  if (!in.action.empty()) {
    if (!IsActionName(in.action)) {
      return absl::InvalidArgumentError(
          "action: letters, digits, '_' and '.', such as user.create or user.");
    }
    if (absl::EndsWith(in.action, ".")) {
      q->action_prefix = in.action;
    } else {
      q->action = in.action;
    }
  }
  if (in.since && in.until && *in.until <= *in.since) {
    return absl::InvalidArgumentError("until: must be after since");
  }
  q->since = in.since;
  q->until = in.until;
  return ValidatePageSize(in.page_size, 50, &q->limit);
}

absl::StatusOr<AuditListResult> AuditLog::List(const Caller& caller,
                                               const AuditListInput& in) {
  const Principal& p = *caller.principal;
  storage::AuditQuery q;
  absl::StatusOr<std::optional<std::string>> scope =
      ListScope(p, in.organization_id);
  if (!scope.ok()) return scope.status();
  q.organization_id = *scope;
  absl::Status allowed = Check(op::kListAuditEvents, p,
                               Target{q.organization_id.value_or("")});
  if (!allowed.ok()) return allowed;
  absl::Status filters = AuditFilters(in, &q);
  if (!filters.ok()) return filters;
  const std::string fingerprint = absl::StrCat(
      "audit|", q.organization_id.value_or("*"), "|", in.actor_id, "|",
      in.target_id, "|", in.action, "|",
      q.since ? absl::ToUnixMicros(*q.since) : 0, "|",
      q.until ? absl::ToUnixMicros(*q.until) : 0, "|", q.limit);
  absl::StatusOr<std::optional<storage::Cursor>> after =
      DecodePageToken(in.page_token, fingerprint);
  if (!after.ok()) return after.status();
  if (*after) {
    int64_t id = 0;
    if (!absl::SimpleAtoi((*after)->sort_key, &id)) {
      return absl::InvalidArgumentError("page_token: not from this list");
    }
    q.before_id = id;
  }
  absl::StatusOr<storage::Page<domain::AuditEvent>> page =
      store_->ListAuditEvents(q);
  if (!page.ok()) return page.status();
  AuditListResult out{std::move(page->items), ""};
  if (page->next) {
    out.next_page_token = EncodePageToken(*page->next, fingerprint);
  }
  return out;
}

}  // namespace identity
