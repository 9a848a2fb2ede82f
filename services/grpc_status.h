// The one place where absl::Status becomes grpc::Status.
#ifndef IDENTITY_SERVICES_GRPC_STATUS_H_
#define IDENTITY_SERVICES_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace identity::services {

// Code and message as they are; the status's payloads (google.rpc.ErrorInfo,
// BadRequest, RetryInfo, attached where the error was made) become the
// google.rpc.Status details (trailer grpc-status-details-bin). Every error
// carries an ErrorInfo in domain identity.v1: one made without a reason gets
// the code's name as its reason, and an INVALID_ARGUMENT whose message names
// a request field ("name: required") gets INVALID_FIELD with that field and a
// BadRequest field violation.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The same for a status that gRPC or an interceptor made (no payloads):
// `status` with the details ToGrpcStatus would give it, unless it has some.
grpc::Status WithErrorDetails(const grpc::Status& status);

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_GRPC_STATUS_H_
