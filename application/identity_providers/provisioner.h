// The one place where an identity a provider vouches for becomes a local
// user: linked by the provider's stable id only, provisioned just in time,
// refreshed where the provider's view changed, never linked to another
// account by a matching name, and disabled or enabled only as the
// provider's doing (an administrator's disable stays). Logins (LDAP, SAML)
// and the directory sync all go through it, so they cannot drift apart.
#ifndef IDENTITY_APPLICATION_IDENTITY_PROVIDERS_PROVISIONER_H_
#define IDENTITY_APPLICATION_IDENTITY_PROVIDERS_PROVISIONER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "application/identity_providers/identity_provider.h"
#include "domain/principal.h"
#include "storage/ports/external_users.h"
#include "storage/ports/users.h"

namespace identity {

enum class ProvisionSource { kLogin, kSync };

// Whether `by_name`, the local user holding the identity's username, is
// that identity's account: "" when it is (same origin and organization,
// and linked to this entry or to none yet: users provisioned before stable
// ids were stored), else the refusal reason.
std::string NameConflict(const domain::User& by_name,
                         const ExternalIdentity& seen);

// The fields a refresh would change ("email", "display_name",
// "primary_role", "add_on_roles", "external_id", "directory_dn",
// "enabled").
std::vector<std::string> Changes(const domain::User& local,
                                 const ExternalIdentity& seen);

struct Provisioned {
  enum class Action { kUnchanged, kCreated, kUpdated, kDisabled, kEnabled };
  Action action = Action::kUnchanged;
  std::vector<std::string> changed;
  bool renamed = false;  // the provider's username differs from the local one
  std::string user_id;   // empty for a dry run's creation
};

class Provisioner {
 public:
  // Both must outlive this (in production, the same store).
  Provisioner(storage::UserReads* users, storage::ExternalUsers* external)
      : users_(users), external_(external) {}

  // The local user linked to `seen`: by its stable id, else by its name
  // when NameConflict allows. NOT_FOUND when there is none yet;
  // FAILED_PRECONDITION with the reason when the name is another account's.
  absl::StatusOr<domain::UserCredentials> Find(const ExternalIdentity& seen);
  // By the stable id alone; NOT_FOUND without one.
  absl::StatusOr<domain::UserCredentials> FindByStableId(
      const ExternalIdentity& seen);

  // Creates the user (`local` null) or refreshes it; no write and no audit
  // event when nothing changed. `actor` is whoever made it happen (no
  // principal: the provider, at a login). `reason` explains a disable.
  absl::StatusOr<Provisioned> Apply(const Caller& actor,
                                    const domain::User* local,
                                    const ExternalIdentity& seen,
                                    ProvisionSource source, bool dry_run = false,
                                    absl::string_view reason = "");

  // The provider's lasting refusal of an entry (gone, disabled or expired
  // there) disables its local user until the provider says otherwise.
  absl::Status DisableForProvider(const Caller& actor, const domain::User& user,
                                  absl::string_view reason,
                                  ProvisionSource source, bool dry_run = false);

 private:
  storage::UserReads* users_;
  storage::ExternalUsers* external_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_IDENTITY_PROVIDERS_PROVISIONER_H_
