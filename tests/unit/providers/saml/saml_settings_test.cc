// The SAML provider's settings codec: its stored document round trips (the
// refresh times too), the SP entity ID is the record's unique key, and a
// document it cannot read is a clear error, never a crash.
#include "providers/saml/saml_settings.h"

#include "gtest/gtest.h"
#include "storage/memory/memory_store.h"

namespace identity::saml {
namespace {

SamlProviderConfig Full() {
  SamlProviderConfig c;
  c.organization_id = "00000000-0000-4000-8000-000000000001";
  c.idp_metadata_xml = "<EntityDescriptor entityID=\"idp\"/>";
  c.idp_entity_id = "https://idp.example/";
  c.sp_entity_id = "https://sp.example/acme";
  c.acs_url = "https://sp.example/acs";
  c.sp_private_key_box = std::string(
      "\x00\xfe"
      "box",
      5);
  c.sp_certificate_pem = "-----BEGIN CERTIFICATE-----\nA\n";
  c.sp_next_certificate_pem = "-----BEGIN CERTIFICATE-----\nB\n";
  c.name_id_format = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
  c.username_attribute = "uid";
  c.email_attribute = "mail";
  c.display_name_attribute = "displayName";
  c.groups_attribute = "groups";
  c.group_role_mappings = {{"admins", "ADMIN", {"CONTROL_CENTER"}}};
  c.default_role = "BASIC_USER";
  c.allow_idp_initiated = true;
  c.clock_skew_seconds = 120;
  c.allow_sha1_signatures = true;
  c.match_friendly_names = true;
  c.force_authn = true;
  c.authn_context_class_ref = "urn:mfa";
  c.require_encrypted_assertions = true;
  c.idp_metadata_url = "https://idp.example/metadata.xml";
  c.idp_metadata_ca_pem = "-----BEGIN CERTIFICATE-----\nC\n";
  c.idp_metadata_signing_certificate_pem = "-----BEGIN CERTIFICATE-----\nD\n";
  c.idp_metadata_fetched_at =
      absl::FromUnixMicros(1764590000123456);  // microseconds, as stored
  c.idp_metadata_failure = "";
  c.version = 3;
  return c;
}

void ExpectSame(const SamlProviderConfig& a, const SamlProviderConfig& b) {
  EXPECT_EQ(a.organization_id, b.organization_id);
  EXPECT_EQ(a.idp_metadata_xml, b.idp_metadata_xml);
  EXPECT_EQ(a.idp_entity_id, b.idp_entity_id);
  EXPECT_EQ(a.sp_entity_id, b.sp_entity_id);
  EXPECT_EQ(a.acs_url, b.acs_url);
  EXPECT_EQ(a.sp_private_key_box, b.sp_private_key_box);
  EXPECT_EQ(a.sp_certificate_pem, b.sp_certificate_pem);
  EXPECT_EQ(a.sp_next_certificate_pem, b.sp_next_certificate_pem);
  EXPECT_EQ(a.name_id_format, b.name_id_format);
  EXPECT_EQ(a.username_attribute, b.username_attribute);
  EXPECT_EQ(a.email_attribute, b.email_attribute);
  EXPECT_EQ(a.display_name_attribute, b.display_name_attribute);
  EXPECT_EQ(a.groups_attribute, b.groups_attribute);
  EXPECT_TRUE(a.group_role_mappings == b.group_role_mappings);
  EXPECT_EQ(a.default_role, b.default_role);
  EXPECT_EQ(a.allow_idp_initiated, b.allow_idp_initiated);
  EXPECT_EQ(a.clock_skew_seconds, b.clock_skew_seconds);
  EXPECT_EQ(a.allow_sha1_signatures, b.allow_sha1_signatures);
  EXPECT_EQ(a.match_friendly_names, b.match_friendly_names);
  EXPECT_EQ(a.force_authn, b.force_authn);
  EXPECT_EQ(a.authn_context_class_ref, b.authn_context_class_ref);
  EXPECT_EQ(a.require_encrypted_assertions, b.require_encrypted_assertions);
  EXPECT_EQ(a.idp_metadata_url, b.idp_metadata_url);
  EXPECT_EQ(a.idp_metadata_ca_pem, b.idp_metadata_ca_pem);
  EXPECT_EQ(a.idp_metadata_signing_certificate_pem,
            b.idp_metadata_signing_certificate_pem);
  EXPECT_EQ(a.idp_metadata_fetched_at, b.idp_metadata_fetched_at);
  EXPECT_EQ(a.idp_metadata_failed_at, b.idp_metadata_failed_at);
  EXPECT_EQ(a.idp_metadata_failure, b.idp_metadata_failure);
  EXPECT_EQ(a.version, b.version);
}

TEST(SamlSettingsTest, EveryFieldRoundTripsWithTheEntityIdAsUniqueKey) {
  auto record = EncodeSamlSettings(Full());
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->type, "saml");
  EXPECT_EQ(record->schema_version, kSamlSettingsSchema);
  EXPECT_EQ(record->unique_key, "https://sp.example/acme");
  EXPECT_NE(record->document.find("\"idp_metadata_fetched_at\":\"2025-"),
            std::string::npos)
      << "times as RFC 3339 text: " << record->document;
  auto decoded = DecodeSamlSettings(*record);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectSame(*decoded, Full());

