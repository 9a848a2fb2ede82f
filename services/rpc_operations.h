// Which RPC performs which operation. The domain names its operations
// ("CreateUser"); gRPC names the methods that expose them
// ("/identity.v1.UserService/CreateUser"). This table is the one place the
// two meet: the handlers run an operation, and the metrics and the access
// log name the RPC it came through.
#ifndef IDENTITY_SERVICES_RPC_OPERATIONS_H_
#define IDENTITY_SERVICES_RPC_OPERATIONS_H_

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace identity::services {

struct RpcOperation {
  absl::string_view method;     // "/identity.v1.UserService/CreateUser"
  absl::string_view operation;  // op::kCreateUser
};

// Every RPC of the identity.v1 API, each with the operation it performs.
absl::Span<const RpcOperation> RpcOperations();

// The RPC that performs `operation`; empty when none does.
absl::string_view RpcMethodOf(absl::string_view operation);

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_RPC_OPERATIONS_H_
