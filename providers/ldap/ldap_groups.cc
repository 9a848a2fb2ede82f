// Directory::GroupsOf: the groups a user is in, for role mapping. Active
// Directory answers transitive membership in one search
// (LDAP_MATCHING_RULE_IN_CHAIN) and keeps the primary group out of `member`;
// other directories are walked breadth-first.
#include <ldap.h>

#include <deque>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "providers/ldap/ldap_directory.h"
#include "providers/ldap/ldap_filter.h"

namespace identity::ldap {
namespace {

constexpr char kInChain[] = "1.2.840.113556.1.4.1941";
// Bounds what one user's groups may cost on a pathological directory.
constexpr int kMaxGroups = 1000;

const std::string* First(const Entry& entry, const char* attribute) {
  auto it = entry.attributes.find(attribute);
  if (it == entry.attributes.end() || it->second.empty()) return nullptr;
  return &it->second.front();
}

// The primary group's SID: the user's SID (objectSid, binary) with its last
// sub-authority (the user's RID) replaced by primaryGroupID.
std::string PrimaryGroupSid(const Entry& entry) {
  const std::string* sid = First(entry, "objectsid");
  const std::string* rid_text = First(entry, "primarygroupid");
  uint32_t rid = 0;
  if (sid == nullptr || rid_text == nullptr || sid->size() < 12 ||
      !absl::SimpleAtoi(*rid_text, &rid)) {
    return "";
  }
  std::string group = *sid;
  for (int i = 0; i < 4; ++i) {
    group[group.size() - 4 + i] = static_cast<char>((rid >> (8 * i)) & 0xff);
  }
  return group;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> Directory::GroupSearch(
    LDAP* ld, const std::string& filter) const {
  std::vector<std::string> groups;
  char* no_attrs[] = {const_cast<char*>(LDAP_NO_ATTRS), nullptr};
  timeval timeout = absl::ToTimeval(options_.operation_timeout);
  LDAPMessage* raw = nullptr;
  const int rc = ldap_search_ext_s(
      ld, options_.group_base_dn.c_str(), LDAP_SCOPE_SUBTREE, filter.c_str(),
      no_attrs, 0, nullptr, nullptr, &timeout, kMaxGroups, &raw);
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

absl::StatusOr<std::vector<std::string>> Directory::NestedGroupsOf(
    LDAP* ld, const std::string& dn) const {
  // Breadth-first through groups that contain groups; the visited set stops
  // loops, the bound stops a pathological directory.
  std::vector<std::string> all;
  std::set<std::string> seen;
  std::deque<std::string> pending = {dn};
  while (!pending.empty() && all.size() < kMaxGroups) {
    absl::StatusOr<std::vector<std::string>> direct =
        GroupSearch(ld, absl::StrCat("(", options_.group_member_attribute, "=",
                                     EscapeFilterValue(pending.front()), ")"));
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

absl::StatusOr<std::vector<std::string>> Directory::ChainGroupsOf(
    LDAP* ld, const std::string& dn) const {
  // Every group whose member chain reaches `dn`, each once, however many
  // parents it has.
  return GroupSearch(
      ld, absl::StrCat("(", options_.group_member_attribute, ":", kInChain,
                       ":=", EscapeFilterValue(dn), ")"));
}

absl::StatusOr<std::vector<std::string>> Directory::PrimaryGroupsOf(
    LDAP* ld, const Entry& entry, GroupCache* cache) const {
  const std::string sid = PrimaryGroupSid(entry);
  if (sid.empty()) return std::vector<std::string>();
  if (cache != nullptr) {
    if (auto it = cache->find(sid); it != cache->end()) return it->second;
  }
  absl::StatusOr<std::vector<std::string>> primary =
      GroupSearch(ld, absl::StrCat("(objectSid=", EscapeFilterValue(sid), ")"));
  if (!primary.ok()) return primary.status();
  std::vector<std::string> groups = *primary;
  for (const std::string& dn : *primary) {
    absl::StatusOr<std::vector<std::string>> parents = ChainGroupsOf(ld, dn);
    if (!parents.ok()) return parents.status();
    groups.insert(groups.end(), parents->begin(), parents->end());
  }
  if (cache != nullptr) (*cache)[sid] = groups;
  return groups;
}

absl::StatusOr<std::vector<std::string>> Directory::MappedGroupsOf(
    LDAP* ld, const Entry& entry, const Memberships& members,
    GroupCache* primary_groups) const {
  std::vector<std::string> groups;
  if (auto it = members.find(absl::AsciiStrToLower(entry.dn));
      it != members.end()) {
    groups = it->second;
  }
  absl::StatusOr<std::vector<std::string>> primary =
      PrimaryGroupsOf(ld, entry, primary_groups);
  if (!primary.ok()) return primary.status();
  groups.insert(groups.end(), primary->begin(), primary->end());
  return groups;
}

absl::StatusOr<std::vector<std::string>> Directory::GroupsOf(
    LDAP* ld, const Entry& entry, const ServerInfo& server,
    GroupCache* primary_groups) const {
  if (options_.group_base_dn.empty() ||
      options_.group_member_attribute.empty()) {
    return std::vector<std::string>();
  }
  if (server.type != ServerType::kActiveDirectory) {
    return NestedGroupsOf(ld, entry.dn);
  }
  absl::StatusOr<std::vector<std::string>> groups = ChainGroupsOf(ld, entry.dn);
  if (!groups.ok()) return groups.status();
  absl::StatusOr<std::vector<std::string>> primary =
      PrimaryGroupsOf(ld, entry, primary_groups);
  if (!primary.ok()) return primary.status();
  std::set<std::string> seen;
  for (const std::string& g : *groups) seen.insert(absl::AsciiStrToLower(g));
  for (const std::string& g : *primary) {
    if (seen.insert(absl::AsciiStrToLower(g)).second) groups->push_back(g);
  }
  return groups;
}

}  // namespace identity::ldap
