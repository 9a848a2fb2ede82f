// Runs every RPC the same way: read the bearer credential, admit the call by
// the authorization table, run the handler body, map its status, and write
// one access-log line.
#ifndef IDENTITY_SERVICES_CALL_H_
#define IDENTITY_SERVICES_CALL_H_

#include <functional>
#include <optional>
#include <string>

#include <grpcpp/server_context.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "identity/principal.h"
#include "identity/session_manager.h"

namespace identity::services {

// The token after "Bearer " in the authorization metadata, if any.
std::optional<std::string> BearerToken(const grpc::ServerContext& ctx);

class CallRunner {
 public:
  explicit CallRunner(SessionManager* sessions) : sessions_(sessions) {}

  grpc::Status Run(grpc::ServerContext* ctx, absl::string_view method,
                   const std::function<absl::Status(const Caller&)>& body);

 private:
  SessionManager* sessions_;
};

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_CALL_H_
