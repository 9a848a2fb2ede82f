// Several identityd replicas on one PostgreSQL: each answers ValidateToken
// and ValidateApiKey from its own cache, and a revocation made on one is
// refused by the others within a second, also when a replica lost its
// notification connection.
#include <thread>

#include "absl/time/clock.h"
#include "identity/v1/api_key_service.grpc.pb.h"
#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

class ReplicasE2eTest : public E2eTest {
 protected:
  static void SetUpTestSuite() {
    E2eTest::SetUpTestSuite();
    // Two more replicas on the suite's database.
    for (int i = 0; i < 2; ++i) {
      others_[i] = IdentitydServer::Start(server().options());
      ASSERT_NE(others_[i], nullptr);
    }
  }
  static void TearDownTestSuite() {
    for (auto& r : others_) r.reset();
    E2eTest::TearDownTestSuite();
  }

  static grpc::StatusCode Validate(IdentitydServer& replica,
                                   const std::string& token) {
    v1::ValidateTokenRequest req;
    req.set_token(token);
    v1::ValidateTokenResponse resp;
    return v1::AuthService::NewStub(replica.NewChannel())
        ->ValidateToken(Ctx().get(), req, &resp)
        .error_code();
  }
  static grpc::StatusCode ValidateKey(IdentitydServer& replica,
                                      const std::string& key) {
    v1::ValidateApiKeyRequest req;
    req.set_api_key(key);
    v1::ValidateApiKeyResponse resp;
    return v1::AuthService::NewStub(replica.NewChannel())
        ->ValidateApiKey(Ctx().get(), req, &resp)
        .error_code();
  }
  // How long until every other replica refuses; fails after 3 s.
  static absl::Duration UntilRefused(
      const std::function<grpc::StatusCode(IdentitydServer&)>& check) {
    const absl::Time start = absl::Now();
    for (auto& replica : others_) {
      while (check(*replica) == grpc::StatusCode::OK) {
        if (absl::Now() - start > absl::Seconds(3)) return absl::Seconds(3);
        absl::SleepFor(absl::Milliseconds(10));
      }
    }
    return absl::Now() - start;
  }
  // Validates on both other replicas, twice: the second answer comes from
  // their caches.
  static void WarmCaches(const std::function<grpc::StatusCode(IdentitydServer&)>& check) {
    for (auto& replica : others_) {
      const double hits = CacheHits(*replica);
      for (int i = 0; i < 2; ++i) {
        ASSERT_EQ(check(*replica), grpc::StatusCode::OK);
      }
      ASSERT_GT(CacheHits(*replica), hits) << "served from the replica's cache";
    }
  }
  static double CacheHits(const IdentitydServer& replica) {
    return MetricValue(replica.Metrics(), "identity_credential_cache_hits_total");
  }

  static inline std::unique_ptr<IdentitydServer> others_[2];
};

TEST_F(ReplicasE2eTest, ALogoutOnOneReplicaIsSeenByTheOthersWithinASecond) {
  v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  const std::string token = Login(user.username(), kPassword);
  auto valid = [&](IdentitydServer& r) { return Validate(r, token); };
  WarmCaches(valid);
  v1::LogoutResponse out;
  ASSERT_TRUE(auth_->Logout(Ctx(token).get(), {}, &out).ok());
  EXPECT_EQ(Validate(server(), token), grpc::StatusCode::UNAUTHENTICATED)
      << "the replica that wrote sees it at once";
  EXPECT_LT(UntilRefused(valid), absl::Seconds(1));
}

TEST_F(ReplicasE2eTest, RevokedKeysAndDisabledUsersStopOnEveryReplica) {
  v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  const std::string token = Login(user.username(), kPassword);
  auto keys = v1::ApiKeyService::NewStub(server().NewChannel());
  v1::CreateApiKeyRequest create;
  create.set_name("gateway");
  v1::CreateApiKeyResponse key;
  ASSERT_TRUE(keys->CreateApiKey(Ctx(token).get(), create, &key).ok());
  auto key_valid = [&](IdentitydServer& r) { return ValidateKey(r, key.api_key()); };
  WarmCaches(key_valid);
  v1::RevokeApiKeyRequest revoke;
  revoke.set_id(key.key().id());
  v1::ApiKey revoked;
  ASSERT_TRUE(keys->RevokeApiKey(Ctx(token).get(), revoke, &revoked).ok());
  EXPECT_LT(UntilRefused(key_valid), absl::Seconds(1));

  auto token_valid = [&](IdentitydServer& r) { return Validate(r, token); };
  WarmCaches(token_valid);
  v1::DisableUserRequest disable;
  disable.set_id(user.id());
  v1::User disabled;
  ASSERT_TRUE(users_->DisableUser(Ctx(AdminToken()).get(), disable, &disabled).ok());
  EXPECT_LT(UntilRefused(token_valid), absl::Seconds(1));
}

