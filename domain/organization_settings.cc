#include "domain/organization_settings.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/cidr.h"
#include "domain/validation.h"

namespace identity {
namespace {

absl::Status Range(absl::string_view field, int64_t value, int64_t min,
                   int64_t max) {
  if (value >= min && value <= max) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": must be from ", min, " to ", max));
}

absl::Status FirstError(std::initializer_list<absl::Status> checks) {
  for (const absl::Status& s : checks) {
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CheckPassword(const domain::PasswordPolicySettings& p) {
  return FirstError(
      {Range("password_policy.min_length", p.min_length, 8, 256),
       Range("password_policy.history_size", p.history_size, 0, 24),
       Range("password_policy.max_age_days", p.max_age_days, 0, 3650)});
}

absl::Status CheckSession(const domain::SessionPolicySettings& s) {
  constexpr int64_t kYear = 365 * 86400;
  return FirstError(
      {Range("session_policy.idle_timeout_seconds", s.idle_timeout_seconds, 0,
             kYear),
       s.absolute_lifetime_seconds == 0
           ? absl::OkStatus()
           : Range("session_policy.absolute_lifetime_seconds",
                   s.absolute_lifetime_seconds, 60, kYear),
       Range("session_policy.max_concurrent_sessions",
             s.max_concurrent_sessions, 0, 1000)});
}

absl::Status CheckLockout(const domain::LockoutPolicySettings& l) {
  return FirstError(
      {Range("lockout_policy.max_failed_attempts", l.max_failed_attempts, 0,
             1000),
       Range("lockout_policy.window_seconds", l.window_seconds, 1, 30 * 86400),
       Range("lockout_policy.lockout_seconds", l.lockout_seconds, 0,
             365 * 86400)});
}

absl::Status NormalizeRanges(std::vector<std::string>* ranges) {
  if (ranges->size() > 100) {
    return absl::InvalidArgumentError(
        "trusted_ip_ranges: at most 100 ranges");
  }
  std::set<std::string> seen;
  std::vector<std::string> out;
  for (const std::string& r : *ranges) {
    absl::StatusOr<Cidr> cidr = Cidr::Parse(r);
    if (!cidr.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("trusted_ip_ranges: ", cidr.status().message()));
    }
    if (seen.insert(cidr->ToString()).second) out.push_back(cidr->ToString());
  }
  *ranges = std::move(out);
  return absl::OkStatus();
}

bool IsDomain(absl::string_view d) {
  if (d.empty() || d.size() > 253 || d.front() == '.' || d.back() == '.' ||
      d.find('.') == absl::string_view::npos) {
    return false;
  }
  for (char c : d) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '.') {
      return false;
    }
  }
  return true;
}

absl::Status NormalizeDomains(std::vector<std::string>* domains) {
  if (domains->size() > 100) {
    return absl::InvalidArgumentError("login_domains: at most 100 domains");
  }
  std::set<std::string> seen;
  std::vector<std::string> out;
  for (const std::string& d : *domains) {
    std::string lower = absl::AsciiStrToLower(d);
    if (!IsDomain(lower)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "login_domains: '", lower.substr(0, 64),
          "' is not a domain name such as example.com"));
    }
    if (seen.insert(lower).second) out.push_back(lower);
  }
  *domains = std::move(out);
  return absl::OkStatus();
}

}  // namespace

absl::Status NormalizeChanges(OrganizationChanges* c) {
  absl::Status s = ValidateId("id", c->id);
  if (s.ok() && c->name) s = ValidateOrganizationName(*c->name);
  if (s.ok() && c->expected_version < 0) {
    s = absl::InvalidArgumentError("version: must not be negative");
  }
  if (s.ok() && c->password) s = CheckPassword(*c->password);
  if (s.ok() && c->session) s = CheckSession(*c->session);
  if (s.ok() && c->lockout) s = CheckLockout(*c->lockout);
  if (s.ok() && c->trusted_ip_ranges) s = NormalizeRanges(&*c->trusted_ip_ranges);
  if (s.ok() && c->login_domains) s = NormalizeDomains(&*c->login_domains);
  if (s.ok() && c->terms_of_use_version && !c->terms_of_use_version->empty()) {
    s = ValidateDisplayName(*c->terms_of_use_version);
    if (!s.ok()) {
      s = absl::InvalidArgumentError(
          "terms_of_use_version: at most 200 bytes of text");
    }
  }
  return s;
}

void ApplyChanges(const OrganizationChanges& c, domain::Organization* org) {
  domain::OrganizationSettings& s = org->settings;
  if (c.name) org->name = *c.name;
  if (c.password) s.password = *c.password;
  if (c.session) s.session = *c.session;
  if (c.lockout) s.lockout = *c.lockout;
  if (c.trusted_ip_ranges) s.trusted_ip_ranges = *c.trusted_ip_ranges;
  if (c.terms_of_use_version) s.terms_of_use_version = *c.terms_of_use_version;
  if (c.self_registration_enabled) {
    s.self_registration_enabled = *c.self_registration_enabled;
  }
  if (c.require_totp) s.require_totp = *c.require_totp;
  if (c.login_domains) s.login_domains = *c.login_domains;
}

}  // namespace identity
