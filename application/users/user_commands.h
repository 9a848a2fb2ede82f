// The user operations and their rules: validation, who may do what to whom,
// origin rules, and passwords. Storage keeps the last-admin rule atomic.
#ifndef IDENTITY_APPLICATION_USERS_USER_COMMANDS_H_
#define IDENTITY_APPLICATION_USERS_USER_COMMANDS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "application/sessions/credential_cache.h"
#include "application/sessions/login_failures.h"
#include "application/users/password_hasher.h"
#include "domain/password_policy.h"
#include "domain/principal.h"
#include "application/organizations/role_catalog.h"
#include "application/users/security_alerts.h"
#include "storage/store.h"

namespace identity {

struct CreateUserInput {
  std::string organization_id;
  std::string username;
  std::string email;
  std::string display_name;
  std::string primary_role;
  std::string password;
  bool generate_password = false;
  std::string image_url;
  std::string time_zone;
};

struct CreateUserResult {
  domain::User user;
  std::string generated_password;  // empty unless generated
};

struct ListUsersInput {
  std::string organization_id;  // empty: the caller's own (global: all)
  std::optional<domain::Origin> origin;
  std::optional<bool> enabled;
  std::string query;
  int page_size = 0;
  std::string page_token;
};

struct ListUsersResult {
  std::vector<domain::User> users;
  std::string next_page_token;
};

class UserCommands {
 public:
  struct Deps {
    storage::Store* store;
    PasswordHasher* hasher;
    RoleCatalog* catalog;
    SecurityAlerts* alerts;
    LoginFailures* failures;  // counts wrong current passwords
    CredentialCache* cache = nullptr;  // null: GetUser always reads the store
  };
  UserCommands(Deps deps, PasswordPolicy policy)
      : store_(deps.store), hasher_(deps.hasher), catalog_(deps.catalog),
        alerts_(deps.alerts), failures_(deps.failures), cache_(deps.cache),
        policy_(policy) {}

  absl::StatusOr<CreateUserResult> Create(const Caller& caller,
                                          const CreateUserInput& in);
  absl::StatusOr<domain::User> Get(const Caller& caller, absl::string_view id);
  absl::StatusOr<domain::User> GetCurrent(const Caller& caller);
  absl::StatusOr<ListUsersResult> List(const Caller& caller,
                                       const ListUsersInput& in);
  absl::StatusOr<domain::User> Update(const Caller& caller,
                                       const storage::UserProfileUpdate& in);
  absl::Status Delete(const Caller& caller, absl::string_view id);
  absl::StatusOr<domain::User> SetEnabled(const Caller& caller,
                                           absl::string_view id, bool enabled);
  absl::StatusOr<domain::User> SetPrimaryRole(const Caller& caller,
                                               absl::string_view id,
                                               absl::string_view role);
  absl::Status ChangePassword(const Caller& caller,
                              absl::string_view current_password,
                              absl::string_view new_password);
  // Returns the generated password when `generate` is set.
  absl::StatusOr<std::string> ResetPassword(const Caller& caller,
                                            absl::string_view id,
                                            absl::string_view new_password,
                                            bool generate);
  absl::StatusOr<domain::User> Unlock(const Caller& caller,
                                       absl::string_view id);

 private:
  // Loads the user `id` and checks that the caller may call `method` on it.
  absl::StatusOr<domain::User> LoadFor(absl::string_view method,
                                        const Caller& caller,
                                        absl::string_view id);
  // A password from the request, or a generated one; validated.
  absl::StatusOr<std::string> ChoosePassword(const PasswordPolicy& policy,
                                             absl::string_view field,
                                             absl::string_view password,
                                             bool generate,
                                             absl::string_view username,
                                             absl::string_view email);

  // The password policy of `organization_id`, never below the server's.
  absl::StatusOr<PasswordPolicy> PolicyOf(absl::string_view organization_id);
  // INVALID_ARGUMENT when `password` matches the current password or one of
  // the last `policy.history_size` ones.
  absl::Status CheckHistory(const PasswordPolicy& policy,
                            const domain::UserCredentials& creds,
                            absl::string_view password);

  storage::Store* store_;
  PasswordHasher* hasher_;
  RoleCatalog* catalog_;
  SecurityAlerts* alerts_;
  LoginFailures* failures_;
  CredentialCache* cache_;
  const PasswordPolicy policy_;  // the server's floor
};

// FAILED_PRECONDITION naming the provider that manages an external user.
absl::Status RequireInternal(const domain::User& user,
                             absl::string_view action);

}  // namespace identity

#endif  // IDENTITY_APPLICATION_USERS_USER_COMMANDS_H_
