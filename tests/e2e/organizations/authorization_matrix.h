// The authorization matrix: every RPC called as every kind of caller,
// against a table written here by hand (it must agree with docs/authorization.md).
#ifndef IDENTITY_TESTS_E2E_ORGANIZATIONS_AUTHORIZATION_MATRIX_H_
#define IDENTITY_TESTS_E2E_ORGANIZATIONS_AUTHORIZATION_MATRIX_H_

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/e2e_fixture.h"

namespace identity::testing::matrix {

enum Actor { kGlobal, kAdminA, kBasicA, kBillingA, kAdminB, kAnonymous };
inline constexpr Actor kActors[] = {kGlobal,  kAdminA, kBasicA,
                                    kBillingA, kAdminB, kAnonymous};
const char* Name(Actor a);

struct World {
  v1::Organization a, b;
  std::map<Actor, std::string> tokens;
  std::map<Actor, v1::User> users;
  std::string api_key;  // a key of BASIC_USER(A)
  int counter = 0;      // for unique names
};

using Call = std::function<grpc::Status(const std::string& token, Actor actor,
                                        World& w)>;

struct Row {
  std::string rpc;
  std::set<Actor> allowed;
  Call call;
};

// Rows for AuthService, OrganizationService, UserService, ApiKeyService and
// AuditService; and for RoleService.
std::vector<Row> CoreRows();
std::vector<Row> UserRows();
std::vector<Row> RoleRows();

}  // namespace identity::testing::matrix

#endif  // IDENTITY_TESTS_E2E_ORGANIZATIONS_AUTHORIZATION_MATRIX_H_
