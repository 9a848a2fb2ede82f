// The PostgreSQL store runs the conformance cases the in-memory fake runs
// too (tests/storage/), each case on a freshly migrated database.
#include <atomic>

#include "absl/strings/str_cat.h"
#include "storage/migrations.h"
#include "storage/pg/migrator.h"
#include "storage/pg/pg_store.h"
#include "tests/conformance/store_conformance.h"
#include "tests/support/postgres_server.h"

namespace identity::testing {
namespace {

class PgBackend : public StoreBackend {
 public:
  static std::unique_ptr<StoreBackend> Make() {
    // Test names can pass PostgreSQL's 63-character limit: number them.
    static std::atomic<int> next{0};
    std::string url =
        SharedPostgres().CreateDatabase(absl::StrCat("t_conformance_", next++));
    if (url.empty()) return nullptr;
    storage::ConnectionPool::Options o;
    o.url = url;
    o.size = 2;
    o.connect_timeout = absl::Seconds(2);
    o.acquire_timeout = absl::Seconds(2);
    auto pool = std::make_shared<storage::ConnectionPool>(o);
    auto applied =
        storage::ApplyMigrations(*pool, storage::EmbeddedMigrations());
    if (!applied.ok()) {
      ADD_FAILURE() << applied.status();
      return nullptr;
    }
    auto backend = std::make_unique<PgBackend>();
    backend->store_ = std::make_unique<storage::PgStore>(pool);
    return backend;
  }
  StorePorts ports() override { return PortsOf(store_.get()); }

 private:
  std::unique_ptr<storage::PgStore> store_;
};

INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformance,
                         ::testing::Values(BackendFactory{"Postgres",
                                                          &PgBackend::Make}));

}  // namespace
}  // namespace identity::testing
