// Trusted IP ranges and client IPs come from administrators and callers:
// parsing any text gives a range or an error, and a parsed range contains
// its own network address.
#include <cstddef>
#include <cstdint>

#include "common/cidr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto range = identity::Cidr::Parse(text);
  if (range.ok()) {
    (void)range->Contains(text);
    (void)range->Contains("10.0.0.1");
    (void)range->Contains("2001:db8::1");
  }
  return 0;
}
