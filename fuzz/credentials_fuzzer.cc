// Bearer credentials and peers come from callers: telling a session token
// from an API key, and reading a client IP out of a peer string, must never
// crash, and what is accepted must have the documented shape.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "domain/credential_format.h"
#include "services/peer_address.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const bool token = identity::IsSessionTokenFormat(input);
  const bool key = identity::IsApiKeyFormat(input);
  if (token && key) std::abort();  // the two formats never overlap
  const std::string ip = identity::services::PeerIp(input);
  if (ip.size() > input.size()) std::abort();
  return 0;
}
