// Versioned schema migrations, compiled into the binary from
// storage/migrations/NNNN_name.sql so that an image needs no SQL files.
#ifndef IDENTITY_STORAGE_MIGRATIONS_H_
#define IDENTITY_STORAGE_MIGRATIONS_H_

#include "absl/strings/string_view.h"
#include <vector>

namespace identity::storage {

struct Migration {
  int version;
  absl::string_view name;
  absl::string_view sql;
};

// Sorted by version, no gaps.
const std::vector<Migration>& EmbeddedMigrations();

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_MIGRATIONS_H_
