#include "services/converters.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/strip.h"

namespace identity::services {

void ToProto(absl::Time in, google::protobuf::Timestamp* out) {
  const int64_t micros = absl::ToUnixMicros(in);
  out->set_seconds(micros / 1000000);
  out->set_nanos(static_cast<int32_t>((micros % 1000000) * 1000));
}

// By name ("LDAP" is ORIGIN_LDAP), so that a provider type's origin needs
// its value in the domain and in the API, and no line here. The names are
// matched once: every principal answered carries an origin.
v1::Origin ToProto(domain::Origin origin) {
  static const auto* const by_domain = [] {
    auto* table = new absl::flat_hash_map<domain::Origin, v1::Origin>();
    const google::protobuf::EnumDescriptor* api = v1::Origin_descriptor();
    for (int i = 0; i < api->value_count(); ++i) {
      absl::string_view name = api->value(i)->name();
      if (!absl::ConsumePrefix(&name, "ORIGIN_")) continue;
      if (std::optional<domain::Origin> o = domain::ParseOrigin(name)) {
        table->emplace(*o, static_cast<v1::Origin>(api->value(i)->number()));
      }
    }
    return table;
  }();
  auto it = by_domain->find(origin);
  return it == by_domain->end() ? v1::ORIGIN_UNSPECIFIED : it->second;
}

std::optional<domain::Origin> FromProto(v1::Origin origin) {
  if (origin == v1::ORIGIN_UNSPECIFIED || !v1::Origin_IsValid(origin)) {
    return std::nullopt;
  }
  return domain::ParseOrigin(
      absl::StripPrefix(v1::Origin_Name(origin), "ORIGIN_"));
}

void ToProto(const domain::User& in, v1::User* out) {
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
  for (const std::string& r : in.add_on_roles) out->add_roles(r);
  out->set_enabled(in.enabled);
  out->set_locked(in.locked);
  out->set_failed_login_attempts(in.failed_login_attempts);
  out->set_pending(in.pending);
  out->set_terms_accepted_version(in.terms_accepted_version);
  out->set_security_alerts(in.security_alerts);
  if (in.locked && in.locked_until) {
    ToProto(*in.locked_until, out->mutable_locked_until());
  }
  ToProto(in.created_at, out->mutable_created_at());
  ToProto(in.updated_at, out->mutable_updated_at());
  out->set_version(in.version);
}

void ToProto(const domain::PasswordPolicySettings& in, v1::PasswordPolicy* out) {
  out->set_min_length(in.min_length);
  out->set_require_upper(in.require_upper);
  out->set_require_lower(in.require_lower);
  out->set_require_digit(in.require_digit);
  out->set_require_symbol(in.require_symbol);
  out->set_history_size(in.history_size);
  out->set_max_age_days(in.max_age_days);
}

void ToProto(const domain::SessionPolicySettings& in, v1::SessionPolicy* out) {
  out->set_idle_timeout_seconds(in.idle_timeout_seconds);
  out->set_absolute_lifetime_seconds(in.absolute_lifetime_seconds);
  out->set_max_concurrent_sessions(in.max_concurrent_sessions);
}

void ToProto(const domain::LockoutPolicySettings& in, v1::LockoutPolicy* out) {
  out->set_max_failed_attempts(in.max_failed_attempts);
  out->set_window_seconds(in.window_seconds);
  out->set_lockout_seconds(in.lockout_seconds);
}

domain::PasswordPolicySettings FromProto(const v1::PasswordPolicy& in) {
  return {in.min_length(),    in.require_upper(), in.require_lower(),
          in.require_digit(), in.require_symbol(), in.history_size(),
          in.max_age_days()};
}

domain::SessionPolicySettings FromProto(const v1::SessionPolicy& in) {
  return {in.idle_timeout_seconds(), in.absolute_lifetime_seconds(),
          in.max_concurrent_sessions()};
}

domain::LockoutPolicySettings FromProto(const v1::LockoutPolicy& in) {
  return {in.max_failed_attempts(), in.window_seconds(), in.lockout_seconds()};
}

void ToProto(const domain::Organization& in, v1::Organization* out) {
  out->set_id(in.id);
  out->set_name(in.name);
  const domain::OrganizationSettings& s = in.settings;
  ToProto(s.password, out->mutable_password_policy());
  ToProto(s.session, out->mutable_session_policy());
  ToProto(s.lockout, out->mutable_lockout_policy());
  for (const std::string& r : s.trusted_ip_ranges) out->add_trusted_ip_ranges(r);
  out->set_terms_of_use_version(s.terms_of_use_version);
  out->set_self_registration_enabled(s.self_registration_enabled);
  out->set_require_totp(s.require_totp);
  for (const std::string& d : s.login_domains) out->add_login_domains(d);
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
  // A pending step withholds every permission from callers that only look
  // at permissions.
  if (in.required_actions.empty()) {
    for (const std::string& p : in.permissions) out->add_permissions(p);
  }
  for (const std::string& a : in.required_actions) out->add_required_actions(a);
  if (in.expires_at != absl::InfiniteFuture()) {
    ToProto(in.expires_at, out->mutable_expires_at());
  }
  out->set_api_key_id(in.api_key_id);
}

void ToProto(const domain::ApiKey& in, v1::ApiKey* out) {
  out->set_id(in.id);
  out->set_prefix(in.prefix);
  out->set_name(in.name);
  out->set_user_id(in.user_id);
  out->set_organization_id(in.organization_id);
  if (in.expires_at) ToProto(*in.expires_at, out->mutable_expires_at());
  out->set_revoked(in.revoked);
  if (in.last_used_at) ToProto(*in.last_used_at, out->mutable_last_used_at());
  ToProto(in.created_at, out->mutable_created_at());
  for (const std::string& p : in.permissions) out->add_permissions(p);
}

void ToProto(const domain::CustomRole& in, v1::Role* out) {
  out->set_id(in.id);
  out->set_organization_id(in.organization_id);
  out->set_name(in.name);
  out->set_description(in.description);
  for (const std::string& p : in.permissions) out->add_permissions(p);
  out->set_version(in.version);
}

void ToProto(const domain::Group& in, v1::Group* out) {
  out->set_id(in.id);
  out->set_organization_id(in.organization_id);
  out->set_name(in.name);
  out->set_description(in.description);
  for (const std::string& r : in.roles) out->add_roles(r);
  out->set_member_count(in.member_count);
  out->set_version(in.version);
}

}  // namespace identity::services
