// Runs the authorization matrix (authorization_matrix*.cc) against the real
// binary and checks that it covers every RPC the API declares.
#include "tests/e2e/organizations/authorization_matrix.h"

#include "identity/v1/api_key_service.grpc.pb.h"
#include "identity/v1/audit_service.grpc.pb.h"

namespace identity::testing {
namespace {

using namespace matrix;  // NOLINT: the table's vocabulary
using AuthorizationE2eTest = E2eTest;

// The callers of the table: a global admin, three users of organization A
// with different roles, an admin of B, and BASIC_USER(A)'s API key.
void MakeWorld(World& w) {
  w.a = E2eTest::CreateOrg();
  w.b = E2eTest::CreateOrg();
  w.tokens[kGlobal] = E2eTest::AdminToken();
  w.users[kGlobal].set_username(E2eTest::server().options().admin_username);
  const std::pair<Actor, std::pair<const v1::Organization*, const char*>> made[] = {
      {kAdminA, {&w.a, "ADMIN"}},
      {kBasicA, {&w.a, "BASIC_USER"}},
      {kBillingA, {&w.a, "BILLING_CONTACT"}},
      {kAdminB, {&w.b, "ADMIN"}}};
  for (const auto& [actor, spec] : made) {
    w.users[actor] = E2eTest::CreateUser(spec.first->id(), spec.second);
    w.tokens[actor] = E2eTest::Login(w.users[actor].username(), E2eTest::kPassword);
  }
  {
    v1::CreateApiKeyRequest make;
    make.set_name("matrix");
    v1::CreateApiKeyResponse made;
    auto stub = v1::ApiKeyService::NewStub(E2eTest::server().NewChannel());
    EXPECT_TRUE(stub->CreateApiKey(Ctx(w.tokens[kBasicA]).get(), make, &made).ok());
    w.api_key = made.api_key();
  }
}

std::vector<Row> Matrix() {
  std::vector<Row> matrix = CoreRows();
  for (Row& row : UserRows()) matrix.push_back(std::move(row));
  for (Row& row : RoleRows()) matrix.push_back(std::move(row));
  return matrix;
}

TEST_F(AuthorizationE2eTest, EveryRpcAsEveryCaller) {
  World w;
  MakeWorld(w);
  std::vector<Row> matrix = Matrix();
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

// Credentials that once worked: an expired session, a logged-out one, and
// the session of a user disabled since. They reach the public RPCs (which
// ignore credentials) and nothing else, for every RPC of the table.
TEST_F(AuthorizationE2eTest, DeadCredentialsReachOnlyPublicRpcs) {
  World w;
  MakeWorld(w);
  const v1::User expired_user = CreateUser(w.a.id(), "ADMIN");
  const std::string expired = Login(expired_user.username(), kPassword);
  Sql("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = '" +
      expired_user.id() + "'");
  const std::string revoked = Login(CreateUser(w.a.id(), "ADMIN").username(), kPassword);
  v1::LogoutResponse out;
  ASSERT_TRUE(auth_->Logout(Ctx(revoked).get(), {}, &out).ok());
  const v1::User disabled_user = CreateUser(w.a.id(), "ADMIN");
  const std::string disabled = Login(disabled_user.username(), kPassword);
  v1::DisableUserRequest off;
  off.set_id(disabled_user.id());
  v1::User ignored;
  ASSERT_TRUE(users_->DisableUser(Ctx(AdminToken()).get(), off, &ignored).ok());

  for (const Row& row : Matrix()) {
    // The Logout row logs in afresh (so the matrix keeps its tokens); a dead
    // session's logout is checked here directly instead.
    if (row.rpc == "AuthService/Logout") {
      EXPECT_EQ(auth_->Logout(Ctx(revoked).get(), {}, &out).error_code(),
                grpc::StatusCode::UNAUTHENTICATED);
      continue;
    }
    const bool is_public = row.allowed.count(kAnonymous) > 0;
    for (const auto& [what, token] :
         {std::pair<const char*, const std::string&>{"expired", expired},
          {"revoked", revoked},
          {"disabled", disabled}}) {
      grpc::Status s = row.call(token, kAdminA, w);
      if (is_public) {
        EXPECT_NE(s.error_code(), grpc::StatusCode::UNAUTHENTICATED)
            << row.rpc << " with a " << what << " session";
        EXPECT_NE(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << row.rpc;
      } else {
        EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED)
            << row.rpc << " with a " << what << " session: " << s.error_message();
      }
    }
  }
}

}  // namespace
}  // namespace identity::testing
