// The capability of a provider that can list its users: a directory. The
// directory sync (directory_sync.h) brings the organization's local users
// of that origin in line with the listing, through the provisioner, so a
// directory of a new kind implements this and nothing else of the sync.
#ifndef IDENTITY_APPLICATION_IDENTITY_PROVIDERS_DIRECTORY_PROVIDER_H_
#define IDENTITY_APPLICATION_IDENTITY_PROVIDERS_DIRECTORY_PROVIDER_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "application/identity_providers/identity_provider.h"
#include "domain/records.h"

namespace identity {

// One entry of a listing, as the sync acts on it.
struct ListedUser {
  // Who the entry is; `identity.enabled` is false when the directory keeps
  // the person out (disabled, expired). An empty username: the entry
  // cannot be a local user and is skipped.
  ExternalIdentity identity;
  std::string entry;        // how the directory names the entry (a DN)
  std::string why_missing;  // an empty username: what the entry lacks
  std::string state;        // `identity.enabled` false: why, in words
  std::string note;         // reported, never acted on ("locked out since")
};

class DirectoryProvider {
 public:
  virtual ~DirectoryProvider() = default;
  // Short lower-case name ("ldap"), for the cluster lock and the logs.
  virtual absl::string_view name() const = 0;
  // The origin of the local users the listing speaks for.
  virtual domain::Origin origin() const = 0;
  // Calls `each` for every user the organization's directory lists. NOT_FOUND
  // when the organization has no such provider; UNAVAILABLE when the
  // directory cannot be reached. A listing that fails half-way is an error:
  // the sync then changes nothing.
  virtual absl::Status ForEachUser(
      const std::string& organization_id,
      const std::function<void(ListedUser)>& each) = 0;
  // What to check when the listing is empty although local users exist.
  virtual std::string EmptyListingHint() const = 0;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_IDENTITY_PROVIDERS_DIRECTORY_PROVIDER_H_
