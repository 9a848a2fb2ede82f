// Structured logging: one JSON object per line on stderr.
//
// Callers pass fields explicitly; nothing is formatted from arbitrary objects,
// which keeps secrets out of the log unless a caller names them on purpose.
#ifndef IDENTITY_COMMON_LOG_H_
#define IDENTITY_COMMON_LOG_H_

#include <initializer_list>
#include <string>
#include "absl/strings/string_view.h"
#include <utility>

#include "absl/status/status.h"

namespace identity::log {

enum class Level { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

using Field = std::pair<absl::string_view, absl::string_view>;

// Messages below `level` are dropped. Thread-safe.
void SetLevel(Level level);
absl::Status ParseLevel(absl::string_view text, Level* level);

void Write(Level level, absl::string_view event,
           std::initializer_list<Field> fields = {});

// Whether messages of `level` are written: for lines whose fields cost
// something to gather even when the line is dropped.
bool Enabled(Level level);

inline void Info(absl::string_view event, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, event, f);
}
inline void Warn(absl::string_view event, std::initializer_list<Field> f = {}) {
  Write(Level::kWarning, event, f);
}
inline void Error(absl::string_view event, std::initializer_list<Field> f = {}) {
  Write(Level::kError, event, f);
}

// Escapes `text` for use inside a JSON string literal.
std::string JsonEscape(absl::string_view text);

}  // namespace identity::log

#endif  // IDENTITY_COMMON_LOG_H_
