// Groups of an organization's users that carry roles; members hold the
// union of their own roles and their groups'.
#ifndef IDENTITY_APPLICATION_ORGANIZATIONS_GROUPS_H_
#define IDENTITY_APPLICATION_ORGANIZATIONS_GROUPS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/principal.h"
#include "application/organizations/role_catalog.h"
#include "storage/store.h"

namespace identity {

struct ListGroupsResult {
  std::vector<domain::Group> groups;
  std::string next_page_token;
};

class Groups {
 public:
  Groups(storage::Store* store, RoleCatalog* catalog)
      : store_(store), catalog_(catalog) {}

  // Every role must be grantable by the caller in the group's organization.
  absl::StatusOr<domain::Group> Create(const Caller& caller,
                                        domain::Group group);
  absl::StatusOr<ListGroupsResult> List(const Caller& caller,
                                        absl::string_view organization_id,
                                        int page_size,
                                        absl::string_view page_token);
  absl::Status Delete(const Caller& caller, absl::string_view id);
  absl::StatusOr<domain::Group> SetRoles(const Caller& caller,
                                          absl::string_view id,
                                          std::vector<std::string> roles);
  // Changing membership hands out (or takes away) the group's roles, so the
  // caller must be able to grant each of them.
  absl::StatusOr<domain::Group> SetMember(const Caller& caller,
                                           absl::string_view group_id,
                                           absl::string_view user_id,
                                           bool member);

 private:
  absl::StatusOr<domain::Group> LoadFor(absl::string_view method,
                                         const Caller& caller,
                                         absl::string_view id);
  absl::Status CheckRoles(const Caller& caller, const std::string& org,
                          const std::vector<std::string>& roles);

  storage::Store* store_;
  RoleCatalog* catalog_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_ORGANIZATIONS_GROUPS_H_
