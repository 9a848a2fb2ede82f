// gRPC answers a request body that does not parse as the method's message
// (truncated or corrupt bytes, nesting deeper than protobuf's limit of 100)
// with INTERNAL and no message, before any handler runs. This interceptor
// turns that into INVALID_ARGUMENT with a message that says what was wrong
// (reason MALFORMED_REQUEST), and gives the other statuses gRPC makes on its
// own (every thread busy: SERVER_BUSY with a RetryInfo) the error details
// that the service's own errors carry.
#ifndef IDENTITY_SERVICES_MALFORMED_REQUEST_H_
#define IDENTITY_SERVICES_MALFORMED_REQUEST_H_

#include <grpcpp/support/server_interceptor.h>

namespace identity::services {

class MalformedRequestInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_MALFORMED_REQUEST_H_
