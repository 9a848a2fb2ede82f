// A database at migration 0030, with an LDAP and a SAML provider in their
// old tables, upgraded by migration 0031: both providers read back equal
// from their documents, the SP entity ID stays unique across
// organizations, and a change still announces itself to the caches.
#include <vector>

#include "absl/strings/str_cat.h"
#include "providers/ldap/ldap_settings.h"
#include "providers/saml/saml_settings.h"
#include "tests/integration/storage/store_fixture.h"

namespace identity::testing {
namespace {

class RecordingSink : public storage::ChangeSink {
 public:
  void OnChanges(const std::vector<storage::Change>& changes) override {
    for (const storage::Change& c : changes) {
      if (c.kind == storage::Change::Kind::kProviderSettings) {
        orgs.push_back(c.id);
      }
      if (c.kind == storage::Change::Kind::kOrganization) whole_orgs.push_back(c.id);
    }
  }
  void OnFeedState(bool) override {}
  std::vector<std::string> orgs;        // provider settings changed
  std::vector<std::string> whole_orgs;  // the whole organization changed
};

class ProviderSettingsUpgradeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = absl::StrCat(
        "t_upgrade_",
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    for (char& c : name) c = static_cast<char>(std::tolower(c));
    url_ = SharedPostgres().CreateDatabase(name);
    ASSERT_FALSE(url_.empty());
    storage::ConnectionPool::Options o;
    o.url = url_;
    o.size = 2;
    o.connect_timeout = absl::Seconds(2);
    o.acquire_timeout = absl::Seconds(2);
    pool_ = std::make_shared<storage::ConnectionPool>(o);
    std::vector<storage::Migration> until_0030;
    for (const storage::Migration& m : storage::EmbeddedMigrations()) {
      if (m.version <= 30) until_0030.push_back(m);
    }
    ASSERT_EQ(until_0030.back().version, 30);
    auto applied = storage::ApplyMigrations(*pool_, until_0030);
    ASSERT_TRUE(applied.ok()) << applied.status();
    store_ = std::make_unique<storage::PgStore>(pool_);
    domain::AuditEntry audit;
    audit.action = "organization.create";
    for (const char* name : {"acme", "globex"}) {
      auto org = store_->CreateOrganization(name, audit);
      ASSERT_TRUE(org.ok()) << org.status();
      orgs_.push_back(org->id);
    }
    InsertOldRowsAndUpgrade();
  }

  void Exec(const std::string& sql) {
    auto lease = pool_->Acquire();
    ASSERT_TRUE(lease.ok()) << lease.status();
    pqxx::work tx(lease->conn());
    tx.exec(sql);
    tx.commit();
  }
  int64_t Count(const std::string& sql) {
    auto lease = pool_->Acquire();
    EXPECT_TRUE(lease.ok());
    pqxx::work tx(lease->conn());
    return tx.exec1(sql)[0].as<int64_t>();
  }

