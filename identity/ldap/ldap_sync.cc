#include "identity/ldap/ldap_sync.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/log.h"
#include "identity/audit.h"
#include "identity/external_users.h"
#include "identity/authorizer.h"
#include "identity/ldap/ldap_login.h"
#include "identity/rpc_names.h"
#include "identity/validation.h"

namespace identity::ldap {
namespace {

// Large enough to keep round trips few, below Active Directory's default
// MaxPageSize (1000).
constexpr int kPageSize = 500;

}  // namespace

absl::StatusOr<SyncReport> LdapSync::Run(const Caller& caller,
                                         absl::string_view organization_id,
                                         bool dry_run) {
  absl::Status valid = ValidateId("organization_id", organization_id);
  if (!valid.ok()) return valid;
  const std::string org(organization_id);
  absl::Status allowed = Check(rpc::kSyncLdapUsers, *caller.principal, Target{org});
  if (!allowed.ok()) return allowed;
  absl::StatusOr<storage::LdapProviderConfig> config = store_->GetLdapProvider(org);
  if (!config.ok()) return config.status();
  absl::StatusOr<Directory> directory = providers_->PooledDirectory(*config);
  if (!directory.ok()) return directory.status();
  absl::StatusOr<std::unique_ptr<storage::ClusterLock>> lock =
      store_->TryClusterLock(absl::StrCat("ldap_sync:", org));
  if (!lock.ok()) {
    if (absl::IsAborted(lock.status())) {
      return absl::AbortedError(
          "a sync of this organization is already running; try again when "
          "it ends");
    }
    return lock.status();
  }

  SyncRun run{caller, *config, {}, {}, {}};
  run.report.dry_run = dry_run;
  absl::Status s = LoadLocalUsers(run);
  if (!s.ok()) return s;
  s = directory->ForEachUser(
      kPageSize, [&](const Entry& entry, const std::vector<std::string>& groups) {
        Collect(run, DescribeUser(*config, entry, groups), entry);
        return absl::OkStatus();
      });
  if (!s.ok()) return s;
  s = Apply(run);
  if (!s.ok()) return s;
  s = DisableLeavers(run);
  if (!s.ok()) return s;
  const SyncReport& r = run.report;
  log::Info("ldap.sync", {{"organization", org},
                          {"created", absl::StrCat(r.created)},
                          {"updated", absl::StrCat(r.updated)},
                          {"disabled", absl::StrCat(r.disabled)},
                          {"unchanged", absl::StrCat(r.unchanged)},
                          {"skipped", absl::StrCat(r.skipped)},
                          {"dry_run", dry_run ? "true" : "false"}});
  if (!dry_run) {
    store_->RecordAudit(MakeAudit(caller, "ldap.sync", "organization", org, org,
                                  {{"created", absl::StrCat(r.created)},
                                   {"updated", absl::StrCat(r.updated)},
                                   {"disabled", absl::StrCat(r.disabled)},
                                   {"skipped", absl::StrCat(r.skipped)}}))
        .IgnoreError();  // every change above has its own audit event
  }
  return std::move(run.report);
}

absl::Status LdapSync::LoadLocalUsers(SyncRun& run) {
  storage::UserListQuery query;
  query.organization_id = run.config.organization_id;
  query.origin = storage::Origin::kLdap;
  query.limit = 500;
  for (;;) {
    absl::StatusOr<storage::Page<storage::User>> page = store_->ListUsers(query);
    if (!page.ok()) return page.status();
    for (storage::User& u : page->items) {
      run.local.emplace(absl::AsciiStrToLower(u.username), std::move(u));
    }
    if (!page->next) return absl::OkStatus();
    query.after = page->next;
  }
}

void LdapSync::Collect(SyncRun& run, storage::ExternalUser user,
                       const Entry& entry) {
  if (user.username.empty()) {
    ++run.report.skipped;
    run.report.changes.push_back(
        {entry.dn, "skipped",
         absl::StrCat("the entry has no ", run.config.username_attribute)});
    return;
  }
  run.listed[absl::AsciiStrToLower(user.username)].push_back(std::move(user));
}

absl::Status LdapSync::Apply(SyncRun& run) {
  for (const auto& [key, entries] : run.listed) {
    if (entries.size() > 1) {
      // A login by this name is refused as ambiguous: so is the sync.
      run.report.skipped += static_cast<int64_t>(entries.size());
      run.report.changes.push_back(
          {entries.front().username, "skipped",
           absl::StrCat(entries.size(), " entries have this username")});
      continue;
    }
    auto local = run.local.find(key);
    absl::Status s = local == run.local.end()
                         ? Create(run, entries.front())
                         : Refresh(run, local->second, entries.front());
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status LdapSync::Create(SyncRun& run, const storage::ExternalUser& user) {
  SyncReport& r = run.report;
  // Never link accounts by a matching name (as at login).
  absl::StatusOr<storage::UserCredentials> taken =
      store_->GetCredentialsByUsername(user.username);
  if (taken.ok()) {
    ++r.skipped;
    r.changes.push_back({user.username, "skipped",
                         "the username belongs to an account of another "
                         "origin or organization"});
    return absl::OkStatus();
  }
  if (!absl::IsNotFound(taken.status())) return taken.status();
  if (!run.report.dry_run) {
    absl::StatusOr<storage::User> created = store_->SyncExternalUser(
        "", user,
        MakeAudit(run.caller, "user.provision", "user", "",
                  run.config.organization_id,
                  {{"origin", "LDAP"}, {"source", "sync"},
                   {"primary_role", user.primary_role}}));
    if (!created.ok()) return created.status();
  }
  ++r.created;
  r.changes.push_back({user.username, "created",
                       absl::StrCat("primary role ", user.primary_role)});
  return absl::OkStatus();
}

absl::Status LdapSync::Refresh(SyncRun& run, const storage::User& local,
                               const storage::ExternalUser& user) {
  SyncReport& r = run.report;
  const std::vector<std::string> changed = ChangedFields(local, user);
  if (changed.empty()) {
    ++r.unchanged;
    return absl::OkStatus();
  }
  if (!r.dry_run) {
    absl::StatusOr<storage::User> refreshed = store_->SyncExternalUser(
        local.id, user,
        MakeAudit(run.caller, "user.refresh", "user", local.id,
                  run.config.organization_id,
                  {{"origin", "LDAP"}, {"source", "sync"},
                   {"changed", absl::StrJoin(changed, ",")}}));
    if (!refreshed.ok()) return refreshed.status();
  }
  ++r.updated;
  r.changes.push_back({local.username, "updated",
                       absl::StrCat("changed: ", absl::StrJoin(changed, ", "))});
  return absl::OkStatus();
}

absl::Status LdapSync::DisableLeavers(SyncRun& run) {
  SyncReport& r = run.report;
  std::vector<const storage::User*> leavers;
  for (const auto& [key, user] : run.local) {
    if (user.enabled && run.listed.count(key) == 0) leavers.push_back(&user);
  }
  if (run.listed.empty() && !leavers.empty()) {
    return absl::FailedPreconditionError(
        "the directory listed no users for user_base_dn and user_filter while "
        "this organization has LDAP users; nothing was disabled (check the "
        "provider with TestIdentityProvider)");
  }
  for (const storage::User* user : leavers) {
    if (!r.dry_run) {
      absl::StatusOr<storage::User> disabled = store_->SetUserEnabled(
          user->id, false,
          MakeAudit(run.caller, "user.disable", "user", user->id,
                    user->organization_id,
                    {{"reason", "not in the directory"}, {"source", "sync"}}));
      if (!disabled.ok()) return disabled.status();
    }
    ++r.disabled;
    r.changes.push_back({user->username, "disabled", "not in the directory"});
  }
  return absl::OkStatus();
}

}  // namespace identity::ldap