TEST_F(ReplicasE2eTest, AReplicaThatLostItsNotificationsStopsTrustingItsCache) {
  v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  const std::string token = Login(user.username(), kPassword);
  auto valid = [&](IdentitydServer& r) { return Validate(r, token); };
  WarmCaches(valid);
  // Every connection to the database is cut, the listeners' too, and the
  // logout happens before they are back: its notification is lost to them.
  Sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
      "datname = current_database() AND pid <> pg_backend_pid()");
  v1::LogoutResponse out;
  ASSERT_TRUE(auth_->Logout(Ctx(token).get(), {}, &out).ok());
  EXPECT_LT(UntilRefused(valid), absl::Seconds(1));
  // And they recover: a new session is served again by every replica.
  const std::string again = Login(user.username(), kPassword);
  for (auto& replica : others_) {
    EXPECT_EQ(Validate(*replica, again), grpc::StatusCode::OK);
  }
}

// GetUser is answered from each replica's cache too: an update through one
// replica, or behind the service's back in SQL (an add-on role granted),
// reaches what every replica answers within a second.
TEST_F(ReplicasE2eTest, GetUserOnEveryReplicaSeesChangesWithinASecond) {
  v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  const std::string admin = AdminToken();
  auto get = [&](IdentitydServer& r) {
    v1::GetUserRequest req;
    req.set_id(user.id());
    v1::User out;
    EXPECT_TRUE(v1::UserService::NewStub(r.NewChannel())
                    ->GetUser(Ctx(admin).get(), req, &out)
                    .ok());
    return out;
  };
  auto until = [&](const std::function<bool(const v1::User&)>& seen) {
    const absl::Time start = absl::Now();
    for (auto& replica : others_) {
      while (!seen(get(*replica)) && absl::Now() - start < absl::Seconds(3)) {
        absl::SleepFor(absl::Milliseconds(10));
      }
    }
    return absl::Now() - start;
  };
  // Served from each replica's cache (once its listener is back from the
  // previous test's cut connections).
  for (auto& replica : others_) {
    const absl::Time give_up = absl::Now() + absl::Seconds(15);
    bool hit = false;
    while (!hit && absl::Now() < give_up) {
      const double hits = CacheHits(*replica);
      get(*replica);
      get(*replica);
      hit = CacheHits(*replica) > hits;
      if (!hit) absl::SleepFor(absl::Milliseconds(100));
    }
    ASSERT_TRUE(hit) << "served from the replica's cache";
  }
  v1::UpdateUserRequest update;
  update.set_id(user.id());
  update.set_display_name("Renamed On One Replica");
  update.set_version(user.version());
  v1::User updated;
  ASSERT_TRUE(users_->UpdateUser(Ctx(admin).get(), update, &updated).ok());
  EXPECT_EQ(get(server()).display_name(), "Renamed On One Replica")
      << "the replica that wrote sees it at once";
  EXPECT_LT(until([](const v1::User& u) {
              return u.display_name() == "Renamed On One Replica";
            }),
            absl::Seconds(1));

  Sql("INSERT INTO user_roles (user_id, role) VALUES ('" + user.id() +
      "', 'BILLING_CONTACT')");
  auto billing = [](const v1::User& u) {
    for (const std::string& role : u.roles()) {
      if (role == "BILLING_CONTACT") return true;
    }
    return false;
  };
  EXPECT_LT(until(billing), absl::Seconds(1));
  EXPECT_LT(until([&](const v1::User&) { return billing(get(server())); }),
            absl::Seconds(1));
}

}  // namespace
}  // namespace identity::testing
