// A real identityd on its own database for each test suite, with stubs and
// helpers that act as the callers would.
#ifndef IDENTITY_TESTS_E2E_E2E_FIXTURE_H_
#define IDENTITY_TESTS_E2E_E2E_FIXTURE_H_

#include <map>
#include <memory>
#include <string>

#include <grpcpp/client_context.h>

#include "gtest/gtest.h"
#include "identity/v1/api_key_service.grpc.pb.h"
#include "identity/v1/audit_service.grpc.pb.h"
#include "identity/v1/auth_service.grpc.pb.h"
#include "identity/v1/organization_service.grpc.pb.h"
#include "identity/v1/role_service.grpc.pb.h"
#include "identity/v1/user_service.grpc.pb.h"
#include "tests/support/identityd_server.h"
#include "tests/support/postgres_server.h"

namespace identity::testing {

namespace v1 = ::identity::v1;

// A context carrying `token` as the bearer credential ("" for none).
std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token = "");

// A name no other test in this run uses.
std::string Unique(const std::string& prefix);

// The value of the sample whose name and labels are exactly `series` in a
// Prometheus text body; -1 when absent.
double MetricValue(const std::string& body, const std::string& series);

// Members are public so that table-driven tests can use them from lambdas.
class E2eTest : public ::testing::Test {
 public:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  static IdentitydServer& server() { return *server_; }
  static const std::string& database() { return database_; }
  static std::string Sql(const std::string& sql) {
    return SharedPostgres().QueryValue(database_, sql);
  }

  // UNAUTHENTICATED etc. fail the test; returns the session token.
  static std::string Login(const std::string& username,
                           const std::string& password);
  static grpc::Status TryLogin(const std::string& username,
                               const std::string& password,
                               v1::AuthenticateResponse* resp = nullptr);
  static const std::string& AdminToken();
  // ValidateToken for `token`: the principal, or the status in `status`.
  static v1::Principal PrincipalOf(const std::string& token,
                                   grpc::Status* status = nullptr);
  // The cached admin session was ended; log in again on next use.
  static void ForgetAdminToken() { admin_token_.clear(); }

  static v1::Organization CreateOrg(const std::string& name = Unique("org"));
  // Creates an internal user with password kPassword.
  static v1::User CreateUser(const std::string& org_id, const std::string& role,
                             const std::string& username = Unique("user"));

  static constexpr char kPassword[] = "Correct-Horse-Battery-9";
  // Settings for the next suite's server; a suite's SetUpTestSuite may fill
  // them before calling E2eTest::SetUpTestSuite.
  static std::map<std::string, std::string>& ExtraEnv();

  static std::unique_ptr<v1::AuthService::Stub> auth_;
  static std::unique_ptr<v1::OrganizationService::Stub> orgs_;
  static std::unique_ptr<v1::UserService::Stub> users_;
  static std::unique_ptr<v1::RoleService::Stub> roles_;

 private:
  static std::unique_ptr<IdentitydServer> server_;
  static std::string database_;
  static std::string admin_token_;
};

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_E2E_E2E_FIXTURE_H_
