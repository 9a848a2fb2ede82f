// Page tokens come from callers: decoding any bytes must give a cursor or
// INVALID_ARGUMENT, and a decoded cursor must encode back to a token that
// decodes to the same cursor.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "application/page_token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view token(reinterpret_cast<const char*>(data), size);
  auto cursor = identity::DecodePageToken(token, "filters");
  if (!cursor.ok()) {
    if (!absl::IsInvalidArgument(cursor.status())) std::abort();
    return 0;
  }
  if (!cursor->has_value()) return 0;
  const std::string again = identity::EncodePageToken(**cursor, "filters");
  auto round = identity::DecodePageToken(again, "filters");
  if (!round.ok() || !round->has_value() || (*round)->sort_key != (*cursor)->sort_key ||
      (*round)->id != (*cursor)->id) {
    std::abort();
  }
  if (identity::DecodePageToken(again, "other filters").ok()) std::abort();
  return 0;
}
