// Notification payloads arrive over the database connection: parsing any
// bytes yields only well-formed changes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "storage/change_feed.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view payload(reinterpret_cast<const char*>(data), size);
  for (const identity::storage::Change& c : identity::storage::ParseChanges(payload)) {
    if (c.id.empty() || c.id.find(',') != std::string::npos) std::abort();
  }
  return 0;
}