  // An LDAP provider of acme and a SAML provider of globex, then the
  // upgrade to the latest migration.
  void InsertOldRowsAndUpgrade() {
    // Rows as the 0030 store wrote them: sealed boxes as bytea (bytes that
    // are not text, base64 line breaks included), role mappings joined by
    // the unit separator, refresh times as timestamptz.
    Exec(absl::StrCat(
        "INSERT INTO ldap_providers (organization_id, urls, start_tls, "
        "ca_certificate_pem, bind_dn, bind_password_box, user_base_dn, "
        "user_filter, username_attribute, email_attribute, "
        "display_name_attribute, group_base_dn, group_member_attribute, "
        "group_role_mappings, default_role, connect_timeout_ms, "
        "operation_timeout_ms, pool_size, id_attribute, version) VALUES ('",
        orgs_[0],
        "', ARRAY['ldap://a:389','ldaps://b'], true, 'CA', "
        "'cn=reader', decode(repeat('00ff10', 40), 'hex'), 'ou=people', "
        "'(uid={username})', 'uid', 'mail', 'cn', 'ou=groups', 'member', "
        "ARRAY[E'cn=admins\\x1fADMIN\\x1fCONTROL_CENTER,X', "
        "E'cn=billing\\x1f\\x1f'], 'BILLING_CONTACT', 1500, 7000, 9, "
        "'entryUUID', 5)"));
    Exec(absl::StrCat(
        "INSERT INTO saml_providers (organization_id, idp_metadata_xml, "
        "idp_entity_id, sp_entity_id, acs_url, sp_private_key_box, "
        "sp_certificate_pem, sp_next_certificate_pem, name_id_format, "
        "username_attribute, email_attribute, display_name_attribute, "
        "groups_attribute, group_role_mappings, default_role, "
        "allow_idp_initiated, clock_skew_seconds, allow_sha1_signatures, "
        "match_friendly_names, force_authn, authn_context_class_ref, "
        "require_encrypted_assertions, idp_metadata_url, idp_metadata_ca_pem, "
        "idp_metadata_signing_certificate_pem, idp_metadata_fetched_at, "
        "idp_metadata_failed_at, idp_metadata_failure, version) VALUES ('",
        orgs_[1],
        "', '<md/>', 'https://idp/', 'https://sp/globex', "
        "'https://sp/acs', decode('fe0001', 'hex'), 'CERT', 'NEXT', "
        "'persistent', "
        "'uid', 'mail', 'name', 'groups', ARRAY[E'staff\\x1f\\x1fA'], "
        "'BASIC_USER', true, 90, true, true, true, 'urn:mfa', true, "
        "'https://idp/md.xml', 'MDCA', 'MDSIGN', "
        "'2026-11-30 10:11:12.345678+00', NULL, 'earlier failure', 3)"));

    ASSERT_TRUE(
        storage::ApplyMigrations(*pool_, storage::EmbeddedMigrations()).ok());
    // Kept for replicas of the previous version during a rolling update,
    // read-only: a write there would never reach the new table.
    EXPECT_EQ(Count("SELECT count(*) FROM pg_tables WHERE tablename IN "
                    "('ldap_providers', 'saml_providers')"),
              2);
    EXPECT_EQ(Count("SELECT count(*) FROM ldap_providers"), 1);
    for (const char* write :
         {"UPDATE ldap_providers SET pool_size = 5",
          "UPDATE saml_providers SET clock_skew_seconds = 30"}) {
      EXPECT_THROW(Exec(write), pqxx::sql_error) << write;
    }
  }

  static std::string Box() {
    std::string box;
    for (int i = 0; i < 40; ++i) box += std::string("\x00\xff\x10", 3);
    return box;
  }

