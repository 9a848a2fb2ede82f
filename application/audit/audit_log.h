// Reading the audit log, scoped to what the caller may see.
#ifndef IDENTITY_APPLICATION_AUDIT_AUDIT_LOG_H_
#define IDENTITY_APPLICATION_AUDIT_AUDIT_LOG_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/principal.h"
#include "storage/store.h"

namespace identity {

struct AuditListInput {
  std::string organization_id;  // empty: the caller's (global: all)
  std::string actor_id;
  std::string target_id;
  std::string action;  // exact, or a prefix ending in '.'
  std::optional<absl::Time> since;
  std::optional<absl::Time> until;
  int page_size = 0;
  std::string page_token;
};

struct AuditListResult {
  std::vector<domain::AuditEvent> events;
  std::string next_page_token;
};

// Checks `in`'s filters (everything but the organization and the page
// token) and copies them into `q`.
absl::Status AuditFilters(const AuditListInput& in, storage::AuditQuery* q);

class AuditLog {
 public:
  explicit AuditLog(storage::Store* store) : store_(store) {}

  absl::StatusOr<AuditListResult> List(const Caller& caller,
                                       const AuditListInput& in);

 private:
  storage::Store* store_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_AUDIT_AUDIT_LOG_H_
