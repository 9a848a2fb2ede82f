// The organization operations and their rules.
#ifndef IDENTITY_APPLICATION_ORGANIZATIONS_ORGANIZATION_COMMANDS_H_
#define IDENTITY_APPLICATION_ORGANIZATIONS_ORGANIZATION_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/organization_settings.h"
#include "domain/principal.h"
#include "storage/store.h"

namespace identity {

struct ListOrganizationsResult {
  std::vector<domain::Organization> organizations;
  std::string next_page_token;
};

class OrganizationCommands {
 public:
  explicit OrganizationCommands(storage::Store* store) : store_(store) {}

  absl::StatusOr<domain::Organization> Create(const Caller& caller,
                                               absl::string_view name);
  absl::StatusOr<domain::Organization> Get(const Caller& caller,
                                            absl::string_view id);
  // A global principal sees all organizations, anybody else its own.
  absl::StatusOr<ListOrganizationsResult> List(const Caller& caller,
                                               int page_size,
                                               absl::string_view page_token);
  absl::StatusOr<domain::Organization> Update(const Caller& caller,
                                               OrganizationChanges changes);
  absl::Status Delete(const Caller& caller, absl::string_view id);
  absl::StatusOr<storage::Store::MoveCounts> MoveContents(
      const Caller& caller, absl::string_view source,
      absl::string_view target);

 private:
  storage::Store* store_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_ORGANIZATIONS_ORGANIZATION_COMMANDS_H_
