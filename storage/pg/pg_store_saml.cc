// SAML service-provider settings, pending AuthnRequests and used assertions.
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/error_info.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/pqxx_optional.h"
#include "storage/pg/prepared.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {
namespace {

constexpr char kSamlColumns[] =
    "organization_id, idp_metadata_xml, idp_entity_id, sp_entity_id, acs_url, "
    "encode(sp_private_key_box, 'hex'), sp_certificate_pem, "
    "sp_next_certificate_pem, name_id_format, username_attribute, "
    "email_attribute, display_name_attribute, groups_attribute, "
    "array_to_string(group_role_mappings, E'\\x1e'), default_role, "
    "allow_idp_initiated, clock_skew_seconds, allow_sha1_signatures, "
    "match_friendly_names, force_authn, authn_context_class_ref, "
    "require_encrypted_assertions, idp_metadata_url, idp_metadata_ca_pem, "
    "idp_metadata_signing_certificate_pem, "
    "coalesce((extract(epoch from idp_metadata_fetched_at) * 1000000)::int8, 0), "
    "coalesce((extract(epoch from idp_metadata_failed_at) * 1000000)::int8, 0), "
    "idp_metadata_failure, version";

std::optional<absl::Time> TimeOrUnset(int64_t micros) {
  if (micros == 0) return std::nullopt;
  return TimeFromMicros(micros);
}

SamlProviderConfig SamlFromRow(const pqxx::row& r) {
  SamlProviderConfig c;
  int i = 0;
  c.organization_id = r[i++].as<std::string>();
  c.idp_metadata_xml = r[i++].as<std::string>();
  c.idp_entity_id = r[i++].as<std::string>();
  c.sp_entity_id = r[i++].as<std::string>();
  c.acs_url = r[i++].as<std::string>();
  c.sp_private_key_box = absl::HexStringToBytes(r[i++].as<std::string>());
  c.sp_certificate_pem = r[i++].as<std::string>();
  c.sp_next_certificate_pem = r[i++].as<std::string>();
  c.name_id_format = r[i++].as<std::string>();
  c.username_attribute = r[i++].as<std::string>();
  c.email_attribute = r[i++].as<std::string>();
  c.display_name_attribute = r[i++].as<std::string>();
  c.groups_attribute = r[i++].as<std::string>();
  const std::string mappings = r[i++].as<std::string>();
  if (!mappings.empty()) {
    for (absl::string_view m : absl::StrSplit(mappings, '\x1e')) {
      c.group_role_mappings.push_back(DecodeRoleMapping(m));
    }
  }
  c.default_role = r[i++].as<std::string>();
  c.allow_idp_initiated = r[i++].as<bool>();
  c.clock_skew_seconds = r[i++].as<int>();
  c.allow_sha1_signatures = r[i++].as<bool>();
  c.match_friendly_names = r[i++].as<bool>();
  c.force_authn = r[i++].as<bool>();
  c.authn_context_class_ref = r[i++].as<std::string>();
  c.require_encrypted_assertions = r[i++].as<bool>();
  c.idp_metadata_url = r[i++].as<std::string>();
  c.idp_metadata_ca_pem = r[i++].as<std::string>();
  c.idp_metadata_signing_certificate_pem = r[i++].as<std::string>();
  c.idp_metadata_fetched_at = TimeOrUnset(r[i++].as<int64_t>());
  c.idp_metadata_failed_at = TimeOrUnset(r[i++].as<int64_t>());
  c.idp_metadata_failure = r[i++].as<std::string>();
  c.version = r[i++].as<int64_t>();
  return c;
}

}  // namespace

absl::StatusOr<SamlProviderConfig> PgStore::GetSamlProvider(
    absl::string_view organization_id) {
  return Read<SamlProviderConfig>(
      "GetSamlProvider", [&](pqxx::transaction_base& tx) -> absl::StatusOr<SamlProviderConfig> {
        pqxx::result r = ExecPrepared(
            tx,
            absl::StrCat("SELECT ", kSamlColumns,
                         " FROM saml_providers WHERE organization_id = $1"),
            std::string(organization_id));
        if (r.empty()) {
          return WithReason(
              absl::NotFoundError(
                  "the organization has no SAML provider configured"),
              reason::kProviderNotConfigured, {{"provider", "saml"}});
        }
        return SamlFromRow(r[0]);
      });
}

