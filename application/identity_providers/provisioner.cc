#include "application/identity_providers/provisioner.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "domain/audit.h"
#include "domain/external_users.h"

namespace identity {
namespace {

const char* SourceName(ProvisionSource source) {
  return source == ProvisionSource::kSync ? "sync" : "login";
}

const char* ActionName(Provisioned::Action action) {
  switch (action) {
    case Provisioned::Action::kCreated:
      return "user.provision";
    case Provisioned::Action::kDisabled:
      return "user.disable";
    case Provisioned::Action::kEnabled:
      return "user.enable";
    case Provisioned::Action::kUpdated:
    case Provisioned::Action::kUnchanged:
      break;
  }
  return "user.refresh";
}

}  // namespace

std::string NameConflict(const domain::User& by_name,
                         const ExternalIdentity& seen) {
  if (by_name.origin != seen.origin ||
      by_name.organization_id != seen.organization_id) {
    return "username_belongs_to_another_account";
  }
  const bool same_entry =
      by_name.external_id.empty()
          ? by_name.directory_dn.empty() ||
                absl::AsciiStrToLower(by_name.directory_dn) ==
                    absl::AsciiStrToLower(seen.directory_dn)
          : by_name.external_id == seen.external_id;
  // A new entry with an old entry's name (deleted and created again) does
  // not inherit the old one's roles, keys and sessions.
  return same_entry ? "" : "username_belongs_to_another_directory_entry";
}

std::vector<std::string> Changes(const domain::User& local,
                                 const ExternalIdentity& seen) {
  std::vector<std::string> changed = ChangedFields(local, seen);
  if (!seen.external_id.empty() && local.external_id != seen.external_id) {
    changed.push_back("external_id");
  }
  if (local.directory_dn != seen.directory_dn) changed.push_back("directory_dn");
  const bool disable = local.enabled && !seen.enabled;
  const bool enable = !local.enabled && local.disabled_by_provider && seen.enabled;
  if (disable || enable) changed.push_back("enabled");
  return changed;
}

absl::StatusOr<domain::UserCredentials> Provisioner::FindByStableId(
    const ExternalIdentity& seen) {
  if (seen.external_id.empty()) return absl::NotFoundError("no stable id");
  return external_->GetCredentialsByExternalId(seen.organization_id, seen.origin,
                                            seen.external_id);
}

absl::StatusOr<domain::UserCredentials> Provisioner::Find(
    const ExternalIdentity& seen) {
  absl::StatusOr<domain::UserCredentials> by_id = FindByStableId(seen);
  if (!absl::IsNotFound(by_id.status())) return by_id;
  absl::StatusOr<domain::UserCredentials> taken =
      users_->GetCredentialsByUsername(seen.username);
  if (!taken.ok()) return taken.status();
  if (std::string conflict = NameConflict(taken->user, seen); !conflict.empty()) {
    return absl::FailedPreconditionError(conflict);
  }
  return taken;
}

absl::StatusOr<Provisioned> Provisioner::Apply(const Caller& actor,
                                               const domain::User* local,
                                               const ExternalIdentity& seen,
                                               ProvisionSource source,
                                               bool dry_run,
                                               absl::string_view reason) {
  Provisioned out;
  std::string changed;
  if (local != nullptr) {
    out.user_id = local->id;
    out.changed = Changes(*local, seen);
    // Most logins change nothing: no write, no audit noise.
    if (out.changed.empty()) return out;
    out.renamed = !absl::EqualsIgnoreCase(local->username, seen.username);
    out.action = local->enabled && !seen.enabled ? Provisioned::Action::kDisabled
                 : !local->enabled && seen.enabled && local->disabled_by_provider
                     ? Provisioned::Action::kEnabled
                     : Provisioned::Action::kUpdated;
    changed = absl::StrJoin(out.changed, ",");
  } else {
    out.action = Provisioned::Action::kCreated;
  }
  if (dry_run) return out;
  // Usernames never change; the audit log keeps the provider's new one.
  std::vector<AuditDetail> details = {
      {"origin", domain::OriginName(seen.origin)},
      {"source", SourceName(source)},
      {"primary_role", seen.primary_role}};
  if (!changed.empty()) details.push_back({"changed", changed});
  if (out.renamed) details.push_back({"directory_username", seen.username});
  if (!reason.empty()) details.push_back({"reason", reason});
  if (local == nullptr && !seen.enabled) details.push_back({"enabled", "false"});
  absl::StatusOr<domain::User> synced = external_->SyncExternalUser(
      out.user_id, seen,
      MakeAudit(actor, ActionName(out.action), "user", out.user_id,
                seen.organization_id, details));
  if (!synced.ok()) return synced.status();
  out.user_id = synced->id;
  return out;
}

absl::Status Provisioner::DisableForProvider(const Caller& actor,
                                             const domain::User& user,
                                             absl::string_view reason,
                                             ProvisionSource source,
                                             bool dry_run) {
  if (dry_run) return absl::OkStatus();
  return external_
      ->SetUserEnabledByProvider(
          user.id, false,
          MakeAudit(actor, "user.disable", "user", user.id, user.organization_id,
                    {{"reason", reason}, {"source", SourceName(source)}}))
      .status();
}

}  // namespace identity
