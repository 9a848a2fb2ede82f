#include "application/identity_providers/directory_sync.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/log.h"
#include "domain/audit.h"
#include "domain/authorizer.h"
#include "domain/validation.h"

namespace identity {

absl::StatusOr<SyncReport> DirectorySync::Run(const Caller& caller,
                                              absl::string_view operation,
                                              domain::Origin origin,
                                              absl::string_view organization_id,
                                              bool dry_run) {
  absl::Status valid = ValidateId("organization_id", organization_id);
  if (!valid.ok()) return valid;
  const std::string org(organization_id);
  absl::Status allowed = Check(operation, *caller.principal, Target{org});
  if (!allowed.ok()) return allowed;
  DirectoryProvider* listing = deps_.providers->DirectoryFor(origin);
  if (listing == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("no directory lists the users of origin ",
                     domain::OriginName(origin)));
  }
  DirectoryProvider& directory = *listing;
  absl::StatusOr<std::unique_ptr<storage::ClusterLock>> lock =
      deps_.locks->TryClusterLock(absl::StrCat(directory.name(), "_sync:", org));
  if (!lock.ok()) {
    if (absl::IsAborted(lock.status())) {
      return absl::AbortedError(
          "a sync of this organization is already running; try again when "
          "it ends");
    }
    return lock.status();
  }
  SyncRun run{caller, org, directory.origin(), {}, {}, {}, {}, {}};
  run.report.dry_run = dry_run;
  absl::Status s = LoadLocalUsers(run);
  if (!s.ok()) return s;
  s = directory.ForEachUser(
      org, [&](ListedUser listed) { Collect(run, std::move(listed)); });
  if (!s.ok()) return s;
  s = Apply(run);
  if (!s.ok()) return s;
  s = DisableLeavers(run, directory);
  if (!s.ok()) return s;
  Report(run, directory.name());
  return std::move(run.report);
}

// The log line, and one audit event for the run (each change above has
// its own).
void DirectorySync::Report(const SyncRun& run, absl::string_view name) {
  const SyncReport& r = run.report;
  const std::string& org = run.organization_id;
  log::Info(absl::StrCat(name, ".sync"),
            {{"organization", org},
             {"created", absl::StrCat(r.created)},
             {"updated", absl::StrCat(r.updated)},
             {"disabled", absl::StrCat(r.disabled)},
             {"unchanged", absl::StrCat(r.unchanged)},
             {"skipped", absl::StrCat(r.skipped)},
             {"dry_run", r.dry_run ? "true" : "false"}});
  if (r.dry_run) return;
  deps_.audit
      ->RecordAudit(MakeAudit(run.caller, absl::StrCat(name, ".sync"),
                              "organization", org, org,
                              {{"created", absl::StrCat(r.created)},
                               {"updated", absl::StrCat(r.updated)},
                               {"disabled", absl::StrCat(r.disabled)},
                               {"skipped", absl::StrCat(r.skipped)}}))
      .IgnoreError();
}

absl::Status DirectorySync::LoadLocalUsers(SyncRun& run) {
  storage::UserListQuery query;
  query.organization_id = run.organization_id;
  query.origin = run.origin;
  query.limit = 500;
  for (;;) {
    absl::StatusOr<storage::Page<domain::User>> page = deps_.users->ListUsers(query);
    if (!page.ok()) return page.status();
    for (domain::User& u : page->items) {
      std::string key = absl::AsciiStrToLower(u.username);
      if (!u.external_id.empty()) run.by_stable_id[u.external_id] = key;
      run.local.emplace(std::move(key), std::move(u));
    }
    if (!page->next) return absl::OkStatus();
    query.after = page->next;
  }
}

void DirectorySync::Collect(SyncRun& run, ListedUser listed) {
  if (!listed.note.empty()) {
    run.report.changes.push_back(
        {listed.identity.username, "noted", listed.note});
  }
  if (listed.identity.username.empty()) {
    ++run.report.skipped;
    run.report.changes.push_back(
        {listed.entry, "skipped", listed.why_missing});
    return;
  }
  run.listed[absl::AsciiStrToLower(listed.identity.username)].push_back(
      std::move(listed));
}

const domain::User* DirectorySync::LocalOf(SyncRun& run,
                                       const ExternalIdentity& user,
                                            bool* conflict) {
  *conflict = false;
  if (!user.external_id.empty()) {
    // Linked by the stable id, whatever the entry is called now.
    if (auto id = run.by_stable_id.find(user.external_id);
        id != run.by_stable_id.end()) {
      return &run.local.at(id->second);
    }
  }
  auto local = run.local.find(absl::AsciiStrToLower(user.username));
  if (local == run.local.end()) return nullptr;
  // Same name: the same entry only if the local user is not linked to
  // another one (the provisioner's rule, as at login).
  if (!NameConflict(local->second, user).empty()) {
    *conflict = true;
    return nullptr;
  }
  return &local->second;
}