absl::StatusOr<SamlProviderConfig> PgStore::PutSamlProvider(
    const SamlProviderConfig& c, const AuditEntry& audit) {
  return Transact<SamlProviderConfig>(
      "PutSamlProvider", [&](pqxx::work& tx) -> absl::StatusOr<SamlProviderConfig> {
        std::vector<std::string> mappings;
        for (const GroupRoleMapping& m : c.group_role_mappings) {
          mappings.push_back(EncodeRoleMapping(m));
        }
        pqxx::result taken = tx.exec_params(
            "SELECT 1 FROM saml_providers WHERE sp_entity_id = $1 AND "
            "organization_id <> $2",
            c.sp_entity_id, c.organization_id);
        if (!taken.empty()) {
          return WithReason(
              absl::AlreadyExistsError("saml.sp_entity_id: another "
                                       "organization uses this entity ID"),
              reason::kNameTaken, {{"field", "saml.sp_entity_id"}});
        }
        tx.exec_params(
            "INSERT INTO saml_providers (organization_id, idp_metadata_xml, "
            "idp_entity_id, sp_entity_id, acs_url, sp_private_key_box, "
            "sp_certificate_pem, sp_next_certificate_pem, name_id_format, "
            "username_attribute, email_attribute, display_name_attribute, "
            "groups_attribute, group_role_mappings, default_role, "
            "allow_idp_initiated, clock_skew_seconds, allow_sha1_signatures, "
            "match_friendly_names, force_authn, authn_context_class_ref, "
            "require_encrypted_assertions, idp_metadata_url, "
            "idp_metadata_ca_pem, idp_metadata_signing_certificate_pem, "
            "idp_metadata_fetched_at, idp_metadata_failed_at, "
            "idp_metadata_failure) "
            "VALUES ($1, $2, $3, $4, "
            "$5, decode($6, 'hex'), $7, $8, $9, $10, $11, $12, $13, $14::text[], "
            "$15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, "
            // A document from the URL was fetched just now by the configure.
            "CASE WHEN $23::text = '' THEN NULL ELSE now() END, NULL, '') "
            "ON CONFLICT (organization_id) DO UPDATE SET "
            "idp_metadata_xml = EXCLUDED.idp_metadata_xml, "
            "idp_entity_id = EXCLUDED.idp_entity_id, "
            "sp_entity_id = EXCLUDED.sp_entity_id, acs_url = EXCLUDED.acs_url, "
            "sp_private_key_box = EXCLUDED.sp_private_key_box, "
            "sp_certificate_pem = EXCLUDED.sp_certificate_pem, "
            "sp_next_certificate_pem = EXCLUDED.sp_next_certificate_pem, "
            "name_id_format = EXCLUDED.name_id_format, "
            "username_attribute = EXCLUDED.username_attribute, "
            "email_attribute = EXCLUDED.email_attribute, "
            "display_name_attribute = EXCLUDED.display_name_attribute, "
            "groups_attribute = EXCLUDED.groups_attribute, "
            "group_role_mappings = EXCLUDED.group_role_mappings, "
            "default_role = EXCLUDED.default_role, "
            "allow_idp_initiated = EXCLUDED.allow_idp_initiated, "
            "clock_skew_seconds = EXCLUDED.clock_skew_seconds, "
            "allow_sha1_signatures = EXCLUDED.allow_sha1_signatures, "
            "match_friendly_names = EXCLUDED.match_friendly_names, "
            "force_authn = EXCLUDED.force_authn, "
            "authn_context_class_ref = EXCLUDED.authn_context_class_ref, "
            "require_encrypted_assertions = EXCLUDED.require_encrypted_assertions, "
            "idp_metadata_url = EXCLUDED.idp_metadata_url, "
            "idp_metadata_ca_pem = EXCLUDED.idp_metadata_ca_pem, "
            "idp_metadata_signing_certificate_pem = "
            "EXCLUDED.idp_metadata_signing_certificate_pem, "
            "idp_metadata_fetched_at = EXCLUDED.idp_metadata_fetched_at, "
            "idp_metadata_failed_at = NULL, idp_metadata_failure = '', "
            "version = saml_providers.version + 1, updated_at = now()",
            c.organization_id, c.idp_metadata_xml, c.idp_entity_id,
            c.sp_entity_id, c.acs_url, ToHex(c.sp_private_key_box),
            c.sp_certificate_pem, c.sp_next_certificate_pem, c.name_id_format,
            c.username_attribute, c.email_attribute, c.display_name_attribute,
            c.groups_attribute, ToPgArray(mappings), c.default_role,
            c.allow_idp_initiated, c.clock_skew_seconds, c.allow_sha1_signatures,
            c.match_friendly_names, c.force_authn, c.authn_context_class_ref,
            c.require_encrypted_assertions, c.idp_metadata_url,
            c.idp_metadata_ca_pem, c.idp_metadata_signing_certificate_pem);
        InsertAudit(tx, audit);
        return SamlFromRow(tx.exec_params1(
            absl::StrCat("SELECT ", kSamlColumns,
                         " FROM saml_providers WHERE organization_id = $1"),
            c.organization_id));
      });
}

