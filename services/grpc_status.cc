#include "services/grpc_status.h"

#include <google/protobuf/any.pb.h>

#include "google/rpc/status.pb.h"

namespace identity::services {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl and gRPC share the canonical code numbering.
  const auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
  // Payloads keyed by a type URL travel as google.rpc.Status details (the
  // binary trailer grpc-status-details-bin) that gRPC clients can decode.
  google::rpc::Status rich;
  status.ForEachPayload([&](absl::string_view type_url, const absl::Cord& v) {
    google::protobuf::Any* any = rich.add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(v));
  });
  if (rich.details_size() == 0) return grpc::Status(code, message);
  rich.set_code(static_cast<int>(code));
  rich.set_message(message);
  return grpc::Status(code, message, rich.SerializeAsString());
}

}  // namespace identity::services
