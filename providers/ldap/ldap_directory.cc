#include "providers/ldap/ldap_directory.h"

#include <ldap.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/error_info.h"
#include "common/log.h"
#include "providers/ldap/ldap_filter.h"

namespace identity::ldap {
namespace {

// Active Directory's LDAP_CAP_ACTIVE_DIRECTORY_OID.
constexpr char kActiveDirectoryCapability[] = "1.2.840.113556.1.4.800";

// Read from every entry whatever the server has of them: the stable ids and
// Active Directory's account state and primary group. A server ignores the
// attributes it does not know.
constexpr const char* kAccountAttributes[] = {
    "entryUUID",      "objectGUID",     "userAccountControl", "accountExpires",
    "lockoutTime",    "primaryGroupID", "objectSid"};

}  // namespace

template <typename T>
absl::StatusOr<T> Directory::WithConnection(
    ConnectionPool::Use use,
    const std::function<absl::StatusOr<T>(ConnectionPool::Lease&)>& op) const {
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire(use);
    if (!lease.ok()) return lease.status();
    absl::StatusOr<T> result = op(*lease);
    if (!absl::IsUnavailable(result.status())) {
      pool_->Observe(absl::OkStatus());  // the directory answered
      return result;
    }
    lease->Discard();
    if (!lease->reused() || attempt > 0) {
      pool_->Observe(result.status());
      return result;
    }
    // A reused connection failed: the directory probably restarted, and the
    // other idle connections are as stale as this one.
    pool_->DropIdle();
  }
}

template absl::StatusOr<bool> Directory::WithConnection<bool>(
    ConnectionPool::Use,
    const std::function<absl::StatusOr<bool>(ConnectionPool::Lease&)>&) const;

absl::Status Directory::Probe() const {
  return WithConnection<bool>(ConnectionPool::Use::kSearch,
                              [](ConnectionPool::Lease&) { return true; })
      .status();
}

absl::StatusOr<ServerInfo> Directory::ServerOn(LDAP* ld) const {
  if (std::optional<ServerInfo> known = pool_->server_info()) return *known;
  char* attrs[] = {const_cast<char*>("supportedCapabilities"),
                   const_cast<char*>("forestFunctionality"),
                   const_cast<char*>("isGlobalCatalogReady"), nullptr};
  timeval timeout = absl::ToTimeval(options_.operation_timeout);
  LDAPMessage* raw = nullptr;
  const int rc = ldap_search_ext_s(ld, "", LDAP_SCOPE_BASE, "(objectClass=*)",
                                   attrs, 0, nullptr, nullptr, &timeout, 1, &raw);
  std::unique_ptr<LDAPMessage, FreeMessage> result(raw);
  if (IsConnectionFailure(rc)) {
    return WithReason(absl::UnavailableError("the directory is unavailable"),
                      reason::kProviderUnavailable, {{"provider", "ldap"}});
  }
  ServerInfo info;
  LDAPMessage* e = rc == LDAP_SUCCESS ? ldap_first_entry(ld, result.get()) : nullptr;
  if (e != nullptr) {
    const Entry dse = ReadEntry(ld, e);
    auto caps = dse.attributes.find("supportedcapabilities");
    const bool ad_capability =
        caps != dse.attributes.end() &&
        std::count(caps->second.begin(), caps->second.end(),
                   kActiveDirectoryCapability) > 0;
    if (ad_capability || dse.attributes.count("forestfunctionality") > 0 ||
        dse.attributes.count("isglobalcatalogready") > 0) {
      info.type = ServerType::kActiveDirectory;
    }
  } else {
    // A root DSE the service account cannot read: an ordinary directory.
    log::Info("ldap.root_dse_unreadable", {{"error", ldap_err2string(rc)}});
  }
  info.id_attribute = !options_.id_attribute.empty() ? options_.id_attribute
                      : info.type == ServerType::kActiveDirectory
                          ? "objectGUID"
                          : "entryUUID";
  pool_->set_server_info(info);
  return info;
}

absl::StatusOr<ServerInfo> Directory::Server() const {
  if (std::optional<ServerInfo> known = pool_->server_info()) return *known;
  return WithConnection<ServerInfo>(
      ConnectionPool::Use::kSearch,
      [&](ConnectionPool::Lease& lease) { return ServerOn(lease.get()); });
}

std::vector<std::string> Directory::EntryAttributes(
    const ServerInfo& server) const {
  std::vector<std::string> attrs = options_.attributes;
  for (const char* a : kAccountAttributes) attrs.emplace_back(a);
  attrs.push_back(server.id_attribute);
  return attrs;
}

absl::StatusOr<Directory::Query> Directory::ByName(
    absl::string_view username) const {
  absl::StatusOr<std::string> filter = UserFilter(options_.user_filter, username);
  if (!filter.ok()) return filter.status();
  return Query{options_.user_base_dn, LDAP_SCOPE_SUBTREE, *std::move(filter)};
}

