// What every provider's settings codec does alike: check a stored record's
// type and schema version, and turn its settings message into the JSON
// document and back (protobuf's JSON form, proto field names).
#ifndef IDENTITY_PROVIDERS_SETTINGS_DOCUMENT_H_
#define IDENTITY_PROVIDERS_SETTINGS_DOCUMENT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "storage/ports/provider_settings.h"

namespace identity {

// The record of `type` at `schema` for the organization, its document
// `message` with every field written (defaults too), so that an operator
// reading the row sees the whole configuration. `version` is the one read
// before (0 for a new provider); `unique_key` as the store describes it.
absl::StatusOr<storage::ProviderSettingsRecord> SettingsRecord(
    const google::protobuf::Message& message, absl::string_view type,
    int schema, absl::string_view organization_id, int64_t version,
    absl::string_view unique_key = "");

// Reads `record` of `type` into `out`. FAILED_PRECONDITION, naming the
// organization and what to do, for a record of another type, a schema
// version above `newest_schema` (written by a newer server) or below 1, or
// a document that is not that message in JSON (unknown fields included).
absl::Status ReadSettingsDocument(const storage::ProviderSettingsRecord& record,
                                  absl::string_view type, int newest_schema,
                                  google::protobuf::Message* out);

// What a caller who may be anyone (a login, the SP metadata) is told when
// ReadSettingsDocument refused the organization's settings: the provider is
// unavailable on this server (UNAVAILABLE, PROVIDER_UNAVAILABLE; a replica
// of the version that wrote them may serve the call), and why goes to the
// server log only, since it names the organization and the schema. Any other
// status is returned as it is.
absl::Status UnreadableForAnyone(absl::Status status, absl::string_view type);

}  // namespace identity

#endif  // IDENTITY_PROVIDERS_SETTINGS_DOCUMENT_H_
