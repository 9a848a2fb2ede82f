#include "storage/pg/row_mapping.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace identity::storage {

#define IDENTITY_MICROS(col) "(extract(epoch from " col ") * 1000000)::int8"

const char kUserColumns[] =
    "u.id, u.organization_id, u.username, u.email, u.display_name, "
    "u.image_url, u.time_zone, u.origin, u.primary_role, u.enabled, "
    "(u.locked AND (u.locked_until IS NULL OR u.locked_until > now())), "
    "u.failed_login_attempts, "
    "coalesce(" IDENTITY_MICROS("u.locked_until") ", 0), "
    IDENTITY_MICROS("u.created_at") ", " IDENTITY_MICROS("u.updated_at")
    ", u.version, array_to_string(ARRAY(SELECT r.role FROM user_roles r "
    "WHERE r.user_id = u.id ORDER BY r.role), E'\\x1f'), "
    IDENTITY_MICROS("u.password_changed_at") ", "
    "array_to_string(identity_group_roles(u.id), E'\\x1f'), "
    "array_to_string(identity_custom_permissions(u.id), E'\\x1f'), "
    "u.pending, u.must_accept_terms, u.terms_accepted_version, "
    "EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed), "
    "u.security_alerts, coalesce(u.external_id, ''), "
    "coalesce(u.directory_dn, ''), coalesce(u.disabled_by = 'provider', false)";

// Arrays travel joined by the unit separator, which validation keeps out of
// their elements.
const char kOrganizationColumns[] =
    "o.id, o.name, " IDENTITY_MICROS("o.created_at") ", "
    IDENTITY_MICROS("o.updated_at") ", o.version, "
    "o.password_min_length, o.password_require_upper, "
    "o.password_require_lower, o.password_require_digit, "
    "o.password_require_symbol, o.password_history_size, "
    "o.password_max_age_days, o.session_idle_timeout_seconds, "
    "o.session_absolute_lifetime_seconds, o.session_max_concurrent, "
    "o.lockout_max_failed_attempts, o.lockout_window_seconds, "
    "o.lockout_seconds, array_to_string(o.trusted_ip_ranges, E'\\x1f'), "
    "o.terms_of_use_version, o.self_registration_enabled, o.require_totp, "
    "array_to_string(o.login_domains, E'\\x1f')";

const char kLockoutColumns[] =
    "o.lockout_max_failed_attempts, o.lockout_window_seconds, "
    "o.lockout_seconds";

const char kSessionPolicyColumns[] =
    "o.session_idle_timeout_seconds, o.session_absolute_lifetime_seconds, "
    "o.session_max_concurrent, o.password_max_age_days, "
    "o.terms_of_use_version, o.require_totp";

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
  u.failed_login_attempts = row[i++].as<int>();
  if (int64_t until = row[i++].as<int64_t>(); until != 0) {
    u.locked_until = TimeFromMicros(until);
  }
  u.created_at = TimeFromMicros(row[i++].as<int64_t>());
  u.updated_at = TimeFromMicros(row[i++].as<int64_t>());
  u.version = row[i++].as<int64_t>();
  u.add_on_roles = SplitArray(row[i++].as<std::string>());
  u.password_changed_at = TimeFromMicros(row[i++].as<int64_t>());
  u.group_roles = SplitArray(row[i++].as<std::string>());
  u.custom_permissions = SplitArray(row[i++].as<std::string>());
  u.pending = row[i++].as<bool>();
  u.must_accept_terms = row[i++].as<bool>();
  u.terms_accepted_version = row[i++].as<std::string>();
  u.totp_enabled = row[i++].as<bool>();
  u.security_alerts = row[i++].as<bool>();
  u.external_id = row[i++].as<std::string>();
  u.directory_dn = row[i++].as<std::string>();
  u.disabled_by_provider = row[i++].as<bool>();
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
  OrganizationSettings& s = o.settings;
  s.password.min_length = row[i++].as<int>();
  s.password.require_upper = row[i++].as<bool>();
  s.password.require_lower = row[i++].as<bool>();
  s.password.require_digit = row[i++].as<bool>();
  s.password.require_symbol = row[i++].as<bool>();
  s.password.history_size = row[i++].as<int>();
  s.password.max_age_days = row[i++].as<int>();
  s.session = SessionPolicyFromRow(row, i);
  i += 3;
  s.lockout = LockoutFromRow(row, i);
  i += 3;
  s.trusted_ip_ranges = SplitArray(row[i++].as<std::string>());
  s.terms_of_use_version = row[i++].as<std::string>();
  s.self_registration_enabled = row[i++].as<bool>();
  s.require_totp = row[i++].as<bool>();
  s.login_domains = SplitArray(row[i++].as<std::string>());
  return o;
}

LockoutPolicySettings LockoutFromRow(const pqxx::row& row, int offset) {
  LockoutPolicySettings l;
  l.max_failed_attempts = row[offset].as<int>();
  l.window_seconds = row[offset + 1].as<int64_t>();
  l.lockout_seconds = row[offset + 2].as<int64_t>();
  return l;
}

SessionPolicySettings SessionPolicyFromRow(const pqxx::row& row, int offset) {
  SessionPolicySettings s;
  s.idle_timeout_seconds = row[offset].as<int64_t>();
  s.absolute_lifetime_seconds = row[offset + 1].as<int64_t>();
  s.max_concurrent_sessions = row[offset + 2].as<int>();
  return s;
}

std::vector<std::string> SplitArray(const std::string& joined) {
  if (joined.empty()) return {};
  return absl::StrSplit(joined, '\x1f');
}

std::string ToPgArray(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ",";
    out += "\"";
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += "\"";
  }
  out += "}";
  return out;
}

UserCredentials CredentialsFromRow(const pqxx::row& row) {
  return UserCredentials{UserFromRow(row),
                         row[kUserColumnCount].as<std::string>(),
                         LockoutFromRow(row, kUserColumnCount + 1),
                         SessionPolicyFromRow(row, kUserColumnCount + 4),
                         row[kUserColumnCount + 7].as<int>(),
                         row[kUserColumnCount + 8].as<std::string>(),
                         row[kUserColumnCount + 9].as<bool>()};
}

}  // namespace identity::storage
