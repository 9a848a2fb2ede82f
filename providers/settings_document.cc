#include "providers/settings_document.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "common/error_reasons.h"
#include "common/log.h"
#include "google/protobuf/util/json_util.h"

namespace identity {

absl::StatusOr<storage::ProviderSettingsRecord> SettingsRecord(
    const google::protobuf::Message& message, absl::string_view type,
    int schema, absl::string_view organization_id, int64_t version,
    absl::string_view unique_key) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  auto status =
      google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) {
    // Only invalid UTF-8 in a string field gets here.
    return absl::InvalidArgumentError(
        absl::StrCat("the provider settings cannot be stored: ",
                     status.message().ToString()));
  }
  storage::ProviderSettingsRecord record;
  record.organization_id = std::string(organization_id);
  record.type = std::string(type);
  record.schema_version = schema;
  record.document = std::move(out);
  record.unique_key = std::string(unique_key);
  record.version = version;
  return record;
}

absl::Status ReadSettingsDocument(const storage::ProviderSettingsRecord& record,
                                  absl::string_view type, int newest_schema,
                                  google::protobuf::Message* out) {
  const std::string name = absl::AsciiStrToUpper(type);
  if (record.type != type) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the stored settings of organization ", record.organization_id,
        " are of type '", record.type, "', not ", type));
  }
  if (record.schema_version > newest_schema) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the stored ", name, " settings of organization ",
        record.organization_id, " have schema version ", record.schema_version,
        "; this server reads up to ", newest_schema,
        ": a newer server wrote them, so run that version"));
  }
  if (record.schema_version < 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the stored ", name, " settings of organization ",
        record.organization_id, " have schema version ", record.schema_version,
        ", which no server writes: configure the ", name, " provider again"));
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  out->Clear();
  auto status = google::protobuf::util::JsonStringToMessage(record.document,
                                                            out, options);
  if (!status.ok()) {
    out->Clear();
    // The document holds no secret in clear (sealed boxes only), so the
    // parser's words may be shown; they may quote a value, hence the cut.
    const std::string why = status.message().ToString().substr(0, 200);
    return absl::FailedPreconditionError(
        absl::StrCat("the stored ", name, " settings of organization ",
                     record.organization_id, " cannot be read (", why,
                     "): configure the ", name, " provider again"));
  }
  return absl::OkStatus();
}

absl::Status UnreadableForAnyone(absl::Status status, absl::string_view type) {
  if (!absl::IsFailedPrecondition(status)) return status;
  log::Error("provider.settings_unreadable",
             {{"provider", type}, {"error", status.message()}});
  return WithReason(
      absl::UnavailableError(absl::StrCat(
          "the organization's ", absl::AsciiStrToUpper(type),
          " provider cannot be used by this server now; try again later, "
          "and if it persists ask an administrator")),
      reason::kProviderUnavailable, {{"provider", std::string(type)}});
}

}  // namespace identity
