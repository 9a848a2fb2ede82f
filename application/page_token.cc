#include "application/page_token.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
#include "common/error_info.h"
#include "common/uuid.h"

namespace identity {
namespace {

constexpr char kSep = '\x1f';  // ASCII unit separator; never in names or ids
constexpr absl::string_view kVersion = "p1";

std::string Fingerprint(absl::string_view filters) {
  return crypto::Base64UrlEncode(crypto::Sha256(filters).substr(0, 12));
}

absl::Status Bad() {
  return WithReason(
      absl::InvalidArgumentError(
          "page_token: not a token from a previous response with the same "
          "filters; omit it to start from the first page"),
      reason::kInvalidPageToken, {{"field", "page_token"}});
}

}  // namespace

std::string EncodePageToken(const storage::Cursor& cursor,
                            absl::string_view filters) {
  return crypto::Base64UrlEncode(absl::StrCat(kVersion, std::string(1, kSep),
                                              Fingerprint(filters),
                                              std::string(1, kSep),
                                              cursor.sort_key,
                                              std::string(1, kSep), cursor.id));
}

absl::StatusOr<std::optional<storage::Cursor>> DecodePageToken(
    absl::string_view token, absl::string_view filters) {
  if (token.empty()) return std::nullopt;
  if (token.size() > 2048) return Bad();
  std::optional<std::string> raw = crypto::Base64UrlDecode(token);
  if (!raw) return Bad();
  std::vector<std::string> parts = absl::StrSplit(*raw, kSep);
  if (parts.size() != 4 || parts[0] != kVersion ||
      parts[1] != Fingerprint(filters) ||
      (!parts[3].empty() && !IsUuid(parts[3]))) {
    return Bad();
  }
  return storage::Cursor{parts[2], parts[3]};
}

}  // namespace identity
