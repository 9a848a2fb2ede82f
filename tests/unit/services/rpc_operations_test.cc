#include "services/rpc_operations.h"

#include <map>
#include <string>

#include "domain/authorizer.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "identity/v1/api_key_service.grpc.pb.h"
#include "identity/v1/audit_service.grpc.pb.h"
#include "identity/v1/auth_service.grpc.pb.h"
#include "identity/v1/organization_service.grpc.pb.h"
#include "identity/v1/role_service.grpc.pb.h"
#include "identity/v1/user_service.grpc.pb.h"

namespace identity::services {
namespace {

// Every RPC the protos declare, by its full name.
std::vector<std::string> DeclaredRpcs() {
  std::vector<std::string> names;
  for (const auto* file :
       {identity::v1::AuthenticateRequest::descriptor()->file(),
        identity::v1::CreateOrganizationRequest::descriptor()->file(),
        identity::v1::CreateUserRequest::descriptor()->file(),
        identity::v1::ListRolesRequest::descriptor()->file(),
        identity::v1::CreateApiKeyRequest::descriptor()->file(),
        identity::v1::ListAuditEventsRequest::descriptor()->file()}) {
    for (int s = 0; s < file->service_count(); ++s) {
      const auto* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        names.push_back("/" + service->full_name() + "/" +
                        service->method(m)->name());
      }
    }
  }
  return names;
}

// Deny by default would make a forgotten row an outage: every RPC the API
// declares performs an operation, and the domain has a rule for it.
TEST(RpcOperationsTest, EveryDeclaredRpcPerformsAnOperationWithARule) {
  std::map<absl::string_view, absl::string_view> by_method;
  for (const RpcOperation& rpc : RpcOperations()) {
    EXPECT_TRUE(by_method.emplace(rpc.method, rpc.operation).second)
        << rpc.method << " is in the table twice";
  }
  const std::vector<std::string> declared = DeclaredRpcs();
  ASSERT_GT(declared.size(), 50u);
  for (const std::string& method : declared) {
    auto it = by_method.find(method);
    ASSERT_NE(it, by_method.end()) << method << " performs no operation";
    EXPECT_NE(FindOperationRule(it->second), nullptr)
        << method << " performs " << it->second << ", which has no rule";
  }
  // And the table names no RPC the API does not declare.
  EXPECT_EQ(by_method.size(), declared.size());
}

// Each operation of the domain's table is reachable through exactly one
// RPC, so the metrics and the access log name it unambiguously.
TEST(RpcOperationsTest, EveryOperationHasExactlyOneRpc) {
  std::map<absl::string_view, int> rpcs;
  for (const RpcOperation& rpc : RpcOperations()) ++rpcs[rpc.operation];
  for (const OperationRule& rule : OperationRules()) {
    EXPECT_EQ(rpcs[rule.operation], 1) << rule.operation;
    EXPECT_EQ(RpcMethodOf(rule.operation).empty(), false) << rule.operation;
  }
  EXPECT_EQ(RpcMethodOf("Nope"), "");
}

}  // namespace
}  // namespace identity::services