absl::StatusOr<Directory::Query> Directory::ByLink(
    const StoredLink& link, const ServerInfo& server) const {
  // The entry must still be one the user filter lists: an entry moved out
  // of its reach is gone for this provider.
  absl::StatusOr<std::string> any = AnyUserFilter(options_.user_filter);
  if (!any.ok()) return any.status();
  const std::string by_id = StableIdFilter(server.id_attribute, link.stable_id);
  if (!by_id.empty()) {
    return Query{options_.user_base_dn, LDAP_SCOPE_SUBTREE,
                 absl::StrCat("(&", *any, by_id, ")")};
  }
  if (link.dn.empty()) {
    return absl::InternalError("a known directory user without a stored link");
  }
  return Query{link.dn, LDAP_SCOPE_BASE, *std::move(any)};
}

absl::StatusOr<LoginOutcome> Directory::Search(LDAP* ld, const Query& query,
                                               const ServerInfo& server) const {
  std::vector<std::string> names = EntryAttributes(server);
  std::vector<char*> attrs;
  for (std::string& a : names) attrs.push_back(a.data());
  attrs.push_back(nullptr);
  timeval timeout = absl::ToTimeval(options_.operation_timeout);
  LDAPMessage* raw = nullptr;
  // Asking for two is enough to tell one match from several.
  int rc = ldap_search_ext_s(ld, query.base.c_str(), query.scope,
                             query.filter.c_str(), attrs.data(), 0, nullptr,
                             nullptr, &timeout, 2, &raw);
  std::unique_ptr<LDAPMessage, FreeMessage> result(raw);
  if (rc == LDAP_SIZELIMIT_EXCEEDED) return LoginOutcome{LoginResult::kAmbiguous};
  if (rc == LDAP_NO_SUCH_OBJECT) return LoginOutcome{LoginResult::kUserNotFound};
  if (rc != LDAP_SUCCESS) {
    log::Warn("ldap.search_failed", {{"error", ldap_err2string(rc)}});
    if (IsConnectionFailure(rc)) {
      return WithReason(absl::UnavailableError("the directory is unavailable"),
                        reason::kProviderUnavailable, {{"provider", "ldap"}});
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

absl::StatusOr<LoginOutcome> Directory::Find(absl::string_view username) const {
  absl::StatusOr<Query> query = ByName(username);
  if (!query.ok()) return query.status();
  return WithConnection<LoginOutcome>(
      ConnectionPool::Use::kSearch,
      [&](ConnectionPool::Lease& lease) -> absl::StatusOr<LoginOutcome> {
        absl::StatusOr<ServerInfo> server = ServerOn(lease.get());
        if (!server.ok()) return server.status();
        return Search(lease.get(), *query, *server);
      });
}

absl::StatusOr<LoginOutcome> Directory::Login(absl::string_view username,
                                              absl::string_view password) const {
  absl::StatusOr<Query> query = ByName(username);
  if (!query.ok()) return query.status();
  return Authenticate([&](const ServerInfo&) { return query; }, password);
}

absl::StatusOr<LoginOutcome> Directory::LoginKnown(
    const StoredLink& link, absl::string_view password) const {
  return Authenticate(
      [&](const ServerInfo& server) { return ByLink(link, server); }, password);
}

absl::StatusOr<LoginOutcome> Directory::Authenticate(
    const std::function<absl::StatusOr<Query>(const ServerInfo&)>& query,
    absl::string_view password) const {
  if (password.empty()) {
    return absl::InvalidArgumentError("password: required");
  }
  // The user and their groups are read as the service account, before and
  // on another connection than the user's bind.
  absl::StatusOr<LoginOutcome> outcome = WithConnection<LoginOutcome>(
      ConnectionPool::Use::kSearch,
      [&](ConnectionPool::Lease& lease) -> absl::StatusOr<LoginOutcome> {
        absl::StatusOr<ServerInfo> server = ServerOn(lease.get());
        if (!server.ok()) return server.status();
        absl::StatusOr<Query> q = query(*server);
        if (!q.ok()) return q.status();
        absl::StatusOr<LoginOutcome> found = Search(lease.get(), *q, *server);
        if (!found.ok() || found->result != LoginResult::kAuthenticated) {
          return found;
        }
        if (server->type == ServerType::kActiveDirectory) {
          found->state = EntryState(found->entry, absl::Now());
          if (found->state != AccountState::kActive) {
            found->result = LoginResult::kRefused;
            return found;
          }
        }
        absl::StatusOr<std::vector<std::string>> groups =
            GroupsOf(lease.get(), found->entry, *server, nullptr);
        if (!groups.ok()) return groups.status();
        found->groups = *std::move(groups);
        return found;
      });
  if (!outcome.ok() || outcome->result != LoginResult::kAuthenticated) {
    return outcome;
  }
  absl::StatusOr<UserBind> bound = WithConnection<UserBind>(
      ConnectionPool::Use::kUserBind,
      [&](ConnectionPool::Lease& lease) -> absl::StatusOr<UserBind> {
        lease.MarkBoundAsUser();
        return BindAsUser(lease.get(), outcome->entry.dn, password,
                          options_.operation_timeout);
      });
  if (!bound.ok()) return bound.status();
  switch (bound->result) {
    case UserBindResult::kWrongPassword:
      return LoginOutcome{LoginResult::kWrongPassword};
    case UserBindResult::kRefused:
      outcome->result = LoginResult::kRefused;
      outcome->state = bound->state;
      outcome->groups.clear();
      return outcome;
    case UserBindResult::kBound:
      break;
  }
  return outcome;
}

}  // namespace identity::ldap
