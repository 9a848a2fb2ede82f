// The outcome of a refresh of a SAML provider's metadata URL. Every replica
// may refresh: the update applies only to the version it read, so of two
// replicas that fetched the same new document one stores it (and writes the
// audit event), the other finds the provider changed and stops.
#include "storage/pg/pg_store.h"

namespace identity::storage {

absl::Status PgStore::RecordSamlMetadataRefresh(
    const SamlMetadataRefresh& refresh,
    const std::optional<AuditEntry>& audit) {
  return TransactStatus("RecordSamlMetadataRefresh", [&](pqxx::work& tx) {
    constexpr char kWhere[] =
        " WHERE organization_id = $1 AND version = $2 AND idp_metadata_url = "
        "$3";
    pqxx::result r;
    if (!refresh.metadata_xml.empty() && !refresh.unchanged) {
      r = tx.exec_params(
          std::string(
              "UPDATE saml_providers SET idp_metadata_xml = $4, "
              "idp_metadata_fetched_at = now(), "
              "idp_metadata_failed_at = NULL, idp_metadata_failure = '', "
              "version = version + 1, updated_at = now()") +
              kWhere + " RETURNING 1",
          refresh.organization_id, refresh.version, refresh.url,
          refresh.metadata_xml);
    } else if (refresh.unchanged) {
      r = tx.exec_params(
          std::string(
              "UPDATE saml_providers SET idp_metadata_fetched_at = now(), "
              "idp_metadata_failed_at = NULL, idp_metadata_failure = ''") +
              kWhere + " RETURNING 1",
          refresh.organization_id, refresh.version, refresh.url);
    } else {
      r = tx.exec_params(
          std::string(
              "UPDATE saml_providers SET idp_metadata_failed_at = now(), "
              "idp_metadata_failure = $4") +
              kWhere + " RETURNING 1",
          refresh.organization_id, refresh.version, refresh.url,
          refresh.failure);
    }
    if (r.empty()) {
      return absl::AbortedError(
          "the SAML provider changed while its metadata was fetched");
    }
    if (audit.has_value()) InsertAudit(tx, *audit);
    return absl::OkStatus();
  });
}

}  // namespace identity::storage
