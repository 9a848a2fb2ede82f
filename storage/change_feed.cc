#include "storage/change_feed.h"

#include "absl/strings/str_split.h"

namespace identity::storage {

std::optional<Change> ParseChange(absl::string_view payload) {
  if (payload.size() < 3 || payload[1] != ':') return std::nullopt;
  Change c;
  switch (payload[0]) {
    case 's': c.kind = Change::Kind::kSession; break;
    case 'u': c.kind = Change::Kind::kUser; break;
    case 'o': c.kind = Change::Kind::kOrganization; break;
    case 'k': c.kind = Change::Kind::kApiKey; break;
    case 'p': c.kind = Change::Kind::kProviderSettings; break;
    default: return std::nullopt;
  }
  c.id = std::string(payload.substr(2));
  return c;
}

std::vector<Change> ParseChanges(absl::string_view payloads) {
  std::vector<Change> changes;
  for (absl::string_view p : absl::StrSplit(payloads, ',', absl::SkipEmpty())) {
    if (std::optional<Change> c = ParseChange(p)) changes.push_back(*std::move(c));
  }
  return changes;
}

}  // namespace identity::storage
