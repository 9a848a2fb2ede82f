#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/error_info.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/prepared.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {
namespace {

constexpr char kLdapColumns[] =
    "organization_id, array_to_string(urls, E'\\x1f'), start_tls, "
    "ca_certificate_pem, bind_dn, encode(bind_password_box, 'hex'), "
    "user_base_dn, user_filter, username_attribute, email_attribute, "
    "display_name_attribute, group_base_dn, group_member_attribute, "
    "array_to_string(group_role_mappings, E'\\x1e'), default_role, "
    "connect_timeout_ms, operation_timeout_ms, pool_size, version, "
    "id_attribute";

LdapProviderConfig LdapFromRow(const pqxx::row& r) {
  LdapProviderConfig c;
  int i = 0;
  c.organization_id = r[i++].as<std::string>();
  c.urls = SplitArray(r[i++].as<std::string>());
  c.start_tls = r[i++].as<bool>();
  c.ca_certificate_pem = r[i++].as<std::string>();
  c.bind_dn = r[i++].as<std::string>();
  c.bind_password_box = absl::HexStringToBytes(r[i++].as<std::string>());
  c.user_base_dn = r[i++].as<std::string>();
  c.user_filter = r[i++].as<std::string>();
  c.username_attribute = r[i++].as<std::string>();
  c.email_attribute = r[i++].as<std::string>();
  c.display_name_attribute = r[i++].as<std::string>();
  c.group_base_dn = r[i++].as<std::string>();
  c.group_member_attribute = r[i++].as<std::string>();
  const std::string mappings = r[i++].as<std::string>();
  if (!mappings.empty()) {
    for (absl::string_view m : absl::StrSplit(mappings, '\x1e')) {
      c.group_role_mappings.push_back(DecodeRoleMapping(m));
    }
  }
  c.default_role = r[i++].as<std::string>();
  c.connect_timeout_ms = r[i++].as<int>();
  c.operation_timeout_ms = r[i++].as<int>();
  c.pool_size = r[i++].as<int>();
  c.version = r[i++].as<int64_t>();
  c.id_attribute = r[i++].as<std::string>();
  return c;
}

}  // namespace

absl::StatusOr<LdapProviderConfig> PgStore::GetLdapProvider(
    absl::string_view organization_id) {
  return Read<LdapProviderConfig>(
      "GetLdapProvider",
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<LdapProviderConfig> {
        pqxx::result r = ExecPrepared(
            tx,
            absl::StrCat("SELECT ", kLdapColumns,
                         " FROM ldap_providers WHERE organization_id = $1"),
            std::string(organization_id));
        if (r.empty()) {
          return WithReason(
              absl::NotFoundError(
                  "the organization has no LDAP provider configured"),
              reason::kProviderNotConfigured, {{"provider", "ldap"}});
        }
        return LdapFromRow(r[0]);
      });
}

absl::StatusOr<LdapProviderConfig> PgStore::PutLdapProvider(
    const LdapProviderConfig& c, const AuditEntry& audit) {
  return Transact<LdapProviderConfig>(
      "PutLdapProvider",
      [&](pqxx::work& tx) -> absl::StatusOr<LdapProviderConfig> {
        // Stable ids read from another attribute would match no entry:
        // the users are found by their DN instead and linked anew at their
        // next login or sync.
        tx.exec_params(
            "UPDATE users SET external_id = NULL WHERE organization_id = $1 "
            "AND origin = 'LDAP' AND external_id IS NOT NULL AND EXISTS "
            "(SELECT 1 FROM ldap_providers p WHERE p.organization_id = $1 AND "
            "p.id_attribute <> $2)",
            c.organization_id, c.id_attribute);
        std::vector<std::string> mappings;
        for (const GroupRoleMapping& m : c.group_role_mappings) {
          mappings.push_back(EncodeRoleMapping(m));
        }
        pqxx::row row = tx.exec_params1(
            absl::StrCat(
                "INSERT INTO ldap_providers (organization_id, urls, start_tls, "
                "ca_certificate_pem, bind_dn, bind_password_box, user_base_dn, "
                "user_filter, username_attribute, email_attribute, "
                "display_name_attribute, group_base_dn, "
                "group_member_attribute, "
                "group_role_mappings, default_role, connect_timeout_ms, "
                "operation_timeout_ms, pool_size, id_attribute) VALUES ($1, "
                "$2::text[], $3, $4, $5, decode($6, 'hex'), $7, $8, $9, $10, "
                "$11, $12, $13, $14::text[], $15, $16, $17, $18, $19) "
                "ON CONFLICT (organization_id) DO UPDATE SET "
                "urls = EXCLUDED.urls, start_tls = EXCLUDED.start_tls, "
                "ca_certificate_pem = EXCLUDED.ca_certificate_pem, "
                "bind_dn = EXCLUDED.bind_dn, "
                "bind_password_box = EXCLUDED.bind_password_box, "
                "user_base_dn = EXCLUDED.user_base_dn, "
                "user_filter = EXCLUDED.user_filter, "
                "username_attribute = EXCLUDED.username_attribute, "
                "email_attribute = EXCLUDED.email_attribute, "
                "display_name_attribute = EXCLUDED.display_name_attribute, "
                "group_base_dn = EXCLUDED.group_base_dn, "
                "group_member_attribute = EXCLUDED.group_member_attribute, "
                "group_role_mappings = EXCLUDED.group_role_mappings, "
                "default_role = EXCLUDED.default_role, "
                "connect_timeout_ms = EXCLUDED.connect_timeout_ms, "
                "operation_timeout_ms = EXCLUDED.operation_timeout_ms, "
                "pool_size = EXCLUDED.pool_size, "
                "id_attribute = EXCLUDED.id_attribute, updated_at = now(), "
                "version = ldap_providers.version + 1 RETURNING ",
                kLdapColumns),
            c.organization_id, ToPgArray(c.urls), c.start_tls,
            c.ca_certificate_pem, c.bind_dn, ToHex(c.bind_password_box),
            c.user_base_dn, c.user_filter, c.username_attribute,
            c.email_attribute, c.display_name_attribute, c.group_base_dn,
            c.group_member_attribute, ToPgArray(mappings), c.default_role,
            c.connect_timeout_ms, c.operation_timeout_ms, c.pool_size,
            c.id_attribute);
        InsertAudit(tx, audit);
        return LdapFromRow(row);
      });
}

}  // namespace identity::storage
