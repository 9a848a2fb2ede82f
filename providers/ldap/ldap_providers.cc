#include "providers/ldap/ldap_providers.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "domain/audit.h"
#include "domain/authorizer.h"
#include "domain/operations.h"
#include "domain/validation.h"
#include "providers/ldap/ldap_filter.h"
#include "providers/ldap/ldap_settings.h"

namespace identity::ldap {
namespace {

constexpr size_t kMaxUrls = 8;
constexpr int64_t kMaxLoginWaitMs = 30000;

// The first setting that changes where or how the bind password is sent
// ("urls", "bind_dn", "start_tls", "ca_certificate_pem"); null when none.
const char* DestinationChange(const domain::LdapProviderConfig& before,
                              const domain::LdapProviderConfig& after) {
  if (before.urls != after.urls) return "urls";
  if (before.bind_dn != after.bind_dn) return "bind_dn";
  if (before.start_tls != after.start_tls) return "start_tls";
  if (before.ca_certificate_pem != after.ca_certificate_pem) {
    return "ca_certificate_pem";
  }
  return nullptr;
}

}  // namespace

absl::Status LdapProviders::Validate(const Caller& caller,
                                     const domain::LdapProviderConfig& c) {
  if (c.urls.empty())
    return check_.Invalid("urls", "at least one ldap:// or ldaps:// URL");
  for (const std::string& url : c.urls) {
    if (!(absl::StartsWith(url, "ldap://") ||
          absl::StartsWith(url, "ldaps://")) ||
        url.size() > 512 || !check_.Text("urls", url, true).ok()) {
      return check_.Invalid(
          "urls", absl::StrCat("'", url.substr(0, 64),
                               "' is not an ldap:// or ldaps:// URL"));
    }
  }
  for (auto [field, value, required] :
       {std::tuple<const char*, const std::string&, bool>{"bind_dn", c.bind_dn,
                                                          true},
        {"user_base_dn", c.user_base_dn, true},
        {"username_attribute", c.username_attribute, true},
        {"email_attribute", c.email_attribute, false},
        {"display_name_attribute", c.display_name_attribute, false},
        {"group_base_dn", c.group_base_dn, false},
        {"group_member_attribute", c.group_member_attribute, false}}) {
    absl::Status s = check_.Text(field, value, required);
    if (!s.ok()) return s;
  }
  if (c.ca_certificate_pem.size() > 65536 ||
      (!c.ca_certificate_pem.empty() &&
       !absl::StrContains(c.ca_certificate_pem,
                          "-----BEGIN CERTIFICATE-----"))) {
    return check_.Invalid("ca_certificate_pem", "must be PEM certificates");
  }
  // It goes into search filters as it is: an attribute name only.
  if (c.id_attribute.size() > 64 ||
      !std::all_of(c.id_attribute.begin(), c.id_attribute.end(), [](char ch) {
        return absl::ascii_isalnum(static_cast<unsigned char>(ch)) || ch == '-';
      })) {
    return check_.Invalid("id_attribute",
                          "must be an attribute name such as entryUUID or "
                          "objectGUID (empty: detected)");
  }
  absl::StatusOr<std::string> filter = UserFilter(c.user_filter, "probe");
  if (!filter.ok()) {
    return check_.Invalid(
        "user_filter",
        filter.status().message().substr(std::string("user_filter: ").size()));
  }
  if (c.connect_timeout_ms < 100 || c.connect_timeout_ms > 60000) {
    return check_.Invalid("connect_timeout_ms", "must be from 100 to 60000");
  }
  if (c.operation_timeout_ms < 100 || c.operation_timeout_ms > 120000) {
    return check_.Invalid("operation_timeout_ms", "must be from 100 to 120000");
  }
  // A login may try every URL for the connect timeout before one answers,
  // then wait the operation timeout: the sum must end before the deadline a
  // caller is likely to give a login, or the caller gives up while a server
  // thread still waits.
  if (c.urls.size() > kMaxUrls) {
    return check_.Invalid("urls", absl::StrCat("at most ", kMaxUrls));
  }
  const int64_t worst =
      int64_t(c.urls.size()) * c.connect_timeout_ms + c.operation_timeout_ms;
  if (worst > kMaxLoginWaitMs) {
    return check_.Invalid(
        "operation_timeout_ms",
        absl::StrCat("urls (", c.urls.size(), ") x connect_timeout_ms + "
                     "operation_timeout_ms is ", worst, " ms; at most ",
                     kMaxLoginWaitMs, " ms: shorten the timeouts or list "
                     "fewer URLs"));
  }
  if (c.pool_size < 1 || c.pool_size > 64) {
    return check_.Invalid("pool_size", "must be from 1 to 64");
  }
  return check_.Roles(*caller.principal, c.organization_id, c.default_role,
                      c.group_role_mappings);
}

absl::StatusOr<domain::LdapProviderConfig> LdapProviders::Configure(
    const Caller& caller, LdapSettings settings) {
  domain::LdapProviderConfig& c = settings.config;
  absl::Status valid = ValidateId("organization_id", c.organization_id);
  if (!valid.ok()) return valid;
  absl::Status allowed = Check(op::kConfigureLdapProvider, *caller.principal,
                               Target{c.organization_id});
  if (!allowed.ok()) return allowed;
  absl::StatusOr<domain::Organization> org =
      store_->GetOrganization(c.organization_id);
  if (!org.ok()) return org.status();
  valid = Validate(caller, c);
  if (!valid.ok()) return valid;
  // Written over the version read (compare-and-set), since what is stored
  // decides whether the bind password is kept and whether the users' stable
  // ids still mean the same; another write in between means reading again.
  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<domain::LdapProviderConfig> written =
        Write(caller, settings);
    if (!absl::IsAborted(written.status()) || attempt == 3) return written;
  }
}