  std::string url_;
  std::shared_ptr<storage::ConnectionPool> pool_;
  std::unique_ptr<storage::PgStore> store_;
  std::vector<std::string> orgs_;
};

TEST_F(ProviderSettingsUpgradeTest, LdapProviderReadsBackEqual) {
  auto ldap = ldap::LoadLdapSettings(*store_, orgs_[0]);
  ASSERT_TRUE(ldap.ok()) << ldap.status();
  EXPECT_EQ(ldap->urls,
            (std::vector<std::string>{"ldap://a:389", "ldaps://b"}));
  EXPECT_TRUE(ldap->start_tls);
  EXPECT_EQ(ldap->ca_certificate_pem, "CA");
  EXPECT_EQ(ldap->bind_dn, "cn=reader");
  EXPECT_EQ(ldap->bind_password_box, Box());
  EXPECT_EQ(ldap->user_base_dn, "ou=people");
  EXPECT_EQ(ldap->user_filter, "(uid={username})");
  EXPECT_EQ(ldap->username_attribute, "uid");
  EXPECT_EQ(ldap->email_attribute, "mail");
  EXPECT_EQ(ldap->display_name_attribute, "cn");
  EXPECT_EQ(ldap->group_base_dn, "ou=groups");
  EXPECT_EQ(ldap->group_member_attribute, "member");
  EXPECT_EQ(ldap->id_attribute, "entryUUID");
  ASSERT_EQ(ldap->group_role_mappings.size(), 2u);
  EXPECT_EQ(ldap->group_role_mappings[0].group, "cn=admins");
  EXPECT_EQ(ldap->group_role_mappings[0].primary_role, "ADMIN");
  EXPECT_EQ(ldap->group_role_mappings[0].add_on_roles,
            (std::vector<std::string>{"CONTROL_CENTER", "X"}));
  EXPECT_EQ(ldap->group_role_mappings[1].group, "cn=billing");
  EXPECT_EQ(ldap->group_role_mappings[1].primary_role, "");
  EXPECT_TRUE(ldap->group_role_mappings[1].add_on_roles.empty());
  EXPECT_EQ(ldap->default_role, "BILLING_CONTACT");
  EXPECT_EQ(ldap->connect_timeout_ms, 1500);
  EXPECT_EQ(ldap->operation_timeout_ms, 7000);
  EXPECT_EQ(ldap->pool_size, 9);
  EXPECT_EQ(ldap->version, 5) << "the version goes on from the old row's";

  EXPECT_TRUE(
      absl::IsNotFound(ldap::LoadLdapSettings(*store_, orgs_[1]).status()));
}

TEST_F(ProviderSettingsUpgradeTest, SamlProviderReadsBackEqual) {
  auto saml = saml::LoadSamlSettings(*store_, orgs_[1]);
  ASSERT_TRUE(saml.ok()) << saml.status();
  EXPECT_EQ(saml->idp_metadata_xml, "<md/>");
  EXPECT_EQ(saml->idp_entity_id, "https://idp/");
  EXPECT_EQ(saml->sp_entity_id, "https://sp/globex");
  EXPECT_EQ(saml->acs_url, "https://sp/acs");
  EXPECT_EQ(saml->sp_private_key_box, std::string("\xfe\x00\x01", 3));
  EXPECT_EQ(saml->sp_certificate_pem, "CERT");
  EXPECT_EQ(saml->sp_next_certificate_pem, "NEXT");
  EXPECT_EQ(saml->name_id_format, "persistent");
  EXPECT_EQ(saml->username_attribute, "uid");
  EXPECT_EQ(saml->email_attribute, "mail");
  EXPECT_EQ(saml->display_name_attribute, "name");
  EXPECT_EQ(saml->groups_attribute, "groups");
  ASSERT_EQ(saml->group_role_mappings.size(), 1u);
  EXPECT_EQ(saml->group_role_mappings[0].group, "staff");
  EXPECT_EQ(saml->group_role_mappings[0].add_on_roles,
            (std::vector<std::string>{"A"}));
  EXPECT_EQ(saml->default_role, "BASIC_USER");
  EXPECT_TRUE(saml->allow_idp_initiated);
  EXPECT_EQ(saml->clock_skew_seconds, 90);
  EXPECT_TRUE(saml->allow_sha1_signatures);
  EXPECT_TRUE(saml->match_friendly_names);
  EXPECT_TRUE(saml->force_authn);
  EXPECT_EQ(saml->authn_context_class_ref, "urn:mfa");
  EXPECT_TRUE(saml->require_encrypted_assertions);
  EXPECT_EQ(saml->idp_metadata_url, "https://idp/md.xml");
  EXPECT_EQ(saml->idp_metadata_ca_pem, "MDCA");
  EXPECT_EQ(saml->idp_metadata_signing_certificate_pem, "MDSIGN");
  absl::Time fetched;
  std::string err;
  ASSERT_TRUE(absl::ParseTime(absl::RFC3339_full, "2026-11-30T10:11:12.345678Z",
                              &fetched, &err));
  EXPECT_EQ(saml->idp_metadata_fetched_at, fetched);
  EXPECT_FALSE(saml->idp_metadata_failed_at.has_value());
  EXPECT_EQ(saml->idp_metadata_failure, "earlier failure");
  EXPECT_EQ(saml->version, 3);
  EXPECT_TRUE(
      absl::IsNotFound(saml::LoadSamlSettings(*store_, orgs_[0]).status()));
  EXPECT_TRUE(
      absl::IsNotFound(ldap::LoadLdapSettings(*store_, orgs_[1]).status()));
}

TEST_F(ProviderSettingsUpgradeTest, EntityIdStaysUniqueAndChangesAreAnnounced) {
  // The copied entity ID is still one organization's.
  auto saml = saml::LoadSamlSettings(*store_, orgs_[1]);
  ASSERT_TRUE(saml.ok()) << saml.status();
  saml::SamlProviderConfig copy = *saml;
  copy.organization_id = orgs_[0];
  EXPECT_TRUE(absl::IsAlreadyExists(
      saml::StoreSamlSettings(*store_, copy, std::nullopt, std::nullopt)
          .status()));

  // Written again through the store, each announces its organization (the
  // credential cache keeps LDAP settings by it) and reads back the same.
  RecordingSink sink;
  store_->set_change_sink(&sink);
  auto ldap = ldap::LoadLdapSettings(*store_, orgs_[0]);
  ASSERT_TRUE(ldap.ok()) << ldap.status();
  auto ldap_record = ldap::EncodeLdapSettings(*ldap);
  ASSERT_TRUE(ldap_record.ok());
  auto rewritten =
      store_->PutProviderSettings(*ldap_record, 5, std::nullopt, std::nullopt);
  ASSERT_TRUE(rewritten.ok()) << rewritten.status();
  EXPECT_EQ(rewritten->version, 6);
  EXPECT_EQ(sink.orgs, std::vector<std::string>{orgs_[0]});
  EXPECT_TRUE(sink.whole_orgs.empty())
      << "a settings write leaves the organization's credentials cached";
  auto again = ldap::LoadLdapSettings(*store_, orgs_[0]);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->bind_password_box, Box());
  EXPECT_EQ(again->urls, ldap->urls);
}

}  // namespace
}  // namespace identity::testing
