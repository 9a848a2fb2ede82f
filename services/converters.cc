#include "services/converters.h"

namespace identity::services {

void ToProto(absl::Time in, google::protobuf::Timestamp* out) {
  const int64_t micros = absl::ToUnixMicros(in);
  out->set_seconds(micros / 1000000);
  out->set_nanos(static_cast<int32_t>((micros % 1000000) * 1000));
}

v1::Origin ToProto(storage::Origin origin) {
  switch (origin) {
    case storage::Origin::kInternal:
      return v1::ORIGIN_INTERNAL;
    case storage::Origin::kLdap:
      return v1::ORIGIN_LDAP;
    case storage::Origin::kSaml:
      return v1::ORIGIN_SAML;
  }
  return v1::ORIGIN_UNSPECIFIED;
}

std::optional<storage::Origin> FromProto(v1::Origin origin) {
  switch (origin) {
    case v1::ORIGIN_INTERNAL:
      return storage::Origin::kInternal;
    case v1::ORIGIN_LDAP:
      return storage::Origin::kLdap;
    case v1::ORIGIN_SAML:
      return storage::Origin::kSaml;
    default:
      return std::nullopt;
  }
}

void ToProto(const storage::User& in, v1::User* out) {
  out->set_id(in.id);
  out->set_organization_id(in.organization_id);
  out->set_username(in.username);
  out->set_email(in.email);
  out->set_display_name(in.display_name);
  out->set_image_url(in.image_url);
  out->set_time_zone(in.time_zone);
  out->set_origin(ToProto(in.origin));
  out->set_primary_role(in.primary_role);
  out->add_roles(in.primary_role);
  out->set_enabled(in.enabled);
  out->set_locked(in.locked);
  ToProto(in.created_at, out->mutable_created_at());
  ToProto(in.updated_at, out->mutable_updated_at());
  out->set_version(in.version);
}

void ToProto(const storage::Organization& in, v1::Organization* out) {
  out->set_id(in.id);
  out->set_name(in.name);
  ToProto(in.created_at, out->mutable_created_at());
  ToProto(in.updated_at, out->mutable_updated_at());
  out->set_version(in.version);
}

void ToProto(const Principal& in, v1::Principal* out) {
  out->set_user_id(in.user.id);
  out->set_organization_id(in.user.organization_id);
  out->set_username(in.user.username);
  out->set_origin(ToProto(in.user.origin));
  out->set_primary_role(in.user.primary_role);
  for (const std::string& r : in.roles) out->add_roles(r);
  for (const std::string& p : in.permissions) out->add_permissions(p);
  ToProto(in.expires_at, out->mutable_expires_at());
}

}  // namespace identity::services