absl::StatusOr<domain::LdapProviderConfig> LdapProviders::Write(
    const Caller& caller, const LdapSettings& settings) {
  domain::LdapProviderConfig c = settings.config;
  absl::StatusOr<storage::ProviderSettingsRecord> stored =
      store_->GetProviderSettings(c.organization_id, kLdapSettingsType);
  if (!stored.ok() && !absl::IsNotFound(stored.status())) {
    return stored.status();
  }
  // Settings that cannot be read are replaced like missing ones, except
  // that the users' stable ids are dropped since nobody knows what they were;
  // settings a newer version wrote (read by it, after a rollback) are not
  // this version's to replace.
  absl::StatusOr<domain::LdapProviderConfig> current =
      stored.ok() ? DecodeLdapSettings(*stored) : stored.status();
  if (stored.ok() && stored->schema_version > kLdapSettingsSchema) {
    return current.status();
  }
  if (settings.bind_password.empty()) {
    if (!current.ok()) {
      return check_.Invalid("bind_password",
                            stored.ok() ? "required: the stored settings "
                                          "cannot be read"
                                        : "required for a new provider");
    }
    // The stored password goes only where, as whom and how it went before:
    // otherwise anyone who may configure the provider could send it to a
    // server of their own.
    if (const char* changed = DestinationChange(*current, c)) {
      return check_.Invalid(
          "bind_password",
          absl::StrCat("required again when ", changed,
                       " changes: the stored password is only sent where it "
                       "was sent before"));
    }
    c.bind_password_box = current->bind_password_box;
  } else {
    absl::StatusOr<std::string> sealed = box_->Seal(settings.bind_password);
    if (!sealed.ok()) return sealed.status();
    c.bind_password_box = *sealed;
  }
  absl::StatusOr<storage::ProviderSettingsRecord> record =
      EncodeLdapSettings(c);
  if (!record.ok()) return record.status();
  // Stable ids read from another attribute would match no entry: the users
  // are found by their DN instead and linked anew at their next login or
  // sync.
  std::optional<domain::Origin> unlink;
  if (stored.ok() &&
      (!current.ok() || current->id_attribute != c.id_attribute)) {
    unlink = domain::Origin::kLdap;
  }
  absl::StatusOr<storage::ProviderSettingsRecord> written =
      store_->PutProviderSettings(
          *record, stored.ok() ? stored->version : 0,
          MakeAudit(caller, "identity_provider.configure", "organization",
                    c.organization_id, c.organization_id,
                    {{"type", "ldap"}, {"bind_dn", c.bind_dn}}),
          unlink);
  if (!written.ok()) return written.status();
  c.version = written->version;
  return c;
}

absl::StatusOr<domain::LdapProviderConfig> LdapProviders::Get(
    const Caller& caller, absl::string_view organization_id) const {
  absl::Status valid = ValidateId("organization_id", organization_id);
  if (!valid.ok()) return valid;
  absl::Status allowed = Check(op::kGetIdentityProvider, *caller.principal,
                               Target{std::string(organization_id)});
  if (!allowed.ok()) return allowed;
  return LoadLdapSettings(*store_, organization_id);
}

