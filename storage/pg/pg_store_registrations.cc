// Pending self-registrations: replaced by whoever else claims the address,
// purged once expired. Both write an audit event per row in the statement
// that deletes it.
#include "storage/pg/pg_store.h"
#include "storage/pg/pqxx_optional.h"

namespace identity::storage {

void DiscardPendingRegistration(pqxx::work& tx, const std::string& username,
                                const AuditEntry& cause) {
  tx.exec_params(
      "WITH gone AS (DELETE FROM users WHERE lower(username) = lower($1) AND "
      "pending AND registration_expires_at IS NOT NULL RETURNING id, "
      "organization_id, username, registration_expires_at <= now() AS expired) "
      "INSERT INTO audit_events (actor_id, actor_username, action, "
      "target_type, target_id, organization_id, peer, details) "
      "SELECT $2::uuid, $3, 'registration.discard', 'user', id::text, "
      "organization_id, $4, jsonb_build_object('username', username, "
      "'replaced_by', $5::text, 'expired', expired) FROM gone",
      username, NullIfEmpty(cause.actor_id), cause.actor_username, cause.peer,
      cause.action);
}

absl::StatusOr<int64_t> PgStore::PurgeExpiredRegistrations(int limit) {
  return Transact<int64_t>(
      "PurgeExpiredRegistrations",
      [&](pqxx::work& tx) -> absl::StatusOr<int64_t> {
        // SKIP LOCKED: replicas purging at once take different rows.
        pqxx::result r = tx.exec_params(
            "WITH gone AS (DELETE FROM users WHERE id IN (SELECT id FROM users "
            "WHERE pending AND registration_expires_at <= now() ORDER BY "
            "registration_expires_at LIMIT $1 FOR UPDATE SKIP LOCKED) "
            "RETURNING id, organization_id, username, registration_expires_at) "
            "INSERT INTO audit_events (action, target_type, target_id, "
            "organization_id, details) SELECT 'registration.expire', 'user', "
            "id::text, organization_id, jsonb_build_object('username', "
            "username, 'expired_at', registration_expires_at) FROM gone "
            "RETURNING id",
            limit);
        return static_cast<int64_t>(r.size());
      });
}

}  // namespace identity::storage
