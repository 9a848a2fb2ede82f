#include "services/call.h"

#include "identity/credential_format.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "identity/authorizer.h"
#include "identity/rpc_names.h"
#include "services/grpc_status.h"
#include "services/request_text.h"

namespace identity::services {
namespace {

std::string RequestId(const grpc::ServerContextBase& ctx) {
  auto it = ctx.client_metadata().find("x-request-id");
  if (it != ctx.client_metadata().end() && it->second.size() <= 128) {
    std::string id(it->second.data(), it->second.size());
    bool printable = true;
    for (char c : id) printable &= absl::ascii_isgraph(static_cast<unsigned char>(c));
    if (printable) return id;
  }
  return "";
}

// While a step such as a password change is pending, a credential reaches
// only the RPCs that complete it or that a client needs to show it.
absl::Status RequireNoPendingActions(absl::string_view method,
                                     const Principal& principal) {
  if (principal.required_actions.empty()) return absl::OkStatus();
  for (absl::string_view allowed :
       {rpc::kChangePassword, rpc::kAcceptTermsOfUse, rpc::kEnrollTotp,
        rpc::kConfirmTotp, rpc::kGetCurrentUser, rpc::kLogout,
        rpc::kValidateToken}) {
    if (method == allowed) return absl::OkStatus();
  }
  std::vector<std::string> steps;
  for (const std::string& action : principal.required_actions) {
    steps.push_back(
        action == kChangePassword ? "CHANGE_PASSWORD (call ChangePassword)"
        : action == kEnrollTotp
            ? "ENROLL_TOTP (call EnrollTotp, then ConfirmTotp)"
            : "ACCEPT_TERMS_OF_USE (call AcceptTermsOfUse)");
  }
  return absl::FailedPreconditionError(
      absl::StrCat("this session must first complete: ",
                   absl::StrJoin(steps, ", ")));
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
  std::vector<grpc::string_ref> names = auth->FindPropertyValues("x509_common_name");
  if (names.empty()) return "";
  return std::string(names.front().data(), names.front().size());
}

absl::StatusOr<Principal> CallRunner::Authenticate(
    const std::string& credential, absl::string_view client_ip) {
  if (IsApiKeyFormat(credential)) return keys_->Validate(credential, client_ip);
  return sessions_->Validate(credential);
}

std::string CallRunner::ClientAddress(
    const grpc::ServerContextBase& ctx) const {
  std::vector<absl::string_view> forwarded;
  auto [begin, end] = ctx.client_metadata().equal_range("x-forwarded-for");
  for (auto it = begin; it != end; ++it) {
    forwarded.emplace_back(it->second.data(), it->second.size());
  }
  return ClientIp(PeerIp(ctx.peer()), forwarded, trusted_proxies_);
}

grpc::Status CallRunner::Run(
    grpc::ServerContextBase* ctx, absl::string_view method,
    const google::protobuf::Message& request,
    const std::function<absl::Status(const Caller&)>& body) {
  const absl::Time start = absl::Now();
  Caller caller;
  caller.peer = ctx->peer();
  const std::string client_ip = ClientAddress(*ctx);
  if (client_ip != PeerIp(caller.peer)) {
    // Behind a trusted proxy: the audit log and sessions show both.
    caller.peer = absl::StrCat(client_ip.empty() ? "unknown" : client_ip,
                               " via ", caller.peer);
  }
  std::optional<Principal> principal;
  absl::Status status = RefuseControlCharacters(request);
  const RpcRule* rule = FindRpcRule(method);
  if (status.ok() && rule != nullptr && rule->scope != Scope::kPublic) {
    if (std::optional<std::string> token = BearerToken(*ctx)) {
      absl::StatusOr<Principal> p = Authenticate(*token, client_ip);
      if (p.ok()) {
        principal = *std::move(p);
      } else if (!absl::IsUnauthenticated(p.status())) {
        status = p.status();  // database unavailable, untrusted client IP
      }
    }
  }
  if (principal) caller.principal = &*principal;
  if (status.ok() && principal) status = RequireNoPendingActions(method, *principal);
  if (status.ok()) status = Admit(method, caller.principal);
  // Budgets are kept per client: behind a trusted proxy, the client it names.
  if (status.ok() && limits_) status = limits_->Admit(method, client_ip, request);
  if (status.ok()) status = body(caller);
  if (limits_) status = limits_->Count(method, client_ip, request, status);

  const absl::Duration took = absl::Now() - start;
  const std::string code = absl::StatusCodeToString(status.code());
  // Metrics name the method without its leading slash: "identity.v1.X/Y".
  const std::string name(absl::StripPrefix(method, "/"));
  if (metrics_.requests) metrics_.requests->Inc({name, code});
  if (metrics_.duration) {
    metrics_.duration->Observe({name}, absl::ToDoubleSeconds(took));
  }
  log::Info("rpc", {{"method", method},
                    {"code", code},
                    {"ms", absl::StrCat(absl::ToDoubleMilliseconds(took))},
                    {"peer", caller.peer},
                    {"user_id", principal ? principal->user.id : ""},
                    {"request_id", RequestId(*ctx)},
                    {"client_cert", ClientCertificateName(*ctx)}});
  return ToGrpcStatus(status);
}

absl::Status CallRunner::Readmit(
    const grpc::ServerContextBase& ctx, absl::string_view method,
    const std::function<absl::Status(const Principal&)>& check) {
  std::optional<std::string> token = BearerToken(ctx);
  if (!token) return Admit(method, nullptr);
  absl::StatusOr<Principal> principal = Authenticate(*token, ClientAddress(ctx));
  if (!principal.ok()) {
    // Revoked, expired, disabled: the same answer as a new call would get.
    if (absl::IsUnauthenticated(principal.status())) {
      return Admit(method, nullptr);
    }
    return principal.status();
  }
  absl::Status status = RequireNoPendingActions(method, *principal);
  if (status.ok()) status = Admit(method, &*principal);
  if (status.ok()) status = check(*principal);
  return status;
}

}  // namespace identity::services
