// SAML state: pending AuthnRequests and used assertions (the settings are
// identity_provider_settings rows, pg_store_providers.cc).
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/error_info.h"
#include "storage/pg/pg_store.h"
#include "storage/pg/pqxx_optional.h"
#include "storage/pg/prepared.h"
#include "storage/pg/row_mapping.h"

namespace identity::storage {

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
