#include "services/call.h"

#include <array>
#include <atomic>

#include "absl/base/call_once.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/error_info.h"
#include "common/log.h"
#include "domain/authorizer.h"
#include "domain/credential_format.h"
#include "domain/operations.h"
#include "services/grpc_status.h"
#include "services/request_text.h"
#include "services/rpc_operations.h"

namespace identity::services {
namespace {

std::string RequestId(const grpc::ServerContextBase& ctx) {
  auto it = ctx.client_metadata().find("x-request-id");
  if (it != ctx.client_metadata().end() && it->second.size() <= 128) {
    std::string id(it->second.data(), it->second.size());
    bool printable = true;
    for (char c : id)
      printable &= absl::ascii_isgraph(static_cast<unsigned char>(c));
    if (printable) return id;
  }
  return "";
}

}  // namespace

std::optional<std::string> BearerToken(const grpc::ServerContextBase& ctx) {
  auto it = ctx.client_metadata().find("authorization");
  if (it == ctx.client_metadata().end()) return std::nullopt;
  absl::string_view value(it->second.data(), it->second.size());
  constexpr absl::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kScheme.size()), kScheme)) {
    return std::nullopt;
  }
  return std::string(absl::StripAsciiWhitespace(value.substr(kScheme.size())));
}

std::string ClientCertificateName(const grpc::ServerContextBase& ctx) {
  std::shared_ptr<const grpc::AuthContext> auth = ctx.auth_context();
  if (auth == nullptr) return "";
  std::vector<grpc::string_ref> names =
      auth->FindPropertyValues("x509_common_name");
  if (names.empty()) return "";
  return std::string(names.front().data(), names.front().size());
}

// gRPC's status codes are 0 (OK) to 16 (UNAUTHENTICATED).
constexpr int kStatusCodes = 17;

// What the runner keeps per RPC, found with one lookup per call: the
// operation's row in the authorization table and the RPC's series.
struct CallRunner::Meters {
  absl::string_view method;  // the RPC, "/identity.v1.X/Y"
  std::string name;          // without the leading slash: "identity.v1.X/Y"
  const OperationRule* rule = nullptr;  // null: the operation has no row
  std::array<std::atomic<prometheus::CounterFamily::Cell*>, kStatusCodes>
      by_code{};
  std::atomic<prometheus::HistogramFamily::Cell*> duration{nullptr};
};

namespace {

// The series `resolve()` gives, resolved at a method's first call: a method
// never called shows no series, as before. Two first calls may both
// resolve it; the family gives both the same series.
template <typename Cell, typename Resolve>
Cell* Resolved(std::atomic<Cell*>& slot, const Resolve& resolve) {
  Cell* cell = slot.load(std::memory_order_acquire);
  if (cell == nullptr) {
    cell = resolve();
    slot.store(cell, std::memory_order_release);
  }
  return cell;
}

}  // namespace

CallRunner::CallRunner(SessionManager* sessions, ApiKeyManager* keys,
                       RpcMetrics metrics, std::vector<Cidr> trusted_proxies,
                       RateLimits* limits)
    : sessions_(sessions),
      keys_(keys),
      metrics_(metrics),
      trusted_proxies_(std::move(trusted_proxies)),
      limits_(limits) {
  for (const RpcOperation& rpc : RpcOperations()) {
    auto meters = std::make_unique<Meters>();
    meters->method = rpc.method;
    meters->name = std::string(absl::StripPrefix(rpc.method, "/"));
    meters->rule = FindOperationRule(rpc.operation);
    meters_[rpc.operation] = std::move(meters);
  }
}

CallRunner::~CallRunner() = default;

CallRunner::Meters* CallRunner::MetersOf(absl::string_view operation) const {
  auto it = meters_.find(operation);
  return it == meters_.end() ? nullptr : it->second.get();
}

void CallRunner::Measure(absl::string_view operation, Meters* meters,
                         absl::StatusCode code, absl::Duration took) {
  const double seconds = absl::ToDoubleSeconds(took);
  const int index = static_cast<int>(code);
  if (meters == nullptr || index < 0 || index >= kStatusCodes) {
    // No RPC performs it (refused as unknown): counted the slow way.
    const std::string name(operation);
    const std::string code_name = absl::StatusCodeToString(code);
    if (metrics_.requests) metrics_.requests->Inc({name, code_name});
    if (metrics_.duration) metrics_.duration->Observe({name}, seconds);
    return;
  }
  Meters& m = *meters;
  if (metrics_.requests) {
    Resolved(m.by_code[index], [&] {
      return metrics_.requests->CellFor(
          {m.name, absl::StatusCodeToString(code)});
    })->Inc();
  }
  if (metrics_.duration) {
    Resolved(m.duration, [&] {
      return metrics_.duration->CellFor({m.name});
    })->Observe(seconds);
  }
}

