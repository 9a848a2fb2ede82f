#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/pqxx_optional.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {
absl::StatusOr<Organization> PgStore::CreateOrganization(
    absl::string_view name, const AuditEntry& audit) {
  return Transact<Organization>(
      "CreateOrganization", [&](pqxx::work& tx) -> absl::StatusOr<Organization> {
        pqxx::row row = tx.exec_params1(
            absl::StrCat("INSERT INTO organizations AS o (name) VALUES ($1) "
                         "RETURNING ",
                         kOrganizationColumns),
            std::string(name));
        Organization org = OrganizationFromRow(row);
        AuditEntry entry = audit;
        entry.target_id = org.id;
        entry.organization_id = org.id;
        InsertAudit(tx, entry);
        return org;
      });
}

absl::StatusOr<Organization> PgStore::GetOrganization(absl::string_view id) {
  return Read<Organization>(
      "GetOrganization", [&](pqxx::transaction_base& tx) -> absl::StatusOr<Organization> {
        pqxx::result r = tx.exec_params(
            absl::StrCat("SELECT ", kOrganizationColumns,
                         " FROM organizations o WHERE o.id = $1"),
            std::string(id));
        if (r.empty()) {
          return WithReason(absl::NotFoundError("organization not found"),
                            reason::kOrganizationNotFound);
        }
        return OrganizationFromRow(r[0]);
      });
}

absl::StatusOr<Organization> PgStore::FindOrganizationByName(
    absl::string_view name) {
  return Read<Organization>(
      "FindOrganizationByName",
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<Organization> {
        pqxx::result r = tx.exec_params(
            absl::StrCat("SELECT ", kOrganizationColumns,
                         " FROM organizations o WHERE lower(o.name) = lower($1)"),
            std::string(name));
        if (r.empty()) {
          return WithReason(absl::NotFoundError("organization not found"),
                            reason::kOrganizationNotFound);
        }
        return OrganizationFromRow(r[0]);
      });
}

absl::StatusOr<Organization> PgStore::FindOrganizationByLoginDomain(
    absl::string_view domain) {
  return Read<Organization>(
      "FindOrganizationByLoginDomain",
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<Organization> {
        pqxx::result r = tx.exec_params(
            absl::StrCat("SELECT ", kOrganizationColumns,
                         " FROM organizations o WHERE o.login_domains @> "
                         "ARRAY[lower($1)] ORDER BY o.created_at LIMIT 1"),
            std::string(domain));
        if (r.empty()) {
          return WithReason(absl::NotFoundError("organization not found"),
                            reason::kOrganizationNotFound);
        }
        return OrganizationFromRow(r[0]);
      });
}

absl::StatusOr<Page<Organization>> PgStore::ListOrganizations(
    const OrganizationListQuery& q) {
  return Transact<Page<Organization>>(
      "ListOrganizations",
      [&](pqxx::work& tx) -> absl::StatusOr<Page<Organization>> {
        std::optional<std::string> key, after_id;
        if (q.after) {
          key = q.after->sort_key;
          after_id = q.after->id;
        }
        pqxx::result r = tx.exec_params(
            absl::StrCat(
                "SELECT ", kOrganizationColumns,
                ", lower(o.name) FROM organizations o WHERE ($1::uuid IS NULL OR o.id = $1) "
                "AND ($2::text IS NULL OR (lower(o.name), o.id) > ($2, "
                "$3::uuid)) ORDER BY lower(o.name), o.id LIMIT $4"),
            q.only_id, key, after_id, q.limit + 1);
        Page<Organization> page;
        for (const pqxx::row& row : r) {
          if (static_cast<int>(page.items.size()) == q.limit) {
            page.next = Cursor{r[q.limit - 1][kOrganizationColumnCount].as<std::string>(),
                               page.items.back().id};
            break;
          }
          page.items.push_back(OrganizationFromRow(row));
        }
        return page;
      });
}

