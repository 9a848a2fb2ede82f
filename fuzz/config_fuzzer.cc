// Settings come from the environment: any set of IDENTITY_* values gives a
// configuration or an INVALID_ARGUMENT naming a variable, never a crash.
// Input: lines of NAME=value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "server/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::map<std::string, std::string> env;
  for (absl::string_view line :
       absl::StrSplit(absl::string_view(reinterpret_cast<const char*>(data), size), '\n')) {
    std::pair<std::string, std::string> kv = absl::StrSplit(line, absl::MaxSplits('=', 1));
    if (absl::EndsWith(kv.first, "_FILE")) continue;  // no file reads
    env[kv.first] = kv.second;
  }
  auto config = identity::server::LoadConfig(
      [&](const char* name) -> std::optional<std::string> {
        auto it = env.find(name);
        if (it == env.end()) return std::nullopt;
        return it->second;
      });
  if (!config.ok() && (!absl::IsInvalidArgument(config.status()) ||
                       !absl::StrContains(config.status().message(), "IDENTITY_"))) {
    std::abort();
  }
  return 0;
}