  SamlProviderConfig failed = Full();
  failed.idp_metadata_fetched_at.reset();
  failed.idp_metadata_failed_at = absl::FromUnixSeconds(1764590000);
  failed.idp_metadata_failure = "HTTP 404";
  auto again = DecodeSamlSettings(*EncodeSamlSettings(failed));
  ASSERT_TRUE(again.ok()) << again.status();
  ExpectSame(*again, failed);
}

TEST(SamlSettingsTest, AnEntityIdAnotherOrganizationUsesNamesTheField) {
  storage::MemoryStore store;
  domain::AuditEntry audit;
  audit.action = "organization.create";
  auto acme = store.CreateOrganization("acme", audit);
  auto globex = store.CreateOrganization("globex", audit);
  ASSERT_TRUE(acme.ok() && globex.ok());
  SamlProviderConfig c = Full();
  c.organization_id = acme->id;
  auto stored = StoreSamlSettings(store, c, std::nullopt, std::nullopt);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->version, 1);
  c.organization_id = globex->id;
  auto taken = StoreSamlSettings(store, c, std::nullopt, std::nullopt);
  EXPECT_TRUE(absl::IsAlreadyExists(taken.status())) << taken.status();
  EXPECT_EQ(taken.status().message().rfind("saml.sp_entity_id:", 0), 0u)
      << taken.status();
  auto loaded = LoadSamlSettings(store, acme->id);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->sp_entity_id, c.sp_entity_id);
  c.organization_id = acme->id;
  EXPECT_TRUE(
      absl::IsAborted(StoreSamlSettings(store, c, 0, std::nullopt).status()))
      << "written over a version that is gone";
}

TEST(SamlSettingsTest, UnreadableDocumentOrNewerSchemaIsAClearError) {
  auto good = EncodeSamlSettings(Full());
  ASSERT_TRUE(good.ok());
  for (const std::string document :
       {"", "<xml/>", "[1]", R"({"clock_skew_seconds": "soon"})",
        R"({"idp_metadata_fetched_at": "yesterday"})",
        R"({"sp_entity_id": "x", "favourite_colour": "blue"})"}) {
    storage::ProviderSettingsRecord r = *good;
    r.document = document;
    auto decoded = DecodeSamlSettings(r);
    EXPECT_TRUE(absl::IsFailedPrecondition(decoded.status()))
        << document << " -> " << decoded.status();
    EXPECT_NE(decoded.status().message().find("configure the SAML provider "
                                              "again"),
              absl::string_view::npos)
        << decoded.status();
  }
  storage::ProviderSettingsRecord newer = *good;
  newer.schema_version = kSamlSettingsSchema + 1;
  auto decoded = DecodeSamlSettings(newer);
  EXPECT_TRUE(absl::IsFailedPrecondition(decoded.status())) << decoded.status();
  EXPECT_NE(decoded.status().message().find("reads up to 1"),
            absl::string_view::npos)
      << decoded.status();
}

}  // namespace
}  // namespace identity::saml
