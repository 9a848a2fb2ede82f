#include "storage/pg/pg_store.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "storage/pg/pqxx_optional.h"
#include "storage/pg/prepared.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {
absl::string_view Origin2Sql(Origin origin) { return OriginName(origin); }

void InsertAudit(pqxx::work& tx, const AuditEntry& a) {
  ExecPrepared(tx,
               "INSERT INTO audit_events (actor_id, actor_username, action, "
               "target_type, target_id, organization_id, peer, details) "
               "VALUES ($1::uuid, $2, $3, $4, $5, $6::uuid, $7, $8::jsonb)",
               NullIfEmpty(a.actor_id), a.actor_username, a.action,
               a.target_type, a.target_id, NullIfEmpty(a.organization_id),
               a.peer, a.details_json);
}

void LockGlobalAdmins(pqxx::work& tx) {
  tx.exec_params("SELECT pg_advisory_xact_lock($1)", kGlobalAdminLockKey);
}

absl::Status RequireGlobalAdminLeft(pqxx::work& tx) {
  pqxx::row r = tx.exec1(
      // Only an admin who can log in is a way back in: not one still
      // pending an invitation, and not one without a password.
      "SELECT count(*) FROM users WHERE primary_role = 'GLOBAL_ADMIN' "
      "AND origin = 'INTERNAL' AND enabled AND NOT pending "
      "AND password_hash IS NOT NULL");
  if (r[0].as<int64_t>() > 0) return absl::OkStatus();
  return WithReason(
      absl::FailedPreconditionError(
          "this is the last enabled internal GLOBAL_ADMIN, the way back in "
          "when "
          "a directory or identity provider fails; create or enable another "
          "internal global admin first"),
      reason::kLastGlobalAdmin);
}

namespace {

absl::string_view NotFoundReason(absl::string_view what) {
  if (what == "user") return reason::kUserNotFound;
  if (what == "role") return reason::kRoleNotFound;
  if (what == "group") return reason::kGroupNotFound;
  return reason::kOrganizationNotFound;
}

}  // namespace

absl::Status StaleOrMissing(pqxx::work& tx, absl::string_view table,
                            absl::string_view what, const std::string& id,
                            int64_t expected_version) {
  pqxx::result r = tx.exec_params(
      absl::StrCat("SELECT version FROM ", table, " WHERE id = $1"), id);
  if (r.empty()) {
    return WithReason(absl::NotFoundError(absl::StrCat(what, " not found")),
                      NotFoundReason(what));
  }
  return WithReason(absl::AbortedError(absl::StrCat(
                        what, " was changed by someone else (version ",
                        expected_version, " is stale, current is ",
                        r[0][0].as<int64_t>(), "); read it again and retry")),
                    reason::kVersionConflict);
}

std::string PgStore::PendingChanges(pqxx::work& tx, absl::string_view op) {
  if (change_sink_ == nullptr) return "";
  for (absl::string_view reader : {"Get", "List", "Find", "Peek"}) {
    if (absl::StartsWith(op, reader)) return "";
  }
  return ExecPrepared(tx,
                      "SELECT coalesce(current_setting('identity.changes', "
                      "true), '')")[0][0]
      .as<std::string>();
}

absl::Status PgStore::TransactStatus(
    absl::string_view op,
    const std::function<absl::Status(pqxx::work&)>& body) {
  return Transact<bool>(op,
                        [&](pqxx::work& tx) -> absl::StatusOr<bool> {
                          absl::Status s = body(tx);
                          if (!s.ok()) return s;
                          return true;
                        })
      .status();
}

absl::Status PgStore::RecordAudit(const AuditEntry& audit) {
  return TransactStatus("RecordAudit", [&](pqxx::work& tx) {
    InsertAudit(tx, audit);
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> PgStore::EnsureBootstrapAdmin(const NewUser& admin,
                                                   absl::string_view org_name,
                                                   const AuditEntry& audit) {
  return Transact<bool>(
      "EnsureBootstrapAdmin", [&](pqxx::work& tx) -> absl::StatusOr<bool> {
        LockGlobalAdmins(tx);  // replicas starting at once queue here
        if (RequireGlobalAdminLeft(tx).ok()) return false;
        pqxx::result org = tx.exec_params(
            "SELECT id FROM organizations WHERE lower(name) = lower($1)",
            std::string(org_name));
        std::string org_id;
        if (org.empty()) {
          org_id = tx.exec_params1(
                         "INSERT INTO organizations (name) "
                         "VALUES ($1) RETURNING id",
                         std::string(org_name))[0]
                       .as<std::string>();
        } else {
          org_id = org[0][0].as<std::string>();
        }
        DiscardPendingRegistration(tx, admin.username, audit);
        pqxx::result taken = tx.exec_params(
            "SELECT 1 FROM users WHERE lower(username) = lower($1)",
            admin.username);
        if (!taken.empty()) {
          return absl::FailedPreconditionError(
              "the bootstrap admin username belongs to a user that is not an "
              "enabled internal GLOBAL_ADMIN; choose another "
              "IDENTITY_BOOTSTRAP_ADMIN_USERNAME");
        }
        std::string user_id =
            tx.exec_params1(
                  "INSERT INTO users (organization_id, username, email, "
                  "display_name, origin, primary_role, password_hash) "
                  "VALUES ($1, $2, $3, $4, 'INTERNAL', 'GLOBAL_ADMIN', $5) "
                  "RETURNING id",
                  org_id, admin.username, admin.email, admin.display_name,
                  admin.password_hash)[0]
                .as<std::string>();
        AuditEntry entry = audit;
        entry.target_id = user_id;
        entry.organization_id = org_id;
        InsertAudit(tx, entry);
        return true;
      });
}

}  // namespace identity::storage
