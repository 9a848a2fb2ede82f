#include "identity/ldap/ldap_directory.h"

#include <ldap.h>

#include <deque>
#include <memory>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "identity/ldap/ldap_filter.h"

namespace identity::ldap {
namespace {

struct Unbind {
  void operator()(LDAP* ld) const { ldap_unbind_ext_s(ld, nullptr, nullptr); }
};
using Handle = std::unique_ptr<LDAP, Unbind>;

struct FreeMessage {
  void operator()(LDAPMessage* m) const { ldap_msgfree(m); }
};

timeval AsTimeval(absl::Duration d) {
  return absl::ToTimeval(d);
}

bool IsConnectionFailure(int rc) {
  return rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT ||
         rc == LDAP_CONNECT_ERROR || rc == LDAP_UNAVAILABLE ||
         rc == LDAP_BUSY;
}

int SimpleBind(LDAP* ld, const std::string& dn, absl::string_view password) {
  berval cred;
  cred.bv_len = password.size();
  cred.bv_val = const_cast<char*>(password.data());
  return ldap_sasl_bind_s(ld, dn.c_str(), LDAP_SASL_SIMPLE, &cred, nullptr,
                          nullptr, nullptr);
}

absl::StatusOr<Handle> OpenOne(const DirectoryOptions& o, const std::string& url,
                               int* rc) {
  LDAP* raw = nullptr;
  *rc = ldap_initialize(&raw, url.c_str());
  if (*rc != LDAP_SUCCESS) {
    return absl::InvalidArgumentError(
        absl::StrCat("urls: '", url, "' is not an ldap:// or ldaps:// URL"));
  }
  Handle ld(raw);
  const int version = LDAP_VERSION3;
  ldap_set_option(ld.get(), LDAP_OPT_PROTOCOL_VERSION, &version);
  ldap_set_option(ld.get(), LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
  const timeval connect = AsTimeval(o.connect_timeout);
  const timeval operation = AsTimeval(o.operation_timeout);
  ldap_set_option(ld.get(), LDAP_OPT_NETWORK_TIMEOUT, &connect);
  ldap_set_option(ld.get(), LDAP_OPT_TIMEOUT, &operation);
  // The server's certificate is always verified (whatever ldap.conf says),
  // against the configured CA or else the system's trust store.
  const int demand = LDAP_OPT_X_TLS_DEMAND;
  ldap_set_option(ld.get(), LDAP_OPT_X_TLS_REQUIRE_CERT, &demand);
  if (!o.ca_file.empty()) {
    ldap_set_option(ld.get(), LDAP_OPT_X_TLS_CACERTFILE, o.ca_file.c_str());
  }
  const int new_context = 0;
  ldap_set_option(ld.get(), LDAP_OPT_X_TLS_NEWCTX, &new_context);
  if (o.start_tls) {
    *rc = ldap_start_tls_s(ld.get(), nullptr, nullptr);
    if (*rc != LDAP_SUCCESS) return absl::UnavailableError("StartTLS failed");
  }
  *rc = SimpleBind(ld.get(), o.bind_dn, o.bind_password);
  if (*rc != LDAP_SUCCESS) {
    if (IsConnectionFailure(*rc)) {
      return absl::UnavailableError("directory unreachable");
    }
    return absl::FailedPreconditionError(
        "the directory refused the service account's bind (bind_dn or "
        "bind_password)");
  }
  return ld;
}

// The first URL that answers, bound as the service account.
absl::StatusOr<Handle> Open(const DirectoryOptions& o) {
  absl::Status last = absl::UnavailableError("no directory URL configured");
  for (const std::string& url : o.urls) {
    int rc = LDAP_SUCCESS;
    absl::StatusOr<Handle> ld = OpenOne(o, url, &rc);
    if (ld.ok()) return ld;
    log::Warn("ldap.connect_failed",
              {{"url", url}, {"error", ldap_err2string(rc)}});
    if (!absl::IsUnavailable(ld.status())) return ld.status();
    last = ld.status();
  }
  return absl::UnavailableError(
      absl::StrCat("the directory is unavailable: ", last.message()));
}

Entry ReadEntry(LDAP* ld, LDAPMessage* msg) {
  Entry entry;
  if (char* dn = ldap_get_dn(ld, msg)) {
    entry.dn = dn;
    ldap_memfree(dn);
  }
  BerElement* ber = nullptr;
  for (char* attr = ldap_first_attribute(ld, msg, &ber); attr != nullptr;
       attr = ldap_next_attribute(ld, msg, ber)) {
    berval** values = ldap_get_values_len(ld, msg, attr);
    std::vector<std::string>& out = entry.attributes[absl::AsciiStrToLower(attr)];
    for (int i = 0; values != nullptr && values[i] != nullptr; ++i) {
      out.emplace_back(values[i]->bv_val, values[i]->bv_len);
    }
    ldap_value_free_len(values);
    ldap_memfree(attr);
  }
  if (ber != nullptr) ber_free(ber, 0);
  return entry;
}

}  // namespace

absl::Status Directory::Probe() const { return Open(options_).status(); }

absl::StatusOr<LoginOutcome> Directory::Search(LDAP* ld,
                                               absl::string_view username) const {
  absl::StatusOr<std::string> filter = UserFilter(options_.user_filter, username);
  if (!filter.ok()) return filter.status();
  std::vector<char*> attrs;
  for (const std::string& a : options_.attributes) {
    attrs.push_back(const_cast<char*>(a.c_str()));
  }
  attrs.push_back(nullptr);
  timeval timeout = AsTimeval(options_.operation_timeout);
  LDAPMessage* raw = nullptr;
  // Asking for two is enough to tell one match from several.
  int rc = ldap_search_ext_s(ld, options_.user_base_dn.c_str(),
                             LDAP_SCOPE_SUBTREE, filter->c_str(), attrs.data(),
                             0, nullptr, nullptr, &timeout, 2, &raw);
  std::unique_ptr<LDAPMessage, FreeMessage> result(raw);
  if (rc == LDAP_SIZELIMIT_EXCEEDED) return LoginOutcome{LoginResult::kAmbiguous};
  if (rc == LDAP_NO_SUCH_OBJECT) return LoginOutcome{LoginResult::kUserNotFound};
  if (rc != LDAP_SUCCESS) {
    log::Warn("ldap.search_failed", {{"error", ldap_err2string(rc)}});
    if (IsConnectionFailure(rc)) {
      return absl::UnavailableError("the directory is unavailable");
    }
    return absl::FailedPreconditionError(
        "the directory refused the user search (user_base_dn or user_filter)");
  }
  const int count = ldap_count_entries(ld, result.get());
  if (count == 0) return LoginOutcome{LoginResult::kUserNotFound};
  if (count > 1) return LoginOutcome{LoginResult::kAmbiguous};
  return LoginOutcome{LoginResult::kAuthenticated,
                      ReadEntry(ld, ldap_first_entry(ld, result.get()))};
}

absl::StatusOr<std::vector<std::string>> Directory::DirectGroupsOf(
    LDAP* ld, const std::string& dn) const {
  std::vector<std::string> groups;
  const std::string filter = absl::StrCat(
      "(", options_.group_member_attribute, "=", EscapeFilterValue(dn), ")");
  char* no_attrs[] = {const_cast<char*>(LDAP_NO_ATTRS), nullptr};
  timeval timeout = AsTimeval(options_.operation_timeout);
  LDAPMessage* raw = nullptr;
  const int rc = ldap_search_ext_s(ld, options_.group_base_dn.c_str(),
                                   LDAP_SCOPE_SUBTREE, filter.c_str(), no_attrs,
                                   0, nullptr, nullptr, &timeout, 1000, &raw);
  std::unique_ptr<LDAPMessage, FreeMessage> result(raw);
  if (rc != LDAP_SUCCESS && rc != LDAP_NO_SUCH_OBJECT) {
    if (IsConnectionFailure(rc)) {
      return absl::UnavailableError("the directory is unavailable");
    }
    log::Warn("ldap.group_search_failed", {{"error", ldap_err2string(rc)}});
    return groups;  // a misconfigured group search means no groups
  }
  for (LDAPMessage* e = ldap_first_entry(ld, result.get()); e != nullptr;
       e = ldap_next_entry(ld, e)) {
    if (char* group_dn = ldap_get_dn(ld, e)) {
      groups.emplace_back(group_dn);
      ldap_memfree(group_dn);
    }
  }
  return groups;
}

absl::StatusOr<std::vector<std::string>> Directory::GroupsOf(
    LDAP* ld, const std::string& dn) const {
  std::vector<std::string> all;
  if (options_.group_base_dn.empty() || options_.group_member_attribute.empty()) {
    return all;
  }
  // Breadth-first through groups that contain groups; the visited set stops
  // loops, the bound stops a pathological directory.
  constexpr size_t kMaxGroups = 1000;
  std::set<std::string> seen;
  std::deque<std::string> pending = {dn};
  while (!pending.empty() && all.size() < kMaxGroups) {
    absl::StatusOr<std::vector<std::string>> direct =
        DirectGroupsOf(ld, pending.front());
    pending.pop_front();
    if (!direct.ok()) return direct.status();
    for (std::string& group : *direct) {
      if (!seen.insert(absl::AsciiStrToLower(group)).second) continue;
      pending.push_back(group);
      all.push_back(std::move(group));
    }
  }
  return all;
}

absl::StatusOr<LoginOutcome> Directory::Find(absl::string_view username) const {
  absl::StatusOr<Handle> ld = Open(options_);
  if (!ld.ok()) return ld.status();
  return Search(ld->get(), username);
}

absl::StatusOr<LoginOutcome> Directory::Login(absl::string_view username,
                                              absl::string_view password) const {
  if (password.empty()) {
    return absl::InvalidArgumentError("password: required");
  }
  absl::StatusOr<std::string> filter = UserFilter(options_.user_filter, username);
  if (!filter.ok()) return filter.status();
  absl::StatusOr<Handle> ld = Open(options_);
  if (!ld.ok()) return ld.status();
  absl::StatusOr<LoginOutcome> outcome = Search(ld->get(), username);
  if (!outcome.ok() || outcome->result != LoginResult::kAuthenticated) {
    return outcome;
  }
  // Groups are read as the service account, before binding as the user.
  absl::StatusOr<std::vector<std::string>> groups =
      GroupsOf(ld->get(), outcome->entry.dn);
  if (!groups.ok()) return groups.status();
  outcome->groups = *std::move(groups);
  const int rc = SimpleBind(ld->get(), outcome->entry.dn, password);
  if (rc == LDAP_INVALID_CREDENTIALS) {
    return LoginOutcome{LoginResult::kWrongPassword};
  }
  if (rc != LDAP_SUCCESS) {
    if (IsConnectionFailure(rc)) {
      return absl::UnavailableError("the directory is unavailable");
    }
    // Locked or disabled in the directory (e.g. LDAP_UNWILLING_TO_PERFORM).
    log::Info("ldap.user_bind_refused", {{"error", ldap_err2string(rc)}});
    return LoginOutcome{LoginResult::kWrongPassword};
  }
  return outcome;
}

}  // namespace identity::ldap