absl::StatusOr<std::vector<SamlProviderConfig>> PgStore::ListSamlProviders() {
  return Transact<std::vector<SamlProviderConfig>>(
      "ListSamlProviders",
      [&](pqxx::work& tx) -> absl::StatusOr<std::vector<SamlProviderConfig>> {
        std::vector<SamlProviderConfig> all;
        for (const pqxx::row& r : tx.exec(absl::StrCat(
                 "SELECT ", kSamlColumns,
                 " FROM saml_providers ORDER BY organization_id LIMIT 10000"))) {
          all.push_back(SamlFromRow(r));
        }
        return all;
      });
}

absl::Status PgStore::CreateSamlRequest(const SamlRequest& r) {
  return TransactStatus("CreateSamlRequest", [&](pqxx::work& tx) {
    // Answered or abandoned requests are swept as new ones come.
    tx.exec("DELETE FROM saml_requests WHERE expires_at < now() - interval '1 hour'");
    tx.exec("DELETE FROM saml_assertions WHERE expires_at < now()");
    tx.exec_params(
        "INSERT INTO saml_requests (id, organization_id, relay_state_digest, "
        "return_url, expires_at) VALUES ($1, $2, decode($3, 'hex'), $4, "
        "to_timestamp($5::float8 / 1000000))",
        r.id, r.organization_id, ToHex(r.relay_state_digest), r.return_url,
        MicrosFromTime(r.expires_at));
    return absl::OkStatus();
  });
}

absl::StatusOr<SamlRequest> PgStore::ConsumeSamlRequest(
    absl::string_view relay_state_digest) {
  return Transact<SamlRequest>(
      "ConsumeSamlRequest", [&](pqxx::work& tx) -> absl::StatusOr<SamlRequest> {
        pqxx::result r = tx.exec_params(
            "UPDATE saml_requests SET used_at = now() WHERE relay_state_digest "
            "= decode($1, 'hex') AND used_at IS NULL AND expires_at > now() "
            "RETURNING id, organization_id, return_url, "
            "(extract(epoch from expires_at) * 1000000)::int8",
            ToHex(relay_state_digest));
        if (r.empty()) {
          return WithReason(absl::NotFoundError(
                                "unknown, expired or already used relay state"),
                            reason::kTokenNotFound, {{"field", "relay_state"}});
        }
        SamlRequest out;
        out.id = r[0][0].as<std::string>();
        out.organization_id = r[0][1].as<std::string>();
        out.return_url = r[0][2].as<std::string>();
        out.expires_at = TimeFromMicros(r[0][3].as<int64_t>());
        out.relay_state_digest = std::string(relay_state_digest);
        return out;
      });
}

absl::Status PgStore::RecordSamlAssertion(absl::string_view organization_id,
                                          absl::string_view assertion_id,
                                          absl::Time expires_at) {
  return TransactStatus("RecordSamlAssertion", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec_params(
        "INSERT INTO saml_assertions (organization_id, id, expires_at) VALUES "
        "($1, $2, to_timestamp($3::float8 / 1000000)) ON CONFLICT DO NOTHING "
        "RETURNING 1",
        std::string(organization_id), std::string(assertion_id),
        MicrosFromTime(expires_at));
    if (r.empty()) return absl::AlreadyExistsError("assertion already used");
    return absl::OkStatus();
  });
}

absl::StatusOr<UserCredentials> PgStore::GetCredentialsByExternalId(
    absl::string_view organization_id, Origin origin,
    absl::string_view external_id) {
  return Read<UserCredentials>(
      "GetCredentialsByExternalId",
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<UserCredentials> {
        pqxx::result r = tx.exec_params(
            absl::StrCat("SELECT ", kUserColumns,
                         ", coalesce(u.password_hash, ''), ", kLockoutColumns,
                         ", ", kSessionPolicyColumns,
                         " FROM users u JOIN organizations o ON o.id = "
                         "u.organization_id WHERE u.organization_id = $1 AND "
                         "u.origin = $2 AND u.external_id = $3"),
            std::string(organization_id), std::string(Origin2Sql(origin)),
            std::string(external_id));
        if (r.empty()) {
          return WithReason(absl::NotFoundError("user not found"),
                            reason::kUserNotFound);
        }
        return CredentialsFromRow(r[0]);
      });
}

}  // namespace identity::storage
