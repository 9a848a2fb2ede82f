#include "providers/saml/saml_settings.h"

#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "common/error_reasons.h"
#include "providers/saml/saml_settings.pb.h"
#include "providers/settings_document.h"

namespace identity::saml {
namespace {

void SetTime(const std::optional<absl::Time>& t,
             google::protobuf::Timestamp* out) {
  const absl::Duration since = *t - absl::UnixEpoch();
  const int64_t seconds =
      absl::ToInt64Seconds(absl::Floor(since, absl::Seconds(1)));
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(since - absl::Seconds(seconds))));
}

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

void Fill(const SamlProviderConfig& c, stored::SamlSettingsDocument* d) {
  d->set_idp_metadata_xml(c.idp_metadata_xml);
  d->set_idp_entity_id(c.idp_entity_id);
  d->set_sp_entity_id(c.sp_entity_id);
  d->set_acs_url(c.acs_url);
  d->set_sp_private_key_box(c.sp_private_key_box);
  d->set_sp_certificate_pem(c.sp_certificate_pem);
  d->set_sp_next_certificate_pem(c.sp_next_certificate_pem);
  d->set_name_id_format(c.name_id_format);
  d->set_username_attribute(c.username_attribute);
  d->set_email_attribute(c.email_attribute);
  d->set_display_name_attribute(c.display_name_attribute);
  d->set_groups_attribute(c.groups_attribute);
  for (const domain::GroupRoleMapping& m : c.group_role_mappings) {
    stored::GroupRoleMapping* out = d->add_group_role_mappings();
    out->set_group(m.group);
    out->set_primary_role(m.primary_role);
    for (const std::string& r : m.add_on_roles) out->add_add_on_roles(r);
  }
  d->set_default_role(c.default_role);
  d->set_allow_idp_initiated(c.allow_idp_initiated);
  d->set_clock_skew_seconds(c.clock_skew_seconds);
  d->set_allow_sha1_signatures(c.allow_sha1_signatures);
  d->set_match_friendly_names(c.match_friendly_names);
  d->set_force_authn(c.force_authn);
  d->set_authn_context_class_ref(c.authn_context_class_ref);
  d->set_require_encrypted_assertions(c.require_encrypted_assertions);
  d->set_idp_metadata_url(c.idp_metadata_url);
  d->set_idp_metadata_ca_pem(c.idp_metadata_ca_pem);
  d->set_idp_metadata_signing_certificate_pem(
      c.idp_metadata_signing_certificate_pem);
  if (c.idp_metadata_fetched_at.has_value()) {
    SetTime(c.idp_metadata_fetched_at, d->mutable_idp_metadata_fetched_at());
  }
  if (c.idp_metadata_failed_at.has_value()) {
    SetTime(c.idp_metadata_failed_at, d->mutable_idp_metadata_failed_at());
  }
  d->set_idp_metadata_failure(c.idp_metadata_failure);
}

void Fill(const stored::SamlSettingsDocument& d, SamlProviderConfig* c) {
  c->idp_metadata_xml = d.idp_metadata_xml();
  c->idp_entity_id = d.idp_entity_id();
  c->sp_entity_id = d.sp_entity_id();
  c->acs_url = d.acs_url();
  c->sp_private_key_box = d.sp_private_key_box();
  c->sp_certificate_pem = d.sp_certificate_pem();
  c->sp_next_certificate_pem = d.sp_next_certificate_pem();
  c->name_id_format = d.name_id_format();
  c->username_attribute = d.username_attribute();
  c->email_attribute = d.email_attribute();
  c->display_name_attribute = d.display_name_attribute();
  c->groups_attribute = d.groups_attribute();
  for (const stored::GroupRoleMapping& m : d.group_role_mappings()) {
    c->group_role_mappings.push_back(
        {m.group(),
         m.primary_role(),
         {m.add_on_roles().begin(), m.add_on_roles().end()}});
  }
  c->default_role = d.default_role();
  c->allow_idp_initiated = d.allow_idp_initiated();
  c->clock_skew_seconds = d.clock_skew_seconds();
  c->allow_sha1_signatures = d.allow_sha1_signatures();
  c->match_friendly_names = d.match_friendly_names();
  c->force_authn = d.force_authn();
  c->authn_context_class_ref = d.authn_context_class_ref();
  c->require_encrypted_assertions = d.require_encrypted_assertions();
  c->idp_metadata_url = d.idp_metadata_url();
  c->idp_metadata_ca_pem = d.idp_metadata_ca_pem();
  c->idp_metadata_signing_certificate_pem =
      d.idp_metadata_signing_certificate_pem();
  if (d.has_idp_metadata_fetched_at()) {
    c->idp_metadata_fetched_at = TimeOf(d.idp_metadata_fetched_at());
  }
  if (d.has_idp_metadata_failed_at()) {
    c->idp_metadata_failed_at = TimeOf(d.idp_metadata_failed_at());
  }
  c->idp_metadata_failure = d.idp_metadata_failure();
}

}  // namespace

absl::StatusOr<storage::ProviderSettingsRecord> EncodeSamlSettings(
    const SamlProviderConfig& c) {
  stored::SamlSettingsDocument d;
  Fill(c, &d);
  return SettingsRecord(d, kSamlSettingsType, kSamlSettingsSchema,
                        c.organization_id, c.version, c.sp_entity_id);
}

absl::StatusOr<SamlProviderConfig> DecodeSamlSettings(
    const storage::ProviderSettingsRecord& record) {
  stored::SamlSettingsDocument d;
  absl::Status read =
      ReadSettingsDocument(record, kSamlSettingsType, kSamlSettingsSchema, &d);
  if (!read.ok()) return read;
  SamlProviderConfig c;
  c.organization_id = record.organization_id;
  Fill(d, &c);
  c.version = record.version;
  return c;
}

absl::StatusOr<SamlProviderConfig> LoadSamlSettings(
    storage::ProviderSettings& store, absl::string_view organization_id) {
  absl::StatusOr<storage::ProviderSettingsRecord> record =
      store.GetProviderSettings(organization_id, kSamlSettingsType);
  if (!record.ok()) return record.status();
  return DecodeSamlSettings(*record);
}

absl::StatusOr<SamlProviderConfig> StoreSamlSettings(
    storage::ProviderSettings& store, const SamlProviderConfig& config,
    std::optional<int64_t> expected_version,
    const std::optional<domain::AuditEntry>& audit) {
  absl::StatusOr<storage::ProviderSettingsRecord> record =
      EncodeSamlSettings(config);
  if (!record.ok()) return record.status();
  absl::StatusOr<storage::ProviderSettingsRecord> written =
      store.PutProviderSettings(*record, expected_version, audit, std::nullopt);
  if (absl::IsAlreadyExists(written.status())) {
    return WithReason(absl::AlreadyExistsError("saml.sp_entity_id: another "
                                               "organization uses this entity "
                                               "ID"),
                      reason::kNameTaken, {{"field", "saml.sp_entity_id"}});
  }
  if (!written.ok()) return written.status();
  SamlProviderConfig stored = config;
  stored.version = written->version;
  return stored;
}

}  // namespace identity::saml