absl::StatusOr<Organization> PgStore::UpdateOrganization(
    const OrganizationUpdate& u, const AuditEntry& audit) {
  return Transact<Organization>(
      "UpdateOrganization",
      [&](pqxx::work& tx) -> absl::StatusOr<Organization> {
        pqxx::result r = tx.exec_params(
            absl::StrCat("SELECT ", kOrganizationColumns,
                         " FROM organizations o WHERE o.id = $1 FOR UPDATE"),
            u.id);
        if (r.empty()) {
          return WithReason(absl::NotFoundError("organization not found"),
                            reason::kOrganizationNotFound);
        }
        Organization org = OrganizationFromRow(r[0]);
        if (u.expected_version != 0 && org.version != u.expected_version) {
          return StaleOrMissing(tx, "organizations", "organization", u.id,
                                u.expected_version);
        }
        absl::Status applied = u.apply(&org);
        if (!applied.ok()) return applied;
        const OrganizationSettings& s = org.settings;
        if (!s.login_domains.empty()) {
          // A domain routes unknown users to one organization only; the lock
          // keeps two concurrent updates from both claiming it.
          tx.exec_params("SELECT pg_advisory_xact_lock($1)", kLoginDomainsLockKey);
          pqxx::result clash = tx.exec_params(
              "SELECT d, o.name FROM organizations o, unnest(o.login_domains) d "
              "WHERE o.id <> $1 AND d = ANY ($2::text[]) LIMIT 1",
              u.id, ToPgArray(s.login_domains));
          if (!clash.empty()) {
            return WithReason(
                absl::AlreadyExistsError(absl::StrCat(
                    "login_domains: ", clash[0][0].as<std::string>(),
                    " already belongs to organization '",
                    clash[0][1].as<std::string>(), "'")),
                reason::kNameTaken, {{"field", "settings.login_domains"}});
          }
        }
        pqxx::row row = tx.exec_params1(
            absl::StrCat(
                "UPDATE organizations o SET name = $2, "
                "password_min_length = $3, password_require_upper = $4, "
                "password_require_lower = $5, password_require_digit = $6, "
                "password_require_symbol = $7, password_history_size = $8, "
                "password_max_age_days = $9, session_idle_timeout_seconds = $10, "
                "session_absolute_lifetime_seconds = $11, "
                "session_max_concurrent = $12, lockout_max_failed_attempts = $13, "
                "lockout_window_seconds = $14, lockout_seconds = $15, "
                "trusted_ip_ranges = $16::text[], terms_of_use_version = $17, "
                "self_registration_enabled = $18, require_totp = $19, "
                "login_domains = $20::text[], updated_at = now(), "
                "version = version + 1 WHERE id = $1 RETURNING ",
                kOrganizationColumns),
            u.id, org.name, s.password.min_length, s.password.require_upper,
            s.password.require_lower, s.password.require_digit,
            s.password.require_symbol, s.password.history_size,
            s.password.max_age_days, s.session.idle_timeout_seconds,
            s.session.absolute_lifetime_seconds,
            s.session.max_concurrent_sessions, s.lockout.max_failed_attempts,
            s.lockout.window_seconds, s.lockout.lockout_seconds,
            ToPgArray(s.trusted_ip_ranges), s.terms_of_use_version,
            s.self_registration_enabled, s.require_totp,
            ToPgArray(s.login_domains));
        InsertAudit(tx, audit);
        return OrganizationFromRow(row);
      });
}

