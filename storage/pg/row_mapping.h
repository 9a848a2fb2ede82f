// Column lists and row decoders shared by the PostgreSQL store's queries.
#ifndef IDENTITY_STORAGE_PG_ROW_MAPPING_H_
#define IDENTITY_STORAGE_PG_ROW_MAPPING_H_

#include <string>
#include <vector>

#include <pqxx/row>

#include "absl/time/time.h"
#include "storage/queries.h"

namespace identity::storage {

// Columns of `users u`, decoded by UserFromRow (kUserColumnCount of them).
extern const char kUserColumns[];
inline constexpr int kUserColumnCount = 28;
User UserFromRow(const pqxx::row& row, int offset = 0);

// Columns of `organizations o`, decoded by OrganizationFromRow.
extern const char kOrganizationColumns[];
inline constexpr int kOrganizationColumnCount = 23;
Organization OrganizationFromRow(const pqxx::row& row, int offset = 0);

// The lockout policy columns of `organizations o` (3 of them).
extern const char kLockoutColumns[];
LockoutPolicySettings LockoutFromRow(const pqxx::row& row, int offset);

// The session policy columns of `organizations o` (3 of them), then the
// password maximum age, the terms of use version and require_totp (read
// separately).
extern const char kSessionPolicyColumns[];
SessionPolicySettings SessionPolicyFromRow(const pqxx::row& row, int offset);

// text[] values: read joined by \x1f, written as an array literal.
std::vector<std::string> SplitArray(const std::string& joined);
std::string ToPgArray(const std::vector<std::string>& values);

// Timestamps travel as integer microseconds since the epoch.
absl::Time TimeFromMicros(int64_t micros);
int64_t MicrosFromTime(absl::Time time);

// bytea parameters travel as hex text: decode($n, 'hex').
std::string ToHex(absl::string_view bytes);
// A row of kUserColumns, the password hash, kLockoutColumns and
// kSessionPolicyColumns.
UserCredentials CredentialsFromRow(const pqxx::row& row);

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PG_ROW_MAPPING_H_
