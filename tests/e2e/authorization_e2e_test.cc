// Runs the authorization matrix (authorization_matrix*.cc) against the real
// binary and checks that it covers every RPC the API declares.
#include "tests/e2e/authorization_matrix.h"

#include "identity/v1/api_key_service.grpc.pb.h"
#include "identity/v1/audit_service.grpc.pb.h"

namespace identity::testing {
namespace {

using namespace matrix;  // NOLINT: the table's vocabulary
using AuthorizationE2eTest = E2eTest;

TEST_F(AuthorizationE2eTest, EveryRpcAsEveryCaller) {
  World w;
  w.a = CreateOrg();
  w.b = CreateOrg();
  w.tokens[kGlobal] = AdminToken();
  w.users[kGlobal].set_username(server().options().admin_username);
  const std::pair<Actor, std::pair<const v1::Organization*, const char*>> made[] = {
      {kAdminA, {&w.a, "ADMIN"}},
      {kBasicA, {&w.a, "BASIC_USER"}},
      {kBillingA, {&w.a, "BILLING_CONTACT"}},
      {kAdminB, {&w.b, "ADMIN"}}};
  for (const auto& [actor, spec] : made) {
    w.users[actor] = CreateUser(spec.first->id(), spec.second);
    w.tokens[actor] = Login(w.users[actor].username(), kPassword);
  }
  {
    v1::CreateApiKeyRequest make;
    make.set_name("matrix");
    v1::CreateApiKeyResponse made;
    auto stub = v1::ApiKeyService::NewStub(server().NewChannel());
    ASSERT_TRUE(stub->CreateApiKey(Ctx(w.tokens[kBasicA]).get(), make, &made).ok());
    w.api_key = made.api_key();
  }
  std::vector<Row> matrix = CoreRows();
  for (Row& row : RoleRows()) matrix.push_back(std::move(row));
  for (const Row& row : matrix) {
    for (Actor actor : kActors) {
      grpc::Status s = row.call(w.tokens[actor], actor, w);
      const bool admitted =
          s.error_code() != grpc::StatusCode::PERMISSION_DENIED &&
          s.error_code() != grpc::StatusCode::UNAUTHENTICATED;
      EXPECT_EQ(admitted, row.allowed.count(actor) > 0)
          << row.rpc << " as " << Name(actor) << ": " << s.error_code() << " "
          << s.error_message();
      EXPECT_NE(s.error_code(), grpc::StatusCode::INTERNAL)
          << row.rpc << " as " << Name(actor) << ": " << s.error_message();
    }
  }

  // The matrix covers every method the API declares.
  std::set<std::string> covered;
  for (const Row& row : matrix) covered.insert(row.rpc);
  for (const auto* file : {v1::AuthenticateRequest::descriptor()->file(),
                           v1::CreateOrganizationRequest::descriptor()->file(),
                           v1::CreateUserRequest::descriptor()->file(),
                           v1::ListRolesRequest::descriptor()->file(),
                           v1::CreateApiKeyRequest::descriptor()->file(),
        identity::v1::ListAuditEventsRequest::descriptor()->file()}) {
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        std::string name =
            file->service(s)->name() + "/" + file->service(s)->method(m)->name();
        EXPECT_TRUE(covered.count(name)) << name << " is missing from the matrix";
      }
    }
  }
}

}  // namespace
}  // namespace identity::testing
