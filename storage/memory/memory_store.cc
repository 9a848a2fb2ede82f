// The fake's plumbing (ids, injected failures, the audit log) and its
// organizations.
#include "storage/memory/memory_store.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace identity::storage {

void MemoryStore::FailCalls(absl::string_view method, absl::Status status) {
  absl::MutexLock lock(&mu_);
  if (auto it = failures_.find(method); it != failures_.end()) {
    failures_.erase(it);
  }
  if (!status.ok()) failures_.emplace(std::string(method), std::move(status));
}

std::vector<AuditEntry> MemoryStore::AuditEntries() const {
  absl::MutexLock lock(&mu_);
  std::vector<AuditEntry> out;
  for (const AuditEvent& event : audit_) out.push_back(event.entry);
  return out;
}

absl::Status MemoryStore::Injected(absl::string_view method) const {
  auto it = failures_.find(method);
  return it == failures_.end() ? absl::OkStatus() : it->second;
}

std::string MemoryStore::NextId() {
  // Shaped like the UUIDs PostgreSQL hands out, so code that checks ids
  // accepts them.
  return absl::StrFormat("00000000-0000-4000-8000-%012d", next_id_++);
}

void MemoryStore::Audit(const AuditEntry& entry) {
  AuditEvent event;
  event.id = static_cast<int64_t>(audit_.size()) + 1;
  event.occurred_at = clock_();
  event.entry = entry;
  audit_.push_back(std::move(event));
}

absl::StatusOr<Page<AuditEvent>> MemoryStore::ListAuditEvents(
    const AuditQuery& q) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("ListAuditEvents"); !s.ok()) return s;
  Page<AuditEvent> page;
  for (auto it = audit_.rbegin(); it != audit_.rend(); ++it) {
    const AuditEntry& e = it->entry;
    if ((q.organization_id && e.organization_id != *q.organization_id) ||
        (q.actor_id && e.actor_id != *q.actor_id) ||
        (q.target_id && e.target_id != *q.target_id) ||
        (q.action && e.action != *q.action) ||
        (q.action_prefix && !absl::StartsWith(e.action, *q.action_prefix)) ||
        (q.since && it->occurred_at < *q.since) ||
        (q.until && it->occurred_at >= *q.until) ||
        (q.before_id && it->id >= *q.before_id)) {
      continue;
    }
    if (static_cast<int>(page.items.size()) == q.limit) {
      const std::string last = absl::StrCat(page.items.back().id);
      page.next = Cursor{last, last};
      break;
    }
    page.items.push_back(*it);
  }
  return page;
}

absl::Status MemoryStore::RecordAudit(const AuditEntry& audit) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("RecordAudit"); !s.ok()) return s;
  Audit(audit);
  return absl::OkStatus();
}

absl::StatusOr<Organization> MemoryStore::GetOrganization(
    absl::string_view id) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("GetOrganization"); !s.ok()) return s;
  auto it = organizations_.find(std::string(id));
  if (it == organizations_.end()) {
    return absl::NotFoundError("organization not found");
  }
  return it->second;
}

absl::StatusOr<Page<Organization>> MemoryStore::ListOrganizations(
    const OrganizationListQuery& q) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("ListOrganizations"); !s.ok()) return s;
  using Key = std::pair<std::string, std::string>;  // lower(name), id
  std::vector<std::pair<Key, const Organization*>> sorted;
  for (const auto& [id, org] : organizations_) {
    if (q.only_id && id != *q.only_id) continue;
    Key key{absl::AsciiStrToLower(org.name), id};
    if (q.after && key <= Key{q.after->sort_key, q.after->id}) continue;
    sorted.push_back({key, &org});
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  Page<Organization> page;
  for (const auto& [key, org] : sorted) {
    if (static_cast<int>(page.items.size()) == q.limit) {
      const Organization& last = page.items.back();
      page.next = Cursor{absl::AsciiStrToLower(last.name), last.id};
      break;
    }
    page.items.push_back(*org);
  }
  return page;
}

