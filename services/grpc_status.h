// The one place where absl::Status becomes grpc::Status.
#ifndef IDENTITY_SERVICES_GRPC_STATUS_H_
#define IDENTITY_SERVICES_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace identity::services {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_GRPC_STATUS_H_
