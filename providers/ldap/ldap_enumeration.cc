// Directory::ForEachUser: the paged search behind SyncLdapUsers.
#include <ldap.h>

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "providers/ldap/ldap_directory.h"
#include "providers/ldap/ldap_entry.h"
#include "providers/ldap/ldap_filter.h"

namespace identity::ldap {
namespace {

struct FreeBerval {
  void operator()(berval* b) const { ber_bvfree(b); }
};
using Cookie = std::unique_ptr<berval, FreeBerval>;

// One page of the search; `cookie` in: where to continue (empty on the first
// page), out: where the next page starts (empty after the last).
absl::StatusOr<std::unique_ptr<LDAPMessage, FreeMessage>> SearchPage(
    LDAP* ld, const DirectoryOptions& o, std::vector<std::string> names,
    const std::string& filter, int page_size, Cookie* cookie) {
  if (names.empty()) names.push_back(LDAP_NO_ATTRS);
  LDAPControl* page = nullptr;
  int rc = ldap_create_page_control(ld, page_size, cookie->get(), 1, &page);
  if (rc != LDAP_SUCCESS)
    return absl::InternalError("cannot build a page control");
  LDAPControl* controls[] = {page, nullptr};
  std::vector<char*> attrs;
  for (std::string& a : names) attrs.push_back(a.data());
  attrs.push_back(nullptr);
  timeval timeout = absl::ToTimeval(o.operation_timeout);
  LDAPMessage* raw = nullptr;
  rc = ldap_search_ext_s(ld, o.user_base_dn.c_str(), LDAP_SCOPE_SUBTREE,
                         filter.c_str(), attrs.data(), 0, controls, nullptr,
                         &timeout, 0, &raw);
  ldap_control_free(page);
  std::unique_ptr<LDAPMessage, FreeMessage> result(raw);
  if (rc != LDAP_SUCCESS) {
    log::Warn("ldap.sync_search_failed", {{"error", ldap_err2string(rc)}});
    if (IsConnectionFailure(rc)) {
      return absl::UnavailableError("the directory is unavailable");
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "the directory refused the paged user search (", ldap_err2string(rc),
        "; check user_base_dn, user_filter and that the server supports "
        "paged results)"));
  }
  LDAPControl** returned = nullptr;
  int code = LDAP_SUCCESS;
  ldap_parse_result(ld, result.get(), &code, nullptr, nullptr, nullptr,
                    &returned, 0);
  std::unique_ptr<LDAPControl*, FreeControls> owned(returned);
  cookie->reset();
  LDAPControl* response =
      ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, returned, nullptr);
  if (response != nullptr) {
    ber_int_t estimate = 0;
    berval next = {0, nullptr};
    if (ldap_parse_pageresponse_control(ld, response, &estimate, &next) ==
            LDAP_SUCCESS &&
        next.bv_len > 0) {
      cookie->reset(ber_bvdup(&next));
    }
    ber_memfree(next.bv_val);
  }
  return result;
}

}  // namespace

absl::StatusOr<Directory::Memberships> Directory::MembersOf(
    LDAP* ld, const std::vector<std::string>& groups, int page_size) const {
  Memberships members;
  for (const std::string& group : groups) {
    const std::string filter = absl::StrCat(
        "(memberOf:1.2.840.113556.1.4.1941:=", EscapeFilterValue(group), ")");
    Cookie cookie;
    do {
      auto page = SearchPage(ld, options_, {}, filter, page_size, &cookie);
      if (!page.ok()) return page.status();
      for (LDAPMessage* e = ldap_first_entry(ld, page->get()); e != nullptr;
           e = ldap_next_entry(ld, e)) {
        if (char* dn = ldap_get_dn(ld, e)) {
          members[absl::AsciiStrToLower(dn)].push_back(group);
          ldap_memfree(dn);
        }
      }
    } while (cookie != nullptr);
  }
  return members;
}

absl::Status Directory::ForEachUser(int page_size, const Visitor& visit) const {
  return ForEachUser(page_size, {}, visit);
}

absl::Status Directory::ForEachUser(int page_size,
                                    const std::vector<std::string>& mapped_groups,
                                    const Visitor& visit) const {
  absl::StatusOr<std::string> filter = AnyUserFilter(options_.user_filter);
  if (!filter.ok()) return filter.status();
  int64_t visited = 0;
  // The visitor's own failures (e.g. the database's) are not the directory's.
  absl::Status visit_error;
  absl::Status searched =
      WithConnection<bool>(
          ConnectionPool::Use::kSearch,
          [&](ConnectionPool::Lease& lease) -> absl::StatusOr<bool> {
            if (visited > 0) {
              // Lost mid-way: starting over would visit entries twice.
              return absl::UnavailableError(
                  absl::StrCat("the directory went away after ", visited,
                               " entries; run the sync again"));
            }
            LDAP* ld = lease.get();
            absl::StatusOr<ServerInfo> server = ServerOn(ld);
            if (!server.ok()) return server.status();
            GroupCache primary_groups;
            // Active Directory answers an in-chain search in tens of
            // milliseconds (Samba: ~30 ms): one per mapped group instead of
            // one per user.
            std::optional<Memberships> members;
            if (server->type == ServerType::kActiveDirectory &&
                !mapped_groups.empty() && !options_.group_base_dn.empty() &&
                !options_.group_member_attribute.empty()) {
              absl::StatusOr<Memberships> read =
                  MembersOf(ld, mapped_groups, page_size);
              if (!read.ok()) return read.status();
              members = *std::move(read);
            }
            Cookie cookie;
            do {
              auto page = SearchPage(ld, options_, EntryAttributes(*server),
                                     *filter, page_size, &cookie);
              if (!page.ok()) return page.status();
              for (LDAPMessage* e = ldap_first_entry(ld, page->get());
                   e != nullptr; e = ldap_next_entry(ld, e)) {
                Entry entry = ReadEntry(ld, e);
                absl::StatusOr<std::vector<std::string>> groups =
                    members ? MappedGroupsOf(ld, entry, *members, &primary_groups)
                            : GroupsOf(ld, entry, *server, &primary_groups);
                if (!groups.ok()) return groups.status();
                ++visited;
                visit_error = visit(entry, *groups);
                if (!visit_error.ok()) return absl::CancelledError();
              }
            } while (cookie != nullptr);
            return true;
          })
          .status();
  return visit_error.ok() ? searched : visit_error;
}

}  // namespace identity::ldap