absl::StatusOr<Principal> CallRunner::Authenticate(
    const std::string& credential, absl::string_view client_ip) {
  if (IsApiKeyFormat(credential)) return keys_->Validate(credential, client_ip);
  return sessions_->Validate(credential);
}

std::string CallRunner::ClientAddress(
    const grpc::ServerContextBase& ctx) const {
  return ClientAddress(ctx, PeerIp(ctx.peer()));
}

std::string CallRunner::ClientAddress(const grpc::ServerContextBase& ctx,
                                      absl::string_view peer_ip) const {
  // gRPC builds a call's header map on its first reading, and the header
  // counts only from a trusted proxy: from anyone else it is not read.
  if (!IsTrustedProxy(peer_ip, trusted_proxies_)) return std::string(peer_ip);
  std::vector<absl::string_view> forwarded;
  auto [begin, end] = ctx.client_metadata().equal_range("x-forwarded-for");
  for (auto it = begin; it != end; ++it) {
    forwarded.emplace_back(it->second.data(), it->second.size());
  }
  return ClientIp(peer_ip, forwarded, trusted_proxies_);
}

// One call's state from Open to Close. `caller.principal` points into it,
// and `caller`'s peer is read through it.
class CallRunner::Call final : public PeerSource {
 public:
  Call(const CallRunner& runner, const grpc::ServerContextBase& ctx)
      : runner_(runner), ctx_(ctx) {}
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;

  // The client's IP address: the peer's, or behind a trusted proxy the one
  // it names. Both are read on first use: gRPC copies the peer out with two
  // allocations, and a validation answered from memory, with no failure
  // budget and no access line, never needs them.
  const std::string& ClientIp() const {
    Learn();
    return client_ip_;
  }
  // "ipv4:203.0.113.7:41234", or behind a trusted proxy
  // "198.51.100.4 via ipv4:10.0.0.2:5000".
  const std::string& Peer() const override {
    Learn();
    return peer_;
  }

  absl::Time start;
  Meters* meters = nullptr;  // null: no RPC performs the operation
  Caller caller{nullptr, this};
  std::optional<Principal> principal;

 private:
  // Once: a body may hand the caller to work on another thread.
  void Learn() const {
    absl::call_once(learned_, [this] {
      peer_ = ctx_.peer();
      const std::string peer_ip = PeerIp(peer_);
      client_ip_ = runner_.ClientAddress(ctx_, peer_ip);
      if (client_ip_ != peer_ip) {
        // Behind a trusted proxy: the audit log and sessions show both.
        peer_ = absl::StrCat(client_ip_.empty() ? "unknown" : client_ip_,
                             " via ", peer_);
      }
    });
  }

  const CallRunner& runner_;
  const grpc::ServerContextBase& ctx_;
  mutable absl::once_flag learned_;
  mutable std::string peer_;
  mutable std::string client_ip_;
};

grpc::Status CallRunner::Run(
    grpc::ServerContextBase* ctx, absl::string_view operation,
    const google::protobuf::Message& request,
    absl::FunctionRef<absl::Status(const Caller&)> body) {
  Call call(*this, *ctx);
  absl::Status status = Open(ctx, operation, request, &call);
  if (status.ok()) status = body(call.caller);
  return Close(ctx, operation, request, &call, std::move(status));
}

// A call RunLater has opened, until its body finishes.
struct CallRunner::Finish::Pending {
  Pending(CallRunner* runner, grpc::ServerContextBase* ctx,
          absl::string_view operation, const google::protobuf::Message* request,
          std::function<void(grpc::Status)> done)
      : runner(runner),
        ctx(ctx),
        operation(operation),
        request(request),
        done(std::move(done)),
        call(*runner, *ctx) {}

  CallRunner* runner;
  grpc::ServerContextBase* ctx;
  absl::string_view operation;
  const google::protobuf::Message* request;
  std::function<void(grpc::Status)> done;
  Call call;
};

