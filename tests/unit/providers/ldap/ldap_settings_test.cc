// The LDAP provider's settings codec: its stored document round trips, and
// a document it cannot read is a clear error, never a crash.
#include "providers/ldap/ldap_settings.h"

#include "gtest/gtest.h"
#include "storage/memory/memory_store.h"

namespace identity::ldap {
namespace {

domain::LdapProviderConfig Full() {
  domain::LdapProviderConfig c;
  c.organization_id = "00000000-0000-4000-8000-000000000001";
  c.urls = {"ldaps://a.example:636", "ldap://b.example"};
  c.start_tls = true;
  c.ca_certificate_pem = "-----BEGIN CERTIFICATE-----\nMIIB\n";
  c.bind_dn = "cn=reader,dc=example,dc=com";
  c.bind_password_box = std::string("\x00\x01sealed\xff\"{", 10);
  c.user_base_dn = "ou=people,dc=example,dc=com";
  c.user_filter = "(&(objectClass=person)(uid={username}))";
  c.username_attribute = "uid";
  c.email_attribute = "mail";
  c.display_name_attribute = "cn";
  c.group_base_dn = "ou=groups,dc=example,dc=com";
  c.group_member_attribute = "member";
  c.id_attribute = "entryUUID";
  c.group_role_mappings = {{"cn=admins,ou=groups", "ADMIN", {"CONTROL_CENTER"}},
                           {"cn=billing", "", {"A", "B"}}};
  c.default_role = "BILLING_CONTACT";
  c.connect_timeout_ms = 1500;
  c.operation_timeout_ms = 7000;
  c.pool_size = 9;
  c.version = 7;
  return c;
}

void ExpectSame(const domain::LdapProviderConfig& a,
                const domain::LdapProviderConfig& b) {
  EXPECT_EQ(a.organization_id, b.organization_id);
  EXPECT_EQ(a.urls, b.urls);
  EXPECT_EQ(a.start_tls, b.start_tls);
  EXPECT_EQ(a.ca_certificate_pem, b.ca_certificate_pem);
  EXPECT_EQ(a.bind_dn, b.bind_dn);
  EXPECT_EQ(a.bind_password_box, b.bind_password_box);
  EXPECT_EQ(a.user_base_dn, b.user_base_dn);
  EXPECT_EQ(a.user_filter, b.user_filter);
  EXPECT_EQ(a.username_attribute, b.username_attribute);
  EXPECT_EQ(a.email_attribute, b.email_attribute);
  EXPECT_EQ(a.display_name_attribute, b.display_name_attribute);
  EXPECT_EQ(a.group_base_dn, b.group_base_dn);
  EXPECT_EQ(a.group_member_attribute, b.group_member_attribute);
  EXPECT_EQ(a.id_attribute, b.id_attribute);
  EXPECT_TRUE(a.group_role_mappings == b.group_role_mappings);
  EXPECT_EQ(a.default_role, b.default_role);
  EXPECT_EQ(a.connect_timeout_ms, b.connect_timeout_ms);
  EXPECT_EQ(a.operation_timeout_ms, b.operation_timeout_ms);
  EXPECT_EQ(a.pool_size, b.pool_size);
  EXPECT_EQ(a.version, b.version);
}

TEST(LdapSettingsTest, EveryFieldRoundTripsThroughTheDocument) {
  auto record = EncodeLdapSettings(Full());
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->type, "ldap");
  EXPECT_EQ(record->schema_version, kLdapSettingsSchema);
  EXPECT_TRUE(record->unique_key.empty());
  EXPECT_EQ(record->document.find("sealed"), std::string::npos)
      << "the sealed box is base64 in the document";
  auto decoded = DecodeLdapSettings(*record);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectSame(*decoded, Full());
}

TEST(LdapSettingsTest, RoundTripsThroughAStoreWithTheStoresVersion) {
  storage::MemoryStore store;
  domain::AuditEntry audit;
  audit.action = "organization.create";
  auto org = store.CreateOrganization("acme", audit);
  ASSERT_TRUE(org.ok()) << org.status();
  domain::LdapProviderConfig c = Full();
  c.organization_id = org->id;
  auto record = EncodeLdapSettings(c);
  ASSERT_TRUE(record.ok()) << record.status();
  ASSERT_TRUE(store
                  .PutProviderSettings(*record, std::nullopt, std::nullopt,
                                       std::nullopt)
                  .ok());
  auto loaded = LoadLdapSettings(store, org->id);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  c.version = 1;
  ExpectSame(*loaded, c);
  EXPECT_TRUE(absl::IsNotFound(LoadLdapSettings(store, "other").status()));
}

TEST(LdapSettingsTest, UnreadableDocumentIsAClearErrorNotACrash) {
  auto good = EncodeLdapSettings(Full());
  ASSERT_TRUE(good.ok());
  for (const std::string document :
       {"", "not json", "[]", "{", R"({"urls": 5})",
        R"({"urls": ["ldap://a"], "pool_size": "many"})",
        R"({"urls": ["ldap://a"], "pool_size": 4, "surprise": true})",
        R"({"bind_password_box": "%%%"})",
        R"({"urls": ["ldap://a"], "pool_size": 0, "connect_timeout_ms": 1,
            "operation_timeout_ms": 1})",
        "{}"}) {
    storage::ProviderSettingsRecord r = *good;
    r.document = document;
    auto decoded = DecodeLdapSettings(r);
    EXPECT_TRUE(absl::IsFailedPrecondition(decoded.status()))
        << document << " -> " << decoded.status();
    EXPECT_NE(decoded.status().message().find("configure the LDAP provider "
                                              "again"),
              absl::string_view::npos)
        << decoded.status();
    EXPECT_NE(decoded.status().message().find(r.organization_id),
              absl::string_view::npos);
  }
}

TEST(LdapSettingsTest, NewerSchemaVersionIsRefusedWithWhatToDo) {
  auto record = EncodeLdapSettings(Full());
  ASSERT_TRUE(record.ok());
  record->schema_version = kLdapSettingsSchema + 1;
  auto decoded = DecodeLdapSettings(*record);
  EXPECT_TRUE(absl::IsFailedPrecondition(decoded.status())) << decoded.status();
  EXPECT_NE(decoded.status().message().find("schema version 2"),
            absl::string_view::npos)
      << decoded.status();
  EXPECT_NE(decoded.status().message().find("newer server"),
            absl::string_view::npos);
  record->schema_version = 0;
  EXPECT_TRUE(absl::IsFailedPrecondition(DecodeLdapSettings(*record).status()));
  record->schema_version = kLdapSettingsSchema;
  record->type = "saml";
  EXPECT_TRUE(absl::IsFailedPrecondition(DecodeLdapSettings(*record).status()))
      << "another type's record";
}

}  // namespace
}  // namespace identity::ldap
