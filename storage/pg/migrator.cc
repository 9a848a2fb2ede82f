#include "storage/pg/migrator.h"

#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "storage/pg/errors.h"

namespace identity::storage {
namespace {

constexpr int64_t kMigrationLockKey = 0x1d3a7101;

absl::StatusOr<int> ApplyLocked(pqxx::connection& conn,
                                const std::vector<Migration>& migrations) {
  {
    pqxx::work tx(conn);
    tx.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version integer PRIMARY KEY, name text NOT NULL, "
        "applied_at timestamptz NOT NULL DEFAULT now())");
    tx.commit();
  }
  int current = 0;
  {
    pqxx::work tx(conn);
    current =
        tx.exec1("SELECT coalesce(max(version), 0) FROM schema_migrations")[0]
            .as<int>();
  }
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (current > latest) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the database schema is at version ", current,
        " but this binary knows only up to ", latest,
        "; run a binary at least as new as the one that migrated it"));
  }
  int applied = 0;
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    pqxx::work tx(conn);
    tx.exec(std::string(m.sql));
    tx.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                   m.version, std::string(m.name));
    tx.commit();
    log::Info("database.migrated", {{"version", absl::StrCat(m.version)},
                                    {"name", m.name}});
    ++applied;
  }
  return applied;
}

}  // namespace

absl::StatusOr<int> ApplyMigrations(ConnectionPool& pool,
                                    const std::vector<Migration>& migrations) {
  absl::StatusOr<ConnectionPool::Lease> lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  pqxx::connection& conn = lease->conn();
  try {
    pqxx::nontransaction(conn).exec(
        absl::StrCat("SELECT pg_advisory_lock(", kMigrationLockKey, ")"));
    absl::StatusOr<int> applied = ApplyLocked(conn, migrations);
    pqxx::nontransaction(conn).exec(
        absl::StrCat("SELECT pg_advisory_unlock(", kMigrationLockKey, ")"));
    return applied;
  } catch (...) {
    lease->MarkBroken();  // closing the session also releases the lock
    return TranslateException("ApplyMigrations", std::current_exception());
  }
}

}  // namespace identity::storage
