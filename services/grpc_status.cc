#include "services/grpc_status.h"

#include <google/protobuf/any.pb.h>

#include <string>

#include "absl/strings/ascii.h"
#include "common/error_info.h"
#include "common/error_reasons.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace identity::services {
namespace {

// The request field a validation message starts with ("name: required",
// "settings.password.min_length: ..."), or "" when it names none.
absl::string_view FieldOfMessage(absl::string_view message) {
  const size_t colon = message.find(": ");
  if (colon == 0 || colon == absl::string_view::npos || colon > 100) return "";
  const absl::string_view field = message.substr(0, colon);
  if (!absl::ascii_islower(static_cast<unsigned char>(field[0]))) return "";
  for (char c : field) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '_' &&
        c != '.' && c != '[' && c != ']') {
      return "";
    }
  }
  return field;
}

// `status` with an ErrorInfo when the code that made it attached none, and
// for a field error a BadRequest.
absl::Status WithDefaults(absl::Status status) {
  const absl::StatusCode code = status.code();
  const std::string field(code == absl::StatusCode::kInvalidArgument
                              ? FieldOfMessage(status.message())
                              : "");
  if (!status.GetPayload(kErrorInfoType).has_value()) {
    status = field.empty()
                 ? WithReason(std::move(status), reason::DefaultReason(code))
                 : WithReason(std::move(status), reason::kInvalidField,
                              {{"field", field}});
  }
  if (field.empty() || status.GetPayload(kBadRequestType).has_value()) {
    return status;
  }
  const std::string what(status.message().substr(field.size() + 2));
  return WithFieldViolation(std::move(status), field, what);
}

grpc::Status Convert(absl::Status status) {
  // absl and gRPC share the canonical code numbering.
  const auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
  status = WithDefaults(std::move(status));
  google::rpc::Status rich;
  rich.set_code(static_cast<int>(code));
  rich.set_message(message);
  // ErrorInfo first: clients that read one detail read the reason.
  rich.add_details()->set_type_url(std::string(kErrorInfoType));
  status.ForEachPayload([&](absl::string_view type_url, const absl::Cord& v) {
    google::protobuf::Any* any = type_url == kErrorInfoType
                                     ? rich.mutable_details(0)
                                     : rich.add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(v));
  });
  return grpc::Status(code, message, rich.SerializeAsString());
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return Convert(status);
}

grpc::Status WithErrorDetails(const grpc::Status& status) {
  if (status.ok() || !status.error_details().empty()) return status;
  return Convert(
      absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                   status.error_message()));
}

}  // namespace identity::services