absl::Status DirectorySync::Apply(SyncRun& run) {
  for (const auto& [key, entries] : run.listed) {
    if (entries.size() > 1) {
      // A login by this name is refused as ambiguous: so is the sync. Their
      // local users are left as they are.
      run.report.skipped += static_cast<int64_t>(entries.size());
      run.report.changes.push_back(
          {entries.front().identity.username, "skipped",
           absl::StrCat(entries.size(), " entries have this username")});
      for (const ListedUser& e : entries) {
        bool conflict = false;
        if (const domain::User* u = LocalOf(run, e.identity, &conflict)) {
          run.matched.insert(u->id);
        }
      }
      continue;
    }
    const ListedUser& entry = entries.front();
    bool conflict = false;
    const domain::User* local = LocalOf(run, entry.identity, &conflict);
    if (conflict) {
      ++run.report.skipped;
      run.report.changes.push_back(
          {entry.identity.username, "skipped",
           "the username belongs to a local user of another directory entry"});
      continue;
    }
    if (local != nullptr) run.matched.insert(local->id);
    absl::Status s = local == nullptr ? Create(run, entry)
                                      : Refresh(run, *local, entry);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status DirectorySync::Create(SyncRun& run, const ListedUser& listed) {
  const ExternalIdentity& user = listed.identity;
  SyncReport& r = run.report;
  // Never link accounts by a matching name (as at login).
  absl::StatusOr<domain::UserCredentials> taken =
      deps_.users->GetCredentialsByUsername(user.username);
  if (taken.ok()) {
    ++r.skipped;
    r.changes.push_back({user.username, "skipped",
                         "the username belongs to an account of another "
                         "origin or organization"});
    return absl::OkStatus();
  }
  if (!absl::IsNotFound(taken.status())) return taken.status();
  absl::StatusOr<Provisioned> created = deps_.provisioner->Apply(
      run.caller, nullptr, user, ProvisionSource::kSync, r.dry_run);
  if (!created.ok()) return created.status();
  ++r.created;
  r.changes.push_back(
      {user.username, "created",
       user.enabled ? absl::StrCat("primary role ", user.primary_role)
                    : absl::StrCat("primary role ", user.primary_role,
                                   "; disabled: ", listed.state)});
  return absl::OkStatus();
}

absl::Status DirectorySync::Refresh(SyncRun& run, const domain::User& local,
                                    const ListedUser& listed) {
  const ExternalIdentity& user = listed.identity;
  SyncReport& r = run.report;
  absl::StatusOr<Provisioned> done = deps_.provisioner->Apply(
      run.caller, &local, user, ProvisionSource::kSync, r.dry_run,
      local.enabled && !user.enabled ? listed.state : "");
  if (!done.ok()) return done.status();
  const std::vector<std::string>& changed = done->changed;
  if (changed.empty()) {
    ++r.unchanged;
    return absl::OkStatus();
  }
  const bool renamed = done->renamed;
  const bool disable = done->action == Provisioned::Action::kDisabled;
  const bool enable = done->action == Provisioned::Action::kEnabled;
  if (disable) {
    ++r.disabled;
    r.changes.push_back({local.username, "disabled", listed.state});
  } else if (enable) {
    ++r.updated;
    r.changes.push_back(
        {local.username, "enabled", "enabled again in the directory"});
  } else {
    ++r.updated;
    r.changes.push_back(
        {local.username, "updated",
         absl::StrCat("changed: ", absl::StrJoin(changed, ", "),
                      renamed ? absl::StrCat("; directory username ",
                                             user.username)
                              : "")});
  }
  return absl::OkStatus();
}

absl::Status DirectorySync::DisableLeavers(SyncRun& run,
                                           const DirectoryProvider& directory) {
  SyncReport& r = run.report;
  std::vector<const domain::User*> leavers;
  for (const auto& [key, user] : run.local) {
    if (user.enabled && run.matched.count(user.id) == 0) leavers.push_back(&user);
  }
  if (run.listed.empty() && !leavers.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the directory listed no users ", directory.EmptyListingHint(),
        " while this organization has ",
        domain::OriginName(directory.origin()),
        " users; nothing was disabled (check the provider with "
        "TestIdentityProvider)"));
  }
  for (const domain::User* user : leavers) {
    absl::Status disabled = deps_.provisioner->DisableForProvider(
        run.caller, *user, "not in the directory", ProvisionSource::kSync,
        r.dry_run);
    if (!disabled.ok()) return disabled;
    ++r.disabled;
    r.changes.push_back({user->username, "disabled", "not in the directory"});
  }
  return absl::OkStatus();
}

}  // namespace identity