absl::StatusOr<Organization> MemoryStore::FindOrganizationByName(
    absl::string_view name) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("FindOrganizationByName"); !s.ok()) return s;
  for (const auto& [id, org] : organizations_) {
    if (absl::EqualsIgnoreCase(org.name, name)) return org;
  }
  return absl::NotFoundError("organization not found");
}

absl::StatusOr<Organization> MemoryStore::FindOrganizationByLoginDomain(
    absl::string_view domain) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("FindOrganizationByLoginDomain"); !s.ok()) {
    return s;
  }
  for (const auto& [id, org] : organizations_) {
    const std::vector<std::string>& domains = org.settings.login_domains;
    if (std::find(domains.begin(), domains.end(), domain) != domains.end()) {
      return org;
    }
  }
  return absl::NotFoundError("organization not found");
}

absl::StatusOr<Organization> MemoryStore::CreateOrganization(
    absl::string_view name, const AuditEntry& audit) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("CreateOrganization"); !s.ok()) return s;
  for (const auto& [id, org] : organizations_) {
    if (absl::EqualsIgnoreCase(org.name, name)) {
      return absl::AlreadyExistsError(
          "an organization with this name already exists");
    }
  }
  Organization org;
  org.id = NextId();
  org.name = std::string(name);
  org.created_at = org.updated_at = clock_();
  org.version = 1;
  organizations_[org.id] = org;
  AuditEntry entry = audit;
  entry.target_id = org.id;
  Audit(entry);
  return org;
}

absl::StatusOr<Organization> MemoryStore::UpdateOrganization(
    const OrganizationUpdate& u, const AuditEntry& audit) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("UpdateOrganization"); !s.ok()) return s;
  auto it = organizations_.find(u.id);
  if (it == organizations_.end()) {
    return absl::NotFoundError("organization not found");
  }
  if (u.expected_version != 0 && it->second.version != u.expected_version) {
    return absl::AbortedError(
        absl::StrCat("organization was changed by someone else (version ",
                     u.expected_version, " is stale, current is ",
                     it->second.version, "); read it again and retry"));
  }
  Organization org = it->second;
  if (absl::Status applied = u.apply(&org); !applied.ok()) return applied;
  for (const auto& [id, other] : organizations_) {
    if (id == org.id) continue;
    for (const std::string& d : org.settings.login_domains) {
      const auto& theirs = other.settings.login_domains;
      if (std::find(theirs.begin(), theirs.end(), d) != theirs.end()) {
        return absl::AlreadyExistsError(absl::StrCat(
            "login_domains: ", d, " already belongs to organization '",
            other.name, "'"));
      }
    }
  }
  org.updated_at = clock_();
  org.version++;
  it->second = org;
  Audit(audit);
  return org;
}

absl::Status MemoryStore::DeleteOrganization(absl::string_view id,
                                             const AuditEntry& audit) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Injected("DeleteOrganization"); !s.ok()) return s;
  if (organizations_.count(std::string(id)) == 0) {
    return absl::NotFoundError("organization not found");
  }
  for (const auto& [user_id, row] : users_) {
    if (row.user.organization_id == id) {
      return absl::FailedPreconditionError(
          "the organization still has users; delete or move them first");
    }
  }
  organizations_.erase(std::string(id));
  // As the foreign key's ON DELETE CASCADE does.
  for (auto it = provider_settings_.begin(); it != provider_settings_.end();) {
    it = it->first.first == id ? provider_settings_.erase(it) : std::next(it);
  }
  Audit(audit);
  return absl::OkStatus();
}

absl::StatusOr<OrganizationWrites::MoveCounts>
MemoryStore::MoveOrganizationContents(absl::string_view, absl::string_view,
                                      const AuditEntry&) {
  return absl::UnimplementedError(
      "the in-memory store does not move organizations");
}

}  // namespace identity::storage