absl::StatusOr<DirectoryOptions> LdapProviders::OptionsFor(
    const domain::LdapProviderConfig& c) const {
  absl::StatusOr<std::string> password = box_->Open(c.bind_password_box);
  if (!password.ok()) return password.status();
  DirectoryOptions o;
  if (!c.ca_certificate_pem.empty()) {
    // Named by content, so each distinct CA is written once and a changed
    // one never overwrites a file another login is reading.
    o.ca_file = absl::StrCat(
        runtime_dir_, "/ldap-ca-",
        absl::BytesToHexString(crypto::Sha256(c.ca_certificate_pem))
            .substr(0, 16),
        ".pem");
    if (access(o.ca_file.c_str(), R_OK) != 0) {
      const std::string tmp = absl::StrCat(o.ca_file, ".tmp");
      std::ofstream out(tmp, std::ios::trunc);
      out << c.ca_certificate_pem;
      out.close();
      if (!out || std::rename(tmp.c_str(), o.ca_file.c_str()) != 0) {
        return absl::InternalError("cannot write the LDAP CA certificate");
      }
    }
  }
  o.urls = c.urls;
  o.start_tls = c.start_tls;
  o.bind_dn = c.bind_dn;
  o.bind_password = *password;
  o.user_base_dn = c.user_base_dn;
  o.user_filter = c.user_filter;
  for (const std::string* a :
       {&c.username_attribute, &c.email_attribute, &c.display_name_attribute}) {
    if (!a->empty()) o.attributes.push_back(*a);
  }
  o.group_base_dn = c.group_base_dn;
  o.group_member_attribute = c.group_member_attribute;
  o.id_attribute = c.id_attribute;
  o.connect_timeout = absl::Milliseconds(c.connect_timeout_ms);
  o.operation_timeout = absl::Milliseconds(c.operation_timeout_ms);
  o.pool_size = c.pool_size;
  return o;
}

absl::StatusOr<Directory> LdapProviders::PooledDirectory(
    const domain::LdapProviderConfig& config) const {
  absl::StatusOr<std::shared_ptr<ConnectionPool>> pool =
      pools_.For(config.organization_id, config.version,
                 [&] { return OptionsFor(config); });
  if (!pool.ok()) return pool.status();
  return Directory(*std::move(pool));
}

absl::StatusOr<std::vector<TestStep>> LdapProviders::Test(
    const Caller& caller, absl::string_view organization_id,
    absl::string_view username, absl::string_view password) const {
  absl::StatusOr<domain::LdapProviderConfig> config =
      Get(caller, organization_id);
  if (!config.ok()) return config.status();
  absl::Status allowed = Check(op::kTestIdentityProvider, *caller.principal,
                               Target{std::string(organization_id)});
  if (!allowed.ok()) return allowed;
  absl::StatusOr<DirectoryOptions> options = OptionsFor(*config);
  if (!options.ok()) return options.status();
  // A connection of its own, so the test says what a new login would meet.
  options->pool_size = 1;
  Directory directory(std::make_shared<ConnectionPool>(*std::move(options)));
  std::vector<TestStep> steps;
  absl::Status reach = directory.Probe();
  steps.push_back({"connect_and_bind", reach.ok(),
                   reach.ok() ? "connected and bound as the service account"
                              : std::string(reach.message())});
  if (!reach.ok()) return steps;
  absl::StatusOr<ServerInfo> server = directory.Server();
  steps.push_back(
      {"detect_server", server.ok(),
       server.ok() ? absl::StrCat(ServerTypeName(server->type),
                                  "; stable id attribute ", server->id_attribute)
                   : std::string(server.status().message())});
  if (username.empty()) return steps;
  // Without a password, only the search runs (a probe that cannot bind).
  absl::StatusOr<LoginOutcome> outcome =
      password.empty() ? directory.Find(username)
                       : directory.Login(username, password);
  if (!outcome.ok()) {
    steps.push_back(
        {"search_user", false, std::string(outcome.status().message())});
    return steps;
  }
  switch (outcome->result) {
    case LoginResult::kUserNotFound:
      steps.push_back({"search_user", false, "user not found"});
      break;
    case LoginResult::kAmbiguous:
      steps.push_back({"search_user", false, "several entries matched"});
      break;
    case LoginResult::kWrongPassword:
      steps.push_back({"search_user", true, "found"});
      steps.push_back({"bind_user", false, "wrong password"});
      break;
    case LoginResult::kRefused:
      steps.push_back({"search_user", true, "found"});
      steps.push_back({"bind_user", false, DescribeState(outcome->state)});
      break;
    case LoginResult::kAuthenticated:
      steps.push_back(
          {"search_user", true, absl::StrCat("found ", outcome->entry.dn)});
      if (!password.empty()) {
        steps.push_back({"bind_user", true, "the password is right"});
      }
      break;
  }
  return steps;
}

}  // namespace identity::ldap
