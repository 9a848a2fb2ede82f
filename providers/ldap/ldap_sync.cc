#include "providers/ldap/ldap_sync.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/log.h"
#include "domain/audit.h"
#include "domain/authorizer.h"
#include "providers/ldap/ldap_login.h"
#include "domain/operations.h"
#include "domain/validation.h"

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
  absl::Status allowed = Check(op::kSyncLdapUsers, *caller.principal, Target{org});
  if (!allowed.ok()) return allowed;
  absl::StatusOr<domain::LdapProviderConfig> config = store_->GetLdapProvider(org);
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

  absl::StatusOr<ServerInfo> server = directory->Server();
  if (!server.ok()) return server.status();
  SyncRun run{caller, *config, {}, {}, {}, {}, {}};
  run.report.dry_run = dry_run;
  absl::Status s = LoadLocalUsers(run);
  if (!s.ok()) return s;
  const absl::Time now = absl::Now();
  std::vector<std::string> mapped_groups;
  for (const domain::GroupRoleMapping& m : config->group_role_mappings) {
    mapped_groups.push_back(m.group);
  }
  s = directory->ForEachUser(
      kPageSize, mapped_groups, [&](const Entry& entry, const std::vector<std::string>& groups) {
        Listed listed{DescribeUser(*config, entry, groups, server->id_attribute)};
        if (server->type == ServerType::kActiveDirectory) {
          listed.state = EntryState(entry, now);
          if (std::optional<absl::Time> since = LockedSince(entry);
              since && listed.state == AccountState::kActive) {
            // A lockout ends by itself (the domain's lockout duration):
            // reported, not acted on.
            run.report.changes.push_back(
                {listed.user.username, "noted",
                 absl::StrCat("locked out in the directory since ",
                              absl::FormatTime(*since, absl::UTCTimeZone()))});
          }
        }
        listed.user.enabled = !DisablesLocalUser(listed.state);
        Collect(run, std::move(listed), entry);
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
  query.origin = domain::Origin::kLdap;
  query.limit = 500;
  for (;;) {
    absl::StatusOr<storage::Page<domain::User>> page = store_->ListUsers(query);
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

void LdapSync::Collect(SyncRun& run, Listed listed, const Entry& entry) {
  if (listed.user.username.empty()) {
    ++run.report.skipped;
    run.report.changes.push_back(
        {entry.dn, "skipped",
         absl::StrCat("the entry has no ", run.config.username_attribute)});
    return;
  }
  run.listed[absl::AsciiStrToLower(listed.user.username)].push_back(
      std::move(listed));
}

const domain::User* LdapSync::LocalOf(SyncRun& run,
                                       const domain::ExternalUser& user,
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

absl::Status LdapSync::Apply(SyncRun& run) {
  for (const auto& [key, entries] : run.listed) {
    if (entries.size() > 1) {
      // A login by this name is refused as ambiguous: so is the sync. Their
      // local users are left as they are.
      run.report.skipped += static_cast<int64_t>(entries.size());
      run.report.changes.push_back(
          {entries.front().user.username, "skipped",
           absl::StrCat(entries.size(), " entries have this username")});
      for (const Listed& e : entries) {
        bool conflict = false;
        if (const domain::User* u = LocalOf(run, e.user, &conflict)) {
          run.matched.insert(u->id);
        }
      }
      continue;
    }
    const Listed& entry = entries.front();
    bool conflict = false;
    const domain::User* local = LocalOf(run, entry.user, &conflict);
    if (conflict) {
      ++run.report.skipped;
      run.report.changes.push_back(
          {entry.user.username, "skipped",
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

absl::Status LdapSync::Create(SyncRun& run, const Listed& listed) {
  const domain::ExternalUser& user = listed.user;
  SyncReport& r = run.report;
  // Never link accounts by a matching name (as at login).
  absl::StatusOr<domain::UserCredentials> taken =
      store_->GetCredentialsByUsername(user.username);
  if (taken.ok()) {
    ++r.skipped;
    r.changes.push_back({user.username, "skipped",
                         "the username belongs to an account of another "
                         "origin or organization"});
    return absl::OkStatus();
  }
  if (!absl::IsNotFound(taken.status())) return taken.status();
  absl::StatusOr<Provisioned> created = provisioner_->Apply(
      run.caller, nullptr, user, ProvisionSource::kSync, r.dry_run);
  if (!created.ok()) return created.status();
  ++r.created;
  r.changes.push_back(
      {user.username, "created",
       user.enabled ? absl::StrCat("primary role ", user.primary_role)
                    : absl::StrCat("primary role ", user.primary_role,
                                   "; disabled: ", DescribeState(listed.state))});
  return absl::OkStatus();
}

absl::Status LdapSync::Refresh(SyncRun& run, const domain::User& local,
                               const Listed& listed) {
  const domain::ExternalUser& user = listed.user;
  SyncReport& r = run.report;
  absl::StatusOr<Provisioned> done = provisioner_->Apply(
      run.caller, &local, user, ProvisionSource::kSync, r.dry_run,
      local.enabled && !user.enabled ? DescribeState(listed.state) : "");
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
    r.changes.push_back({local.username, "disabled", DescribeState(listed.state)});
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

absl::Status LdapSync::DisableLeavers(SyncRun& run) {
  SyncReport& r = run.report;
  std::vector<const domain::User*> leavers;
  for (const auto& [key, user] : run.local) {
    if (user.enabled && run.matched.count(user.id) == 0) leavers.push_back(&user);
  }
  if (run.listed.empty() && !leavers.empty()) {
    return absl::FailedPreconditionError(
        "the directory listed no users for user_base_dn and user_filter while "
        "this organization has LDAP users; nothing was disabled (check the "
        "provider with TestIdentityProvider)");
  }
  for (const domain::User* user : leavers) {
    absl::Status disabled = provisioner_->DisableForProvider(
        run.caller, *user, "not in the directory", ProvisionSource::kSync,
        r.dry_run);
    if (!disabled.ok()) return disabled;
    ++r.disabled;
    r.changes.push_back({user->username, "disabled", "not in the directory"});
  }
  return absl::OkStatus();
}

}  // namespace identity::ldap
