#include "services/malformed_request.h"

#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "services/grpc_status.h"

namespace identity::services {
namespace {

using grpc::experimental::InterceptionHookPoints;

class MalformedRequestInterceptor : public grpc::experimental::Interceptor {
 public:
  // The method name outlives the call: it belongs to the registered method.
  explicit MalformedRequestInterceptor(const char* method)
      : method_(method != nullptr ? method : "") {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* batch) override {
    // The sync server hands interceptors a null message when parsing failed,
    // and answers INTERNAL. It also hands a null message to a call it refuses
    // because every thread is busy (the body was dropped unread), and answers
    // that one RESOURCE_EXHAUSTED: only the INTERNAL case is the caller's bad
    // request.
    if (batch->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        batch->GetRecvMessage() == nullptr) {
      malformed_ = true;
    }
    if (batch->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = batch->GetSendStatus();
      // A callback method (the validations, Authenticate) whose request does
      // not parse is answered UNIMPLEMENTED with no message instead.
      const bool unparsed =
          status.error_code() == grpc::StatusCode::INTERNAL ||
          (status.error_code() == grpc::StatusCode::UNIMPLEMENTED &&
           status.error_message().empty());
      if (malformed_ && unparsed) {
        batch->ModifySendStatus(ToGrpcStatus(WithReason(
            absl::InvalidArgumentError(absl::StrCat(
                "the request body is not a valid message for ", method_,
                ": corrupt or truncated protocol buffer, or nested deeper "
                "than 100 levels")),
            reason::kMalformedRequest)));
      } else if (malformed_ &&
                 status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED &&
                 status.error_details().empty()) {
        // Every thread was busy: worth a retry after a short pause.
        batch->ModifySendStatus(ToGrpcStatus(WithRetryDelay(
            WithReason(absl::ResourceExhaustedError(status.error_message()),
                       reason::kServerBusy),
            absl::Seconds(1))));
      } else if (!status.ok() && status.error_details().empty()) {
        batch->ModifySendStatus(WithErrorDetails(status));
      }
    }
    batch->Proceed();
  }

 private:
  const char* method_;
  bool malformed_ = false;
};

}  // namespace

grpc::experimental::Interceptor*
MalformedRequestInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  // On a stream a null message means the client finished sending; only a
  // call with exactly one request message can tell a parse failure by it.
  using Type = grpc::experimental::ServerRpcInfo::Type;
  if (info->type() != Type::UNARY && info->type() != Type::SERVER_STREAMING) {
    return nullptr;
  }
  return new MalformedRequestInterceptor(info->method());
}

}  // namespace identity::services
