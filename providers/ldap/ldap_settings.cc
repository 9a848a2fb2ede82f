#include "providers/ldap/ldap_settings.h"

#include "absl/strings/str_cat.h"
#include "providers/ldap/ldap_settings.pb.h"
#include "providers/settings_document.h"

namespace identity::ldap {

absl::StatusOr<storage::ProviderSettingsRecord> EncodeLdapSettings(
    const domain::LdapProviderConfig& c) {
  stored::LdapSettingsDocument d;
  for (const std::string& url : c.urls) d.add_urls(url);
  d.set_start_tls(c.start_tls);
  d.set_ca_certificate_pem(c.ca_certificate_pem);
  d.set_bind_dn(c.bind_dn);
  d.set_bind_password_box(c.bind_password_box);
  d.set_user_base_dn(c.user_base_dn);
  d.set_user_filter(c.user_filter);
  d.set_username_attribute(c.username_attribute);
  d.set_email_attribute(c.email_attribute);
  d.set_display_name_attribute(c.display_name_attribute);
  d.set_group_base_dn(c.group_base_dn);
  d.set_group_member_attribute(c.group_member_attribute);
  d.set_id_attribute(c.id_attribute);
  for (const domain::GroupRoleMapping& m : c.group_role_mappings) {
    stored::GroupRoleMapping* out = d.add_group_role_mappings();
    out->set_group(m.group);
    out->set_primary_role(m.primary_role);
    for (const std::string& r : m.add_on_roles) out->add_add_on_roles(r);
  }
  d.set_default_role(c.default_role);
  d.set_connect_timeout_ms(c.connect_timeout_ms);
  d.set_operation_timeout_ms(c.operation_timeout_ms);
  d.set_pool_size(c.pool_size);
  return SettingsRecord(d, kLdapSettingsType, kLdapSettingsSchema,
                        c.organization_id, c.version);
}

absl::StatusOr<domain::LdapProviderConfig> DecodeLdapSettings(
    const storage::ProviderSettingsRecord& record) {
  stored::LdapSettingsDocument d;
  absl::Status read =
      ReadSettingsDocument(record, kLdapSettingsType, kLdapSettingsSchema, &d);
  if (!read.ok()) return read;
  // A pool or a wait of nothing would hang every login: such a document
  // was not written by this service.
  if (d.urls().empty() || d.pool_size() < 1 || d.connect_timeout_ms() < 1 ||
      d.operation_timeout_ms() < 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the stored LDAP settings of organization ", record.organization_id,
        " lack urls, pool_size or a timeout: configure the LDAP provider "
        "again"));
  }
  domain::LdapProviderConfig c;
  c.organization_id = record.organization_id;
  c.urls.assign(d.urls().begin(), d.urls().end());
  c.start_tls = d.start_tls();
  c.ca_certificate_pem = d.ca_certificate_pem();
  c.bind_dn = d.bind_dn();
  c.bind_password_box = d.bind_password_box();
  c.user_base_dn = d.user_base_dn();
  c.user_filter = d.user_filter();
  c.username_attribute = d.username_attribute();
  c.email_attribute = d.email_attribute();
  c.display_name_attribute = d.display_name_attribute();
  c.group_base_dn = d.group_base_dn();
  c.group_member_attribute = d.group_member_attribute();
  c.id_attribute = d.id_attribute();
  for (const stored::GroupRoleMapping& m : d.group_role_mappings()) {
    c.group_role_mappings.push_back(
        {m.group(),
         m.primary_role(),
         {m.add_on_roles().begin(), m.add_on_roles().end()}});
  }
  c.default_role = d.default_role();
  c.connect_timeout_ms = d.connect_timeout_ms();
  c.operation_timeout_ms = d.operation_timeout_ms();
  c.pool_size = d.pool_size();
  c.version = record.version;
  return c;
}

absl::StatusOr<domain::LdapProviderConfig> LoadLdapSettings(
    storage::ProviderSettings& store, absl::string_view organization_id) {
  absl::StatusOr<storage::ProviderSettingsRecord> record =
      store.GetProviderSettings(organization_id, kLdapSettingsType);
  if (!record.ok()) return record.status();
  return DecodeLdapSettings(*record);
}

}  // namespace identity::ldap
