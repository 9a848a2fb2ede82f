#include <thread>

#include "tests/integration/storage/store_fixture.h"

namespace identity::testing {
namespace {

using MigrationsTest = StoreTest;

TEST_F(MigrationsTest, FreshDatabaseReachesTheLatestVersionAndReRunIsANoOp) {
  // SetUp migrated a fresh database; every embedded migration is recorded.
  const auto& all = storage::EmbeddedMigrations();
  EXPECT_EQ(Count("SELECT count(*) FROM schema_migrations"),
            static_cast<int64_t>(all.size()));
  EXPECT_EQ(Count("SELECT max(version) FROM schema_migrations"),
            all.back().version);
  auto again = storage::ApplyMigrations(*pool_, all);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, 0);
}

TEST_F(MigrationsTest, ReplicasStartingAtOnceApplyEachMigrationOnce) {
  std::string url = SharedPostgres().CreateDatabase("t_migrate_race");
  ASSERT_FALSE(url.empty());
  url_ = url;
  constexpr int kReplicas = 6;
  std::vector<absl::StatusOr<int>> results(kReplicas, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kReplicas; ++i) {
    threads.emplace_back([&, i] {
      auto pool = NewPool(1);
      results[i] = storage::ApplyMigrations(*pool, storage::EmbeddedMigrations());
    });
  }
  for (auto& t : threads) t.join();
  int total = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    total += *r;
  }
  EXPECT_EQ(total, static_cast<int>(storage::EmbeddedMigrations().size()));
}

TEST_F(MigrationsTest, ADatabaseFromANewerBinaryIsRefused) {
  ASSERT_EQ(SharedPostgres().Psql(
                url_.substr(url_.rfind('/') + 1),
                "INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')"),
            0);
  auto r = storage::ApplyMigrations(*pool_, storage::EmbeddedMigrations());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("9999"), absl::string_view::npos);
}

TEST_F(MigrationsTest, SchemaEnforcesUniqueUsernamesAndOnePrimaryRole) {
  EXPECT_NE(SharedPostgres().Psql(url_.substr(url_.rfind('/') + 1),
                                  "INSERT INTO users (organization_id, username, "
                                  "origin, primary_role) VALUES ('" +
                                      org_.id + "', 'x', 'INTERNAL', NULL)"),
            0);
  EXPECT_NE(SharedPostgres().Psql(url_.substr(url_.rfind('/') + 1),
                                  "INSERT INTO users (organization_id, username, "
                                  "origin, primary_role, password_hash) VALUES ('" +
                                      org_.id + "', 'x', 'LDAP', 'ADMIN', 'h')"),
            0)
      << "an LDAP user must not have a password here";
}

}  // namespace
}  // namespace identity::testing