void CallRunner::Finish::operator()(absl::Status status) const {
  Pending& p = *pending_;
  p.done(p.runner->Close(p.ctx, p.operation, *p.request, &p.call,
                         std::move(status)));
}

void CallRunner::RunLater(grpc::ServerContextBase* ctx,
                          absl::string_view operation,
                          const google::protobuf::Message& request,
                          absl::FunctionRef<void(const Caller&, Finish)> start,
                          std::function<void(grpc::Status)> done) {
  Finish finish(std::make_shared<Finish::Pending>(this, ctx, operation,
                                                  &request, std::move(done)));
  Call& call = finish.pending_->call;  // lives as long as a copy of finish
  absl::Status status = Open(ctx, operation, request, &call);
  if (!status.ok()) return finish(std::move(status));
  start(call.caller, std::move(finish));
}

absl::Status CallRunner::Open(grpc::ServerContextBase* ctx,
                              absl::string_view operation,
                              const google::protobuf::Message& request,
                              Call* call) {
  call->start = absl::Now();
  Caller& caller = call->caller;
  std::optional<Principal>& principal = call->principal;
  absl::Status status = RefuseControlCharacters(request);
  call->meters = MetersOf(operation);
  const OperationRule* rule = call->meters != nullptr
                                  ? call->meters->rule
                                  : FindOperationRule(operation);
  if (status.ok() && rule != nullptr && rule->scope != Scope::kPublic) {
    if (std::optional<std::string> token = BearerToken(*ctx)) {
      absl::StatusOr<Principal> p = Authenticate(*token, call->ClientIp());
      if (p.ok()) {
        principal = *std::move(p);
      } else if (!absl::IsUnauthenticated(p.status())) {
        status = p.status();  // database unavailable, untrusted client IP
      }
    }
  }
  if (principal) caller.principal = &*principal;
  // Pending steps (a password change, Terms of Use) are part of the
  // decision; Admit answers an operation missing from the table.
  if (status.ok()) {
    status = rule != nullptr
                 ? Decide(*rule, caller.principal, nullptr).ToStatus()
                 : Admit(operation, caller.principal);
  }
  // Budgets are kept per client: behind a trusted proxy, the client it names.
  if (status.ok() && limits_ && RateLimits::Limits(operation))
    status = limits_->Admit(operation, call->ClientIp(), request);
  return status;
}

grpc::Status CallRunner::Close(grpc::ServerContextBase* ctx,
                               absl::string_view operation,
                               const google::protobuf::Message& request,
                               Call* call, absl::Status status) {
  const std::optional<Principal>& principal = call->principal;
  if (limits_ && RateLimits::Limits(operation))
    status = limits_->Count(operation, call->ClientIp(), request, status);

  const absl::Duration took = absl::Now() - call->start;
  Meters* meters = call->meters;
  Measure(operation, meters, status.code(), took);
  // The access line's fields (the TLS peer's name above all) cost an
  // allocation or more each: gathered only when the line is written.
  if (!log::Enabled(log::Level::kInfo)) return ToGrpcStatus(status);
  log::Info("rpc", {{"method", meters ? meters->method : operation},
                    {"code", absl::StatusCodeToString(status.code())},
                    {"ms", absl::StrCat(absl::ToDoubleMilliseconds(took))},
                    {"peer", call->caller.peer()},
                    {"user_id", principal ? principal->user.id : ""},
                    {"request_id", RequestId(*ctx)},
                    {"client_cert", ClientCertificateName(*ctx)}});
  return ToGrpcStatus(status);
}

absl::Status CallRunner::Readmit(
    const StreamCredential& credential, absl::string_view operation,
    const std::function<absl::Status(const Principal&)>& check) {
  const std::optional<std::string>& token = credential.token;
  if (!token) return Admit(operation, nullptr);
  absl::StatusOr<Principal> principal =
      Authenticate(*token, credential.client_ip);
  if (!principal.ok()) {
    // Revoked, expired, disabled: the same answer as a new call would get.
    if (absl::IsUnauthenticated(principal.status())) {
      return Admit(operation, nullptr);
    }
    return principal.status();
  }
  // Pending steps (a password change, Terms of Use) are part of Admit.
  absl::Status status = Admit(operation, &*principal);
  if (status.ok()) status = check(*principal);
  return status;
}

}  // namespace identity::services
