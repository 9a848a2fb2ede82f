// The audit log. Every other write records its own event in its own
// transaction; these are for the rest.
#ifndef IDENTITY_STORAGE_PORTS_AUDIT_H_
#define IDENTITY_STORAGE_PORTS_AUDIT_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/queries.h"

namespace identity::storage {

class AuditReads {
 public:
  virtual ~AuditReads() = default;

  // Newest first; `next` holds the last id as its sort key when more follow.
  virtual absl::StatusOr<Page<AuditEvent>> ListAuditEvents(
      const AuditQuery& query) = 0;
};

// The audit stream, in the order transactions made their events final.
class AuditStream {
 public:
  virtual ~AuditStream() = default;

  // Events after `after` that match `filter` (its before_id is ignored), in
  // position order, at most `filter.limit`, and only final ones (every
  // transaction that could insert in front of them has ended). `pending`:
  // committed events wait for an older transaction.
  virtual absl::StatusOr<AuditStreamPage> ReadAuditStream(
      const AuditQuery& filter, const AuditPosition& after) = 0;
  // The position of the last final event ({0, 0} when there is none).
  virtual absl::StatusOr<AuditPosition> AuditStreamHead() = 0;
};

class AuditWrites {
 public:
  virtual ~AuditWrites() = default;

  // Audit events that are not part of another change (failed logins).
  virtual absl::Status RecordAudit(const AuditEntry& audit) = 0;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PORTS_AUDIT_H_