absl::StatusOr<Store::MoveCounts> PgStore::MoveOrganizationContents(
    absl::string_view source, absl::string_view target,
    const AuditEntry& audit) {
  return Transact<MoveCounts>(
      "MoveOrganizationContents",
      [&](pqxx::work& tx) -> absl::StatusOr<MoveCounts> {
        // Both rows locked in a fixed order, so two moves cannot deadlock.
        pqxx::result orgs = tx.exec_params(
            "SELECT id FROM organizations WHERE id IN ($1, $2) "
            "ORDER BY id FOR UPDATE",
            std::string(source), std::string(target));
        if (orgs.size() != 2) {
          return WithReason(
              absl::NotFoundError("source or target organization not found"),
              reason::kOrganizationNotFound);
        }
        // Users a directory or IdP manages stay with the provider that
        // vouches for them: moved, the target's provider (or a same-named
        // person of its directory) would inherit their accounts.
        pqxx::row external = tx.exec_params1(
            "SELECT count(*), string_agg(username, ', ' ORDER BY username) "
            "FILTER (WHERE n <= 5) FROM (SELECT username, row_number() OVER "
            "(ORDER BY username) AS n FROM users WHERE organization_id = $1 "
            "AND origin <> 'INTERNAL') e",
            std::string(source));
        if (external[0].as<int64_t>() > 0) {
          return WithReason(
              absl::FailedPreconditionError(absl::StrCat(
                  "nothing was moved: ", external[0].as<int64_t>(),
                  " user(s) of the source are managed by its LDAP or SAML "
                  "provider (",
                  external[1].as<std::string>(),
                  external[0].as<int64_t>() > 5 ? ", ..." : "",
                  ") and cannot leave it; configure the same directory or IdP "
                  "on the target, where its next login provisions each of "
                  "them, "
                  "or move the organization's internal users one by one")),
              reason::kExternallyManaged);
        }
        // Names that would collide in the target stop the whole move.
        pqxx::row clash = tx.exec_params1(
            "SELECT (SELECT string_agg(s.name, ', ' ORDER BY s.name) FROM roles s "
            "  JOIN roles t ON t.organization_id = $2 AND t.name = s.name "
            "  WHERE s.organization_id = $1), "
            "(SELECT string_agg(s.name, ', ' ORDER BY s.name) FROM groups s "
            "  JOIN groups t ON t.organization_id = $2 "
            "  AND lower(t.name) = lower(s.name) WHERE s.organization_id = $1)",
            std::string(source), std::string(target));
        if (!clash[0].is_null() || !clash[1].is_null()) {
          return WithReason(
              absl::FailedPreconditionError(absl::StrCat(
                  "nothing was moved: the target already has ",
                  clash[0].is_null() ? ""
                                     : absl::StrCat("role(s) named ",
                                                    clash[0].as<std::string>()),
                  !clash[0].is_null() && !clash[1].is_null() ? " and " : "",
                  clash[1].is_null() ? ""
                                     : absl::StrCat("group(s) named ",
                                                    clash[1].as<std::string>()),
                  "; rename them first")),
              reason::kNameTaken);
        }
        MoveCounts counts;
        counts.roles = tx.exec_params("UPDATE roles SET organization_id = $2 "
                                      "WHERE organization_id = $1",
                                      std::string(source), std::string(target))
                           .affected_rows();
        counts.groups = tx.exec_params("UPDATE groups SET organization_id = $2 "
                                       "WHERE organization_id = $1",
                                       std::string(source), std::string(target))
                            .affected_rows();
        counts.api_keys =
            tx.exec_params1("SELECT count(*) FROM api_keys k JOIN users u "
                            "ON u.id = k.user_id WHERE u.organization_id = $1",
                            std::string(source))[0]
                .as<int64_t>();
        counts.users = tx.exec_params("UPDATE users SET organization_id = $2, "
                                      "updated_at = now(), version = version + 1 "
                                      "WHERE organization_id = $1",
                                      std::string(source), std::string(target))
                           .affected_rows();
        AuditEntry entry = audit;
        entry.details_json = absl::StrCat(
            "{\"from\":\"", source, "\",\"to\":\"", target,
            "\",\"users\":", counts.users, ",\"api_keys\":", counts.api_keys,
            ",\"roles\":", counts.roles, ",\"groups\":", counts.groups, "}");
        InsertAudit(tx, entry);
        return counts;
      });
}

absl::Status PgStore::DeleteOrganization(absl::string_view id,
                                         const AuditEntry& audit) {
  return TransactStatus("DeleteOrganization", [&](pqxx::work& tx) {
    const std::string org_id(id);
    pqxx::result org = tx.exec_params(
        "SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE", org_id);
    if (org.empty()) {
      return WithReason(absl::NotFoundError("organization not found"),
                        reason::kOrganizationNotFound);
    }
    int64_t users = tx.exec_params1(
        "SELECT count(*) FROM users WHERE organization_id = $1", org_id)[0]
                        .as<int64_t>();
    if (users > 0) {
      return WithReason(absl::FailedPreconditionError(
                            absl::StrCat("the organization still has ", users,
                                         " user(s); delete them or move them "
                                         "to another organization first")),
                        reason::kStillReferenced);
    }
    // Its custom roles and (now memberless) groups go with it.
    tx.exec_params("DELETE FROM groups WHERE organization_id = $1", org_id);
    tx.exec_params("DELETE FROM roles WHERE organization_id = $1", org_id);
    tx.exec_params("DELETE FROM organizations WHERE id = $1", org_id);
    InsertAudit(tx, audit);
    return absl::OkStatus();
  });
}

}  // namespace identity::storage
