#include "storage/pg/row_mapping.h"

#include "absl/strings/escaping.h"

namespace identity::storage {

#define IDENTITY_MICROS(col) "(extract(epoch from " col ") * 1000000)::int8"

const char kUserColumns[] =
    "u.id, u.organization_id, u.username, u.email, u.display_name, "
    "u.image_url, u.time_zone, u.origin, u.primary_role, u.enabled, u.locked, "
    IDENTITY_MICROS("u.created_at") ", " IDENTITY_MICROS("u.updated_at")
    ", u.version";

const char kOrganizationColumns[] =
    "o.id, o.name, " IDENTITY_MICROS("o.created_at") ", "
    IDENTITY_MICROS("o.updated_at") ", o.version";

#undef IDENTITY_MICROS

absl::Time TimeFromMicros(int64_t micros) {
  return absl::FromUnixMicros(micros);
}

int64_t MicrosFromTime(absl::Time time) { return absl::ToUnixMicros(time); }

std::string ToHex(absl::string_view bytes) {
  return absl::BytesToHexString(bytes);
}

User UserFromRow(const pqxx::row& row, int offset) {
  User u;
  int i = offset;
  u.id = row[i++].as<std::string>();
  u.organization_id = row[i++].as<std::string>();
  u.username = row[i++].as<std::string>();
  u.email = row[i++].as<std::string>();
  u.display_name = row[i++].as<std::string>();
  u.image_url = row[i++].as<std::string>();
  u.time_zone = row[i++].as<std::string>();
  u.origin = ParseOrigin(row[i++].as<std::string>()).value_or(Origin::kInternal);
  u.primary_role = row[i++].as<std::string>();
  u.enabled = row[i++].as<bool>();
  u.locked = row[i++].as<bool>();
  u.created_at = TimeFromMicros(row[i++].as<int64_t>());
  u.updated_at = TimeFromMicros(row[i++].as<int64_t>());
  u.version = row[i++].as<int64_t>();
  return u;
}

Organization OrganizationFromRow(const pqxx::row& row, int offset) {
  Organization o;
  int i = offset;
  o.id = row[i++].as<std::string>();
  o.name = row[i++].as<std::string>();
  o.created_at = TimeFromMicros(row[i++].as<int64_t>());
  o.updated_at = TimeFromMicros(row[i++].as<int64_t>());
  o.version = row[i++].as<int64_t>();
  return o;
}

}  // namespace identity::storage
