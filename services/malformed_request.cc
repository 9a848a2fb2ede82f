#include "services/malformed_request.h"

#include "absl/strings/str_cat.h"

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
    // A callback method (the validations, Authenticate) whose request does
    // not parse is answered UNIMPLEMENTED with no message instead.
    if (malformed_ &&
        batch->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS) &&
        (batch->GetSendStatus().error_code() == grpc::StatusCode::INTERNAL ||
         (batch->GetSendStatus().error_code() ==
              grpc::StatusCode::UNIMPLEMENTED &&
          batch->GetSendStatus().error_message().empty()))) {
      batch->ModifySendStatus(grpc::Status(
          grpc::StatusCode::INVALID_ARGUMENT,
          absl::StrCat("the request body is not a valid message for ", method_,
                       ": corrupt or truncated protocol buffer, or nested "
                       "deeper than 100 levels")));
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
