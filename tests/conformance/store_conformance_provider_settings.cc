// Conformance cases: identity provider settings, a type and a document per
// organization, written with compare-and-set and a unique key per type.
#include "tests/conformance/store_conformance.h"

namespace identity::testing {
namespace {

using storage::ProviderSettingsRecord;

domain::AuditEntry Configured(const std::string& org) {
  domain::AuditEntry a;
  a.action = "identity_provider.configure";
  a.target_type = "organization";
  a.target_id = org;
  a.organization_id = org;
  a.peer = "test";
  return a;
}

// Documents in the form PostgreSQL's jsonb writes them back, so that the
// text read back can be compared as it is.
ProviderSettingsRecord Record(const std::string& org, const std::string& type,
                              const std::string& document,
                              const std::string& unique_key = "") {
  ProviderSettingsRecord r;
  r.organization_id = org;
  r.type = type;
  r.schema_version = 1;
  r.document = document;
  r.unique_key = unique_key;
  return r;
}

TEST_P(StoreConformance, ProviderSettingsAreNotFoundUntilWritten) {
  auto none = store_.provider_settings->GetProviderSettings(org_id_, "ldap");
  EXPECT_TRUE(absl::IsNotFound(none.status())) << none.status();
  EXPECT_NE(none.status().message().find("LDAP"), absl::string_view::npos)
      << none.status();
  ProviderSettingsRecord r;
  r.organization_id = "00000000-0000-4000-8000-00000000ffff";  // no such org
  r.type = "ldap";
  r.document = R"({"a": 1})";
  auto orphan = store_.provider_settings->PutProviderSettings(
      r, std::nullopt, Configured(org_id_), std::nullopt);
  EXPECT_TRUE(absl::IsNotFound(orphan.status())) << orphan.status();
}

TEST_P(StoreConformance, ProviderSettingsReadBackAsWrittenWithTheirVersion) {
  auto first = store_.provider_settings->PutProviderSettings(
      Record(org_id_, "ldap", R"({"urls": ["ldap://a"], "pool_size": 4})"),
      std::nullopt, Configured(org_id_), std::nullopt);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->version, 1);
  auto read = store_.provider_settings->GetProviderSettings(org_id_, "ldap");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->document, R"({"urls": ["ldap://a"], "pool_size": 4})");
  EXPECT_EQ(read->schema_version, 1);
  EXPECT_EQ(read->version, 1);
  EXPECT_EQ(read->type, "ldap");
  EXPECT_EQ(read->organization_id, org_id_);
  auto second = store_.provider_settings->PutProviderSettings(
      Record(org_id_, "ldap", R"({"urls": ["ldap://b"]})"), std::nullopt,
      std::nullopt, std::nullopt);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->version, 2);
  EXPECT_EQ(
      store_.provider_settings->GetProviderSettings(org_id_, "ldap")->document,
      R"({"urls": ["ldap://b"]})");
  EXPECT_EQ(AuditCount("identity_provider.configure", org_id_), 1)
      << "the audit entry is written with its change, and only when given";
}

TEST_P(StoreConformance, ProviderSettingsWrittenOverAStaleVersionAreAborted) {
  auto created = store_.provider_settings->PutProviderSettings(
      Record(org_id_, "saml", R"({"v": 1})"), 0, std::nullopt, std::nullopt);
  ASSERT_TRUE(created.ok()) << created.status();
  auto again = store_.provider_settings->PutProviderSettings(
      Record(org_id_, "saml", R"({"v": 2})"), 0, std::nullopt, std::nullopt);
  EXPECT_TRUE(absl::IsAborted(again.status()))
      << "0 means none stored yet: " << again.status();
  auto updated = store_.provider_settings->PutProviderSettings(
      Record(org_id_, "saml", R"({"v": 3})"), 1, std::nullopt, std::nullopt);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->version, 2);
  // A second writer that read version 1 too loses.
  auto stale = store_.provider_settings->PutProviderSettings(
      Record(org_id_, "saml", R"({"v": 4})"), 1, Configured(org_id_),
      std::nullopt);
  EXPECT_TRUE(absl::IsAborted(stale.status())) << stale.status();
  auto read = store_.provider_settings->GetProviderSettings(org_id_, "saml");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->document, R"({"v": 3})");
  EXPECT_EQ(read->version, 2);
  EXPECT_EQ(AuditCount("identity_provider.configure", org_id_), 0)
      << "nothing of a refused write is kept";
}

TEST_P(StoreConformance, ProviderSettingsUniqueKeyBelongsToOneOrganization) {
  auto other = store_.organization_writes->CreateOrganization(
      "globex", Audit("organization.create"));
  ASSERT_TRUE(other.ok()) << other.status();
  auto ps = store_.provider_settings;
  ASSERT_TRUE(ps->PutProviderSettings(
                    Record(org_id_, "saml", R"({"v": 1})", "https://sp/a"),
                    std::nullopt, std::nullopt, std::nullopt)
                  .ok());
  auto taken = ps->PutProviderSettings(
      Record(other->id, "saml", R"({"v": 1})", "https://sp/a"), std::nullopt,
      Configured(org_id_), std::nullopt);
  EXPECT_TRUE(absl::IsAlreadyExists(taken.status())) << taken.status();
  EXPECT_TRUE(
      absl::IsNotFound(ps->GetProviderSettings(other->id, "saml").status()));
  // The owner writes it again; another type, or no key, collides with none.
  EXPECT_TRUE(ps->PutProviderSettings(
                    Record(org_id_, "saml", R"({"v": 2})", "https://sp/a"),
                    std::nullopt, std::nullopt, std::nullopt)
                  .ok());
  EXPECT_TRUE(ps->PutProviderSettings(
                    Record(other->id, "oidc", R"({"v": 1})", "https://sp/a"),
                    std::nullopt, std::nullopt, std::nullopt)
                  .ok());
  EXPECT_TRUE(ps->PutProviderSettings(Record(org_id_, "ldap", R"({"v": 1})"),
                                      std::nullopt, std::nullopt, std::nullopt)
                  .ok());
  EXPECT_TRUE(ps->PutProviderSettings(Record(other->id, "ldap", R"({"v": 1})"),
                                      std::nullopt, std::nullopt, std::nullopt)
                  .ok());
  // Once the owner lets the key go, another organization may take it.
  ASSERT_TRUE(ps->PutProviderSettings(
                    Record(org_id_, "saml", R"({"v": 3})", "https://sp/b"),
                    std::nullopt, std::nullopt, std::nullopt)
                  .ok());
  EXPECT_TRUE(ps->PutProviderSettings(
                    Record(other->id, "saml", R"({"v": 1})", "https://sp/a"),
                    std::nullopt, std::nullopt, std::nullopt)
                  .ok());
}

TEST_P(StoreConformance, ProviderSettingsListHoldsOneTypeByOrganization) {
  auto other = store_.organization_writes->CreateOrganization(
      "globex", Audit("organization.create"));
  ASSERT_TRUE(other.ok()) << other.status();
  auto ps = store_.provider_settings;
  for (const std::string& org : {org_id_, other->id}) {
    ASSERT_TRUE(ps->PutProviderSettings(
                      Record(org, "saml", R"({"v": 1})", "https://sp/" + org),
                      std::nullopt, std::nullopt, std::nullopt)
                    .ok());
  }
  ASSERT_TRUE(ps->PutProviderSettings(Record(org_id_, "ldap", R"({"v": 1})"),
                                      std::nullopt, std::nullopt, std::nullopt)
                  .ok());
  auto saml = ps->ListProviderSettings("saml");
  ASSERT_TRUE(saml.ok()) << saml.status();
  ASSERT_EQ(saml->size(), 2u);
  EXPECT_LT((*saml)[0].organization_id, (*saml)[1].organization_id);
  for (const ProviderSettingsRecord& r : *saml) EXPECT_EQ(r.type, "saml");
  auto ldap = ps->ListProviderSettings("ldap");
  ASSERT_TRUE(ldap.ok()) << ldap.status();
  ASSERT_EQ(ldap->size(), 1u);
  EXPECT_EQ((*ldap)[0].organization_id, org_id_);
  EXPECT_TRUE(ps->ListProviderSettings("oidc")->empty());
}

TEST_P(StoreConformance, ProviderSettingsWriteCanUnlinkTheOriginsStableIds) {
  auto linked = store_.external_users->SyncExternalUser(
      "", Ldap("dave", "id-dave"), Audit("user.provision"));
  ASSERT_TRUE(linked.ok()) << linked.status();
  domain::User carol = MustCreate(Internal("carol"));
  auto ps = store_.provider_settings;
  ASSERT_TRUE(ps->PutProviderSettings(Record(org_id_, "ldap", R"({"v": 1})"),
                                      std::nullopt, std::nullopt, std::nullopt)
                  .ok());
  EXPECT_EQ(ReadUser(linked->id).external_id, "id-dave")
      << "kept unless the write asks";
  ASSERT_TRUE(ps->PutProviderSettings(Record(org_id_, "ldap", R"({"v": 2})"),
                                      std::nullopt, std::nullopt,
                                      domain::Origin::kLdap)
                  .ok());
  EXPECT_EQ(ReadUser(linked->id).external_id, "");
  EXPECT_EQ(ReadUser(linked->id).username, "dave");
  EXPECT_EQ(ReadUser(carol.id).username, "carol");
}

}  // namespace
}  // namespace identity::testing
