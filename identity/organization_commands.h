// The organization operations and their rules.
#ifndef IDENTITY_IDENTITY_ORGANIZATION_COMMANDS_H_
#define IDENTITY_IDENTITY_ORGANIZATION_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "identity/organization_settings.h"
#include "identity/principal.h"
#include "storage/store.h"

namespace identity {

struct ListOrganizationsResult {
  std::vector<storage::Organization> organizations;
  std::string next_page_token;
};

class OrganizationCommands {
 public:
  explicit OrganizationCommands(storage::Store* store) : store_(store) {}

  absl::StatusOr<storage::Organization> Create(const Caller& caller,
                                               absl::string_view name);
  absl::StatusOr<storage::Organization> Get(const Caller& caller,
                                            absl::string_view id);
  // A global principal sees all organizations, anybody else its own.
  absl::StatusOr<ListOrganizationsResult> List(const Caller& caller,
                                               int page_size,
                                               absl::string_view page_token);
  absl::StatusOr<storage::Organization> Update(const Caller& caller,
                                               OrganizationChanges changes);
  absl::Status Delete(const Caller& caller, absl::string_view id);
  absl::StatusOr<storage::Store::MoveCounts> MoveContents(
      const Caller& caller, absl::string_view source,
      absl::string_view target);

 private:
  storage::Store* store_;
};

}  // namespace identity

#endif  // IDENTITY_IDENTITY_ORGANIZATION_COMMANDS_H_
