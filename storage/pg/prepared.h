// Statements on the hot paths (logins, token and API key validation, audit
// inserts) run as prepared statements, registered once per connection under
// a name derived from their text, so PostgreSQL parses and plans them once
// per connection instead of on every call.
#ifndef IDENTITY_STORAGE_PG_PREPARED_H_
#define IDENTITY_STORAGE_PG_PREPARED_H_

#include <functional>
#include <pqxx/transaction>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace identity::storage {

// Only for statements whose text is fixed (no values spliced in): every
// distinct text stays registered for the life of the connection.
template <typename... Args>
pqxx::result ExecPrepared(pqxx::transaction_base& tx, const std::string& sql,
                          Args&&... args) {
  const std::string name =
      absl::StrCat("identity_", std::hash<std::string>()(sql));
  // Registering the same name with the same text again does nothing.
  tx.conn().prepare(name, sql);
  return tx.exec_prepared(name, std::forward<Args>(args)...);
}

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PG_PREPARED_H_
