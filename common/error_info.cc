#include "common/error_info.h"

#include <google/protobuf/duration.pb.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"

namespace identity {
namespace {

constexpr size_t kMaxValueBytes = 200;

bool MayCarry(absl::string_view key, absl::string_view value) {
  const std::string k = absl::AsciiStrToLower(key);
  for (absl::string_view secret :
       {"password", "secret", "token", "hash", "credential", "private", "seed",
        "recovery", "cookie"}) {
    if (absl::StrContains(k, secret)) return false;
  }
  return !absl::StrContains(value, '\n') && !absl::StrContains(value, '\r');
}

template <typename Message>
Message PayloadOf(const absl::Status& status, absl::string_view type) {
  Message m;
  if (auto v = status.GetPayload(type)) {
    m.ParseFromString(std::string(*v));
  }
  return m;
}

}  // namespace

absl::Status WithReason(absl::Status status, absl::string_view reason,
                        ErrorMetadata metadata) {
  if (status.ok()) return status;
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  for (const auto& [key, value] : metadata) {
    if (!MayCarry(key, value)) continue;
    (*info.mutable_metadata())[std::string(key)] =
        std::string(value.substr(0, kMaxValueBytes));
  }
  status.SetPayload(kErrorInfoType, absl::Cord(info.SerializeAsString()));
  return status;
}

absl::Status WithFieldViolation(absl::Status status, absl::string_view field,
                                absl::string_view description) {
  if (status.ok()) return status;
  auto request = PayloadOf<google::rpc::BadRequest>(status, kBadRequestType);
  google::rpc::BadRequest::FieldViolation* v = request.add_field_violations();
  v->set_field(std::string(field));
  v->set_description(std::string(description));
  status.SetPayload(kBadRequestType, absl::Cord(request.SerializeAsString()));
  return status;
}

absl::Status WithRetryDelay(absl::Status status, absl::Duration delay) {
  if (status.ok()) return status;
  google::rpc::RetryInfo info;
  const int64_t ms = absl::ToInt64Milliseconds(delay);
  info.mutable_retry_delay()->set_seconds(ms / 1000);
  info.mutable_retry_delay()->set_nanos(static_cast<int32_t>(ms % 1000) *
                                        1000000);
  status.SetPayload(kRetryInfoType, absl::Cord(info.SerializeAsString()));
  return status;
}

absl::Status InvalidFieldError(absl::string_view field, absl::string_view what,
                               absl::string_view reason) {
  absl::Status s = absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
  s = WithReason(std::move(s), reason, {{"field", field}});
  return WithFieldViolation(std::move(s), field, what);
}

std::string ErrorReason(const absl::Status& status) {
  return PayloadOf<google::rpc::ErrorInfo>(status, kErrorInfoType).reason();
}

}  // namespace identity
