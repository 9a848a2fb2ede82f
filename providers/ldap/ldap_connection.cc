#include "providers/ldap/ldap_connection.h"

#include <ldap.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "providers/ldap/ldap_entry.h"

namespace identity::ldap {
namespace {

absl::StatusOr<Handle> ConnectOne(const DirectoryOptions& o,
                                  const std::string& url, int* rc) {
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
  const timeval connect = absl::ToTimeval(o.connect_timeout);
  const timeval operation = absl::ToTimeval(o.operation_timeout);
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
    if (*rc == LDAP_STRONG_AUTH_REQUIRED || *rc == LDAP_CONFIDENTIALITY_REQUIRED) {
      // Active Directory (and Samba) refuse simple binds in clear.
      return absl::FailedPreconditionError(absl::StrCat(
          "the directory refuses simple binds without TLS (", url,
          "): use an ldaps:// URL or start_tls, with ca_certificate_pem"));
    }
    return absl::FailedPreconditionError(
        "the directory refused the service account's bind (bind_dn or "
        "bind_password)");
  }
  return ld;
}

}  // namespace

void Unbind::operator()(LDAP* ld) const {
  ldap_unbind_ext_s(ld, nullptr, nullptr);
}

bool IsConnectionFailure(int rc) {
  return rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT ||
         rc == LDAP_CONNECT_ERROR || rc == LDAP_UNAVAILABLE || rc == LDAP_BUSY;
}

int SimpleBind(LDAP* ld, const std::string& dn, absl::string_view password) {
  berval cred;
  cred.bv_len = password.size();
  cred.bv_val = const_cast<char*>(password.data());
  return ldap_sasl_bind_s(ld, dn.c_str(), LDAP_SASL_SIMPLE, &cred, nullptr,
                          nullptr, nullptr);
}

namespace {

bool PolicySaysLocked(LDAP* ld, LDAPControl** controls) {
  LDAPControl* c =
      ldap_control_find(LDAP_CONTROL_PASSWORDPOLICYRESPONSE, controls, nullptr);
  if (c == nullptr) return false;
  ber_int_t expire = -1, grace = -1;
  LDAPPasswordPolicyError error = PP_noError;
  if (ldap_parse_passwordpolicy_control(ld, c, &expire, &grace, &error) !=
      LDAP_SUCCESS) {
    return false;
  }
  return error == PP_accountLocked;
}

}  // namespace

absl::StatusOr<UserBind> BindAsUser(LDAP* ld, const std::string& dn,
                                    absl::string_view password,
                                    absl::Duration timeout) {
  LDAPControl* request = nullptr;
  ldap_create_passwordpolicy_control(ld, &request);
  LDAPControl* controls[] = {request, nullptr};
  berval cred;
  cred.bv_len = password.size();
  cred.bv_val = const_cast<char*>(password.data());
  int msgid = 0;
  int rc = ldap_sasl_bind(ld, dn.c_str(), LDAP_SASL_SIMPLE, &cred,
                          request ? controls : nullptr, nullptr, &msgid);
  if (request != nullptr) ldap_control_free(request);
  if (rc != LDAP_SUCCESS) {
    if (IsConnectionFailure(rc)) return absl::UnavailableError("the directory is unavailable");
    return UserBind{UserBindResult::kWrongPassword};
  }
  timeval tv = absl::ToTimeval(timeout);
  LDAPMessage* raw = nullptr;
  rc = ldap_result(ld, msgid, LDAP_MSG_ALL, &tv, &raw);
  if (rc <= 0) {
    ldap_msgfree(raw);
    return absl::UnavailableError("the directory did not answer the bind in time");
  }
  int code = LDAP_OTHER;
  char* diagnostic = nullptr;
  LDAPControl** returned = nullptr;
  rc = ldap_parse_result(ld, raw, &code, nullptr, &diagnostic, nullptr,
                         &returned, 1);
  std::unique_ptr<LDAPControl*, FreeControls> owned(returned);
  const std::string message = diagnostic ? diagnostic : "";
  ldap_memfree(diagnostic);
  if (rc != LDAP_SUCCESS) {
    return absl::UnavailableError("the directory's bind answer was unreadable");
  }
  if (code == LDAP_SUCCESS) return UserBind{UserBindResult::kBound};
  if (IsConnectionFailure(code)) {
    return absl::UnavailableError("the directory is unavailable");
  }
  // ppolicy's accountLocked is OpenLDAP's administrative lock (or a lockout
  // without a duration): a lasting refusal, as before.
  if (PolicySaysLocked(ld, returned)) {
    return UserBind{UserBindResult::kRefused, AccountState::kDisabled};
  }
  if (std::optional<AccountState> state = BindDiagnosticState(message)) {
    return UserBind{UserBindResult::kRefused, *state};
  }
  if (code != LDAP_INVALID_CREDENTIALS) {
    log::Info("ldap.user_bind_refused", {{"error", ldap_err2string(code)}});
  }
  return UserBind{UserBindResult::kWrongPassword};
}

absl::StatusOr<Handle> Connect(const DirectoryOptions& o) {
  absl::Status last = absl::UnavailableError("no directory URL configured");
  for (const std::string& url : o.urls) {
    int rc = LDAP_SUCCESS;
    absl::StatusOr<Handle> ld = ConnectOne(o, url, &rc);
    if (ld.ok()) return ld;
    log::Warn("ldap.connect_failed",
              {{"url", url}, {"error", ldap_err2string(rc)}});
    if (!absl::IsUnavailable(ld.status())) return ld.status();
    last = ld.status();
  }
  return absl::UnavailableError(
      absl::StrCat("the directory is unavailable: ", last.message()));
}

}  // namespace identity::ldap
