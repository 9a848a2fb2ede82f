// Pending self-registrations in the store: they take no name from anyone
// else, and expired ones are purged with an audit event each.
#include "absl/time/clock.h"
#include "common/crypto.h"
#include "tests/integration/storage/store_fixture.h"

namespace identity::testing {
namespace {

class StoreRegistrationsTest : public StoreTest {
 protected:
  domain::User Register(const std::string& email, absl::Duration ttl) {
    storage::NewUser n = NewUser(email);
    n.pending = true;
    n.registration_expires_at = absl::Now() + ttl;
    auto u = store_->CreateUser(n, Audit("user.register"));
    EXPECT_TRUE(u.ok()) << u.status();
    return u.value_or(domain::User{});
  }
  int64_t Discarded(const std::string& id) {
    return Count(
        "SELECT count(*) FROM audit_events WHERE action = "
        "'registration.discard' AND target_id = '" +
        id + "'");
  }
};

TEST_F(StoreRegistrationsTest, PendingRegistrationIsNotFoundByUsername) {
  Register("squat@example.com", absl::Hours(24));
  EXPECT_EQ(
      store_->GetCredentialsByUsername("SQUAT@example.com").status().code(),
      absl::StatusCode::kNotFound);
}

TEST_F(StoreRegistrationsTest, SamlProvisioningReplacesAPendingRegistration) {
  domain::User squatter = Register("ada@example.com", absl::Hours(24));
  domain::ExternalUser saml;
  saml.organization_id = org_.id;
  saml.origin = domain::Origin::kSaml;
  saml.username = "Ada@example.com";
  saml.email = "ada@example.com";
  saml.primary_role = "BASIC_USER";
  saml.external_id = "ada-name-id";
  auto made = store_->SyncExternalUser("", saml, Audit("user.provision"));
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(made->origin, domain::Origin::kSaml);
  EXPECT_EQ(store_->GetUser(squatter.id).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Discarded(squatter.id), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = "
                  "'registration.discard' AND details->>'replaced_by' = "
                  "'user.provision'"),
            1);
}

TEST_F(StoreRegistrationsTest, OnlyPendingRegistrationsAreReplaced) {
  storage::NewUser invited = NewUser("invited@example.com");
  invited.pending = true;  // an invitation: no registration_expires_at
  ASSERT_TRUE(store_->CreateUser(invited, Audit("user.invite")).ok());
  storage::NewUser again = NewUser("invited@example.com");
  again.registration_expires_at = absl::Now() + absl::Hours(1);
  again.pending = true;
  EXPECT_EQ(store_->CreateUser(again, Audit("user.register")).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(StoreRegistrationsTest, PurgeDeletesOnlyExpiredRegistrations) {
  domain::User stale = Register("stale@example.com", -absl::Minutes(1));
  domain::User fresh = Register("fresh@example.com", absl::Hours(24));
  storage::NewUser invited = NewUser("waiting@example.com");
  invited.pending = true;
  ASSERT_TRUE(store_->CreateUser(invited, Audit("user.invite")).ok());
  auto purged = store_->PurgeExpiredRegistrations(100);
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_EQ(*purged, 1);
  EXPECT_EQ(store_->GetUser(stale.id).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(store_->GetUser(fresh.id).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = "
                  "'registration.expire' AND target_id = '" +
                  stale.id + "'"),
            1);
  EXPECT_EQ(*store_->PurgeExpiredRegistrations(100), 0);
}

TEST_F(StoreRegistrationsTest, VerifiedRegistrationIsKeptForGood) {
  domain::User u = Register("kept@example.com", absl::Hours(1));
  const std::string digest = crypto::Sha256("verification-token");
  ASSERT_TRUE(store_
                  ->IssueUserToken(
                      u.id, domain::TokenPurpose::kEmailVerification, digest,
                      absl::Now() + absl::Hours(1), Audit("verification.issue"))
                  .ok());
  ASSERT_TRUE(store_
                  ->RedeemUserToken(digest,
                                    domain::TokenPurpose::kEmailVerification,
                                    "", Audit("user.verify_email"))
                  .ok());
  EXPECT_EQ(Count("SELECT count(*) FROM users WHERE registration_expires_at "
                  "IS NULL AND NOT pending AND id = '" +
                  u.id + "'"),
            1);
  EXPECT_TRUE(store_->GetCredentialsByUsername("kept@example.com").ok());
  EXPECT_EQ(
      store_->CreateUser(NewUser("kept@example.com"), Audit("user.create"))
          .status()
          .code(),
      absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace identity::testing
