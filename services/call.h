// Runs every RPC the same way: read the bearer credential, admit the call by
// the authorization table, run the handler body, map its status, and write
// one access-log line.
#ifndef IDENTITY_SERVICES_CALL_H_
#define IDENTITY_SERVICES_CALL_H_

#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "application/api_keys/api_keys.h"
#include "application/sessions/session_manager.h"
#include "common/cidr.h"
#include "common/prometheus.h"
#include "domain/principal.h"
#include "services/peer_address.h"
#include "services/rate_limits.h"

namespace identity::services {

// The token after "Bearer " in the authorization metadata, if any.
std::optional<std::string> BearerToken(const grpc::ServerContextBase& ctx);

// The common name of the caller's TLS client certificate (mutual TLS), or "".
std::string ClientCertificateName(const grpc::ServerContextBase& ctx);

// Where every RPC is counted; either may be null.
struct RpcMetrics {
  prometheus::CounterFamily* requests = nullptr;    // {method, code}
  prometheus::HistogramFamily* duration = nullptr;  // {method}, seconds
};

class CallRunner {
 public:
  // `trusted_proxies`: peers whose x-forwarded-for names the client;
  // `limits` null: no failure budgets.
  CallRunner(SessionManager* sessions, ApiKeyManager* keys,
             RpcMetrics metrics = {}, std::vector<Cidr> trusted_proxies = {},
             RateLimits* limits = nullptr);
  ~CallRunner();

  // `request` is checked for control characters before anything else.
  // `ctx` is a sync or a callback server context. `body` runs before Run
  // returns, so it is borrowed, not copied (a lambda's captures would cost
  // an allocation per call in a std::function).
  grpc::Status Run(grpc::ServerContextBase* ctx, absl::string_view operation,
                   const google::protobuf::Message& request,
                   absl::FunctionRef<absl::Status(const Caller&)> body);

  // The same for a callback method whose body ends on another thread:
  // `start` gets the admitted caller and a `finish` that it, or the work it
  // hands on, calls exactly once with the body's status; `done` then gets
  // the call's status (at once when the call is refused before its body).
  // `ctx` and `request` must live until `done`; `start` itself runs before
  // RunLater returns.
  class Finish;
  void RunLater(grpc::ServerContextBase* ctx, absl::string_view operation,
                const google::protobuf::Message& request,
                absl::FunctionRef<void(const Caller&, Finish)> start,
                std::function<void(grpc::Status)> done);
  // ValidateApiKey's failure budget, for a call that answers an invalid API
  // key as a value (CheckPermission): OK, or RESOURCE_EXHAUSTED once the
  // client's budget is spent.
  absl::Status CountInvalidApiKey(const grpc::ServerContextBase& ctx,
                                  const google::protobuf::Message& request) {
    return limits_ ? limits_->CountInvalidApiKey(ClientAddress(ctx), request)
                   : absl::OkStatus();
  }
  // What a stream that stays open is re-admitted with: copied from its
  // context when it opens, since the context may be gone (the caller
  // cancelled) while a recheck runs on another thread.
  struct StreamCredential {
    std::optional<std::string> token;
    std::string client_ip;
  };
  StreamCredential CredentialOf(const grpc::ServerContextBase& ctx) const {
    return {BearerToken(ctx), ClientAddress(ctx)};
  }
  // For a stream that stays open: validates `credential` again, admits
  // `operation` for it as Run does, then runs `check` (the object-level
  // rule). No access-log line and no failure budget: the call was counted
  // when it started.
  absl::Status Readmit(
      const StreamCredential& credential, absl::string_view operation,
      const std::function<absl::Status(const Principal&)>& check);

 private:
  class Call;
  // Run before the body: admits the call or says why not.
  absl::Status Open(grpc::ServerContextBase* ctx, absl::string_view operation,
                    const google::protobuf::Message& request, Call* call);
  // Run after the body: counts, logs and maps its status.
  grpc::Status Close(grpc::ServerContextBase* ctx, absl::string_view operation,
                     const google::protobuf::Message& request, Call* call,
                     absl::Status status);
  // A session token or an API key, as a principal.
  absl::StatusOr<Principal> Authenticate(const std::string& credential,
                                         absl::string_view client_ip);
  // The caller's IP address (see ClientIp).
  std::string ClientAddress(const grpc::ServerContextBase& ctx) const;
  // The same, from the IP address in the call's peer.
  std::string ClientAddress(const grpc::ServerContextBase& ctx,
                            absl::string_view peer_ip) const;

  struct Meters;
  // The rule and series of the RPC that performs `operation`; null when
  // none does.
  Meters* MetersOf(absl::string_view operation) const;
  // Counts and times a finished call.
  void Measure(absl::string_view operation, Meters* meters,
               absl::StatusCode code, absl::Duration took);

  SessionManager* sessions_;
  ApiKeyManager* keys_;
  RpcMetrics metrics_;
  // Each RPC's series, by the operation it performs, resolved at first
  // use, so that counting a call takes no lock and no allocation.
  absl::flat_hash_map<absl::string_view, std::unique_ptr<Meters>> meters_;
  const std::vector<Cidr> trusted_proxies_;
  RateLimits* limits_;
};

// RunLater's `finish`: called exactly once, with the body's status. It
// shares the call's state (one allocation per call for both, where a
// std::function's closure would be a second), so a copy costs a reference
// count.
class CallRunner::Finish {
 public:
  void operator()(absl::Status status) const;

 private:
  friend class CallRunner;
  struct Pending;
  explicit Finish(std::shared_ptr<Pending> pending)
      : pending_(std::move(pending)) {}
  std::shared_ptr<Pending> pending_;
};

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_CALL_H_
