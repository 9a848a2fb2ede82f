// What a WatchAuditEvents stream may see and where it starts: the filters
// of ListAuditEvents, scoped the same way, and an opaque resume cursor.
#ifndef IDENTITY_APPLICATION_AUDIT_AUDIT_WATCH_H_
#define IDENTITY_APPLICATION_AUDIT_AUDIT_WATCH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "application/audit/audit_log.h"
#include "domain/principal.h"
#include "storage/queries.h"

namespace identity {

struct AuditWatchPlan {
  // organization_id unset: every organization (global callers only).
  storage::AuditQuery filter;
  storage::AuditPosition after;  // {0, 0}: from the oldest stored event
};

// INVALID_ARGUMENT for a bad filter or a cursor this service did not make,
// PERMISSION_DENIED for an organization the caller may not read. A cursor is
// only a place in the stream: what it shows is decided by the caller's own
// scope, so a cursor taken from another organization's stream shows nothing
// more.
absl::StatusOr<AuditWatchPlan> PlanAuditWatch(const Principal& caller,
                                              const AuditListInput& in,
                                              absl::string_view cursor);

// Whether `caller` (validated again) may still watch with `plan`: a role
// taken away or a user moved to another organization ends the stream.
absl::Status RecheckAuditWatch(const Principal& caller,
                               const AuditWatchPlan& plan);

std::string EncodeAuditCursor(const storage::AuditPosition& position);
absl::StatusOr<storage::AuditPosition> DecodeAuditCursor(
    absl::string_view cursor);

// `filter` applied to one event in memory, exactly as the store applies it
// in SQL (ids compared in lower case, times in whole microseconds).
bool AuditMatches(const storage::AuditQuery& filter,
                  const domain::AuditEvent& event);

}  // namespace identity

#endif  // IDENTITY_APPLICATION_AUDIT_AUDIT_WATCH_H_
