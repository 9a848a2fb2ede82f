// Opaque page tokens for keyset pagination. A token carries the position
// after the last row served and a fingerprint of the filters it was made for,
// so a token replayed with other filters is refused instead of skipping rows.
#ifndef IDENTITY_APPLICATION_PAGE_TOKEN_H_
#define IDENTITY_APPLICATION_PAGE_TOKEN_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/queries.h"

namespace identity {

std::string EncodePageToken(const storage::Cursor& cursor,
                            absl::string_view filters);

// An empty token is the first page (nullopt). INVALID_ARGUMENT for anything
// that is not a token this server made for these filters.
absl::StatusOr<std::optional<storage::Cursor>> DecodePageToken(
    absl::string_view token, absl::string_view filters);

}  // namespace identity

#endif  // IDENTITY_APPLICATION_PAGE_TOKEN_H_
