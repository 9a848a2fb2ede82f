// A migrated database of its own on the shared test PostgreSQL, per test.
#ifndef IDENTITY_TESTS_INTEGRATION_STORAGE_STORE_FIXTURE_H_
#define IDENTITY_TESTS_INTEGRATION_STORAGE_STORE_FIXTURE_H_

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "storage/migrations.h"
#include "storage/pg/migrator.h"
#include "storage/pg/pg_store.h"
#include "tests/support/postgres_server.h"

namespace identity::testing {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("t_") + info->test_suite_name() + "_" +
                       info->name();
    for (char& c : name) c = static_cast<char>(std::tolower(c));
    url_ = SharedPostgres().CreateDatabase(name);
    ASSERT_FALSE(url_.empty());
    pool_ = NewPool();
    auto applied =
        storage::ApplyMigrations(*pool_, storage::EmbeddedMigrations());
    ASSERT_TRUE(applied.ok()) << applied.status();
    store_ = std::make_unique<storage::PgStore>(pool_);
    auto org = store_->CreateOrganization("acme", Audit("organization.create"));
    ASSERT_TRUE(org.ok()) << org.status();
    org_ = *org;
  }

  std::shared_ptr<storage::ConnectionPool> NewPool(int size = 4) {
    storage::ConnectionPool::Options o;
    o.url = url_;
    o.size = size;
    o.connect_timeout = absl::Seconds(2);
    o.acquire_timeout = absl::Seconds(2);
    return std::make_shared<storage::ConnectionPool>(o);
  }

  static domain::AuditEntry Audit(const std::string& action) {
    domain::AuditEntry a;
    a.action = action;
    a.peer = "test";
    return a;
  }

  storage::NewUser NewUser(const std::string& username,
                           const std::string& role = "BASIC_USER") {
    storage::NewUser u;
    u.organization_id = org_.id;
    u.username = username;
    u.email = username;
    u.primary_role = role;
    u.password_hash = "$argon2id$placeholder";
    return u;
  }

  domain::User MustCreate(const std::string& username,
                           const std::string& role = "BASIC_USER") {
    auto u = store_->CreateUser(NewUser(username, role), Audit("user.create"));
    EXPECT_TRUE(u.ok()) << u.status();
    return u.value_or(domain::User{});
  }

  // Number of rows a query returns as its single integer.
  int64_t Count(const std::string& sql) {
    auto lease = pool_->Acquire();
    EXPECT_TRUE(lease.ok());
    pqxx::work tx(lease->conn());
    return tx.exec1(sql)[0].as<int64_t>();
  }

  std::string url_;
  std::shared_ptr<storage::ConnectionPool> pool_;
  std::unique_ptr<storage::PgStore> store_;
  domain::Organization org_;
};

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_INTEGRATION_STORAGE_STORE_FIXTURE_H_
