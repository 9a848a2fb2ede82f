// Changes in the database that can make a cached credential validation
// stale, as announced by the database itself (see migration 0013): the
// writing replica hears about its own at commit, the others through
// PostgreSQL LISTEN/NOTIFY.
#ifndef IDENTITY_STORAGE_CHANGE_FEED_H_
#define IDENTITY_STORAGE_CHANGE_FEED_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace identity::storage {

struct Change {
  // kProviderSettings: an organization's identity provider settings, and
  // nothing else of it (its id is the organization's).
  enum class Kind { kSession, kUser, kOrganization, kApiKey, kProviderSettings };
  Kind kind;
  std::string id;
};

// "s:<id>", "u:<id>", "o:<id>", "k:<id>" or "p:<organization id>"; nullopt
// for anything else.
std::optional<Change> ParseChange(absl::string_view payload);
// A comma-separated list of payloads; unknown ones are skipped.
std::vector<Change> ParseChanges(absl::string_view payloads);

class ChangeSink {
 public:
  virtual ~ChangeSink() = default;
  virtual void OnChanges(const std::vector<Change>& changes) = 0;
  // false: changes may be missed from now on (the listener lost its
  // connection); true: heard again, though changes in between were missed.
  virtual void OnFeedState(bool live) = 0;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_CHANGE_FEED_H_
