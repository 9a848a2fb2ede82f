// AuthService.CheckPermission and BatchCheckPermissions: the credential in
// the request is validated as ValidateToken and ValidateApiKey validate it
// (from the credential cache), and each (permission, organization) is
// decided by identity::Decide, the function that admits this service's own
// RPCs. An invalid credential is an answer, not an error.
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/cidr.h"
#include "domain/permission_check.h"
#include "domain/operations.h"
#include "services/auth_service.h"
#include "services/converters.h"
#include "services/credential_answer.h"

namespace identity::services {
namespace {

// A batch is answered within one call; 100 decisions take microseconds, and
// the bound keeps a single request from taking more.
constexpr int kMaxChecks = 100;

using Reason = v1::CheckPermissionResponse::Reason;

Reason ReasonOf(Refusal refusal) {
  switch (refusal) {
    case Refusal::kNone:
      return v1::CheckPermissionResponse::REASON_UNSPECIFIED;
    case Refusal::kUnauthenticated:
      return v1::CheckPermissionResponse::UNAUTHENTICATED_CREDENTIAL;
    case Refusal::kOutsideTrustedIps:
      return v1::CheckPermissionResponse::OUTSIDE_TRUSTED_IPS;
    case Refusal::kPasswordChangeRequired:
      return v1::CheckPermissionResponse::PASSWORD_CHANGE_REQUIRED;
    case Refusal::kTermsNotAccepted:
      return v1::CheckPermissionResponse::TERMS_NOT_ACCEPTED;
    case Refusal::kTotpEnrollmentRequired:
      return v1::CheckPermissionResponse::TOTP_ENROLLMENT_REQUIRED;
    case Refusal::kKeyScope:
      return v1::CheckPermissionResponse::KEY_SCOPE;
    case Refusal::kOtherOrganization:
      return v1::CheckPermissionResponse::OTHER_ORGANIZATION;
    default:
      // The rest concern an account or the RPC table (the account holds
      // more than the caller, an unknown method); a permission check on an
      // organization cannot meet them, and would not be allowed if it did.
      return v1::CheckPermissionResponse::NO_PERMISSION;
  }
}

// The request names exactly one non-empty credential and, if any, a client
// address.
template <typename Request>
absl::Status ValidateCredential(const Request& req) {
  switch (req.credential_case()) {
    case Request::kToken:
      if (req.token().empty()) {
        return absl::InvalidArgumentError(
            "token: empty; send the session token to check");
      }
      break;
    case Request::kApiKey:
      if (req.api_key().empty()) {
        return absl::InvalidArgumentError(
            "api_key: empty; send the API key to check");
      }
      break;
    default:
      return absl::InvalidArgumentError(
          "token or api_key: required, the credential to check");
  }
  if (!req.client_ip().empty() && !Cidr::Parse(req.client_ip()).ok()) {
    return absl::InvalidArgumentError(
        "client_ip: must be an IPv4 or IPv6 address");
  }
  return absl::OkStatus();
}

struct Holder {
  SharedPrincipal principal;
  Decision refusal;  // when there is no principal
};

// What a permission check validates its credential with.
struct Validators {
  SessionManager* sessions;
  ApiKeyManager* keys;
  CallRunner* runner;
  BoundedExecutor* lookups;
};

// The holder of the request's credential, validated exactly as
// ValidateToken or ValidateApiKey validate it (from memory, or from
// PostgreSQL on the lookup executor), handed to `respond`; an invalid
// credential is a refusal, not an error, and an invalid API key spends
// ValidateApiKey's failure budget.
template <typename Request, typename Respond>
void Identify(const Validators& v, const grpc::ServerContextBase& ctx,
              const Request& req, Respond respond,
              CallRunner::Finish finish) {
  const bool is_key = req.credential_case() == Request::kApiKey;
  AnswerValidation(
      v.lookups,
      is_key ? v.keys->ValidateFromMemory(req.api_key(), req.client_ip())
             : v.sessions->ValidateFromMemory(req.token()),
      [v, &req, is_key] {
        return is_key ? v.keys->Validate(req.api_key(), req.client_ip())
                      : v.sessions->Validate(req.token());
      },
      [v, &ctx, &req, is_key,
       respond = std::move(respond)](PrincipalOr p) -> absl::Status {
        if (p.ok()) return respond(Holder{*std::move(p), {}});
        absl::StatusOr<Decision> refusal = RefusalOf(p.status());
        if (!refusal.ok()) return refusal.status();  // an outage
        if (is_key) {
          absl::Status budget = v.runner->CountInvalidApiKey(ctx, req);
          if (!budget.ok()) return budget;
        }
        return respond(Holder{nullptr, *std::move(refusal)});
      },
      std::move(finish));
}

// The decision for one query: the holder's refusal when the credential did
// not validate.
Decision Decided(const Holder& holder, const PermissionQuery& query,
                 absl::string_view method) {
  if (!holder.principal) return holder.refusal;
  return identity::CheckPermission(method, *holder.principal, query);
}

template <typename Out>
void Answer(Decision d, Out* out) {
  out->set_allowed(d.allowed());
  out->set_reason(ReasonOf(d.refusal));
  if (!d.allowed()) out->set_message(std::move(d.message));
}

}  // namespace

grpc::ServerUnaryReactor* AuthServiceImpl::CheckPermission(
    grpc::CallbackServerContext* ctx, const v1::CheckPermissionRequest* req,
    v1::CheckPermissionResponse* resp) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  runner_->RunLater(
      ctx, op::kCheckPermission, *req,
      [this, ctx, req, resp](const Caller&, CallRunner::Finish finish) {
        PermissionQuery query{req->permission(), req->organization_id()};
        absl::Status valid = ValidateCredential(*req);
        if (valid.ok()) valid = ValidatePermissionQuery("", query);
        if (!valid.ok()) return finish(valid);
        Identify(
            {sessions_, keys_, runner_, lookups_}, *ctx, *req,
            [resp, query = std::move(query)](const Holder& holder) {
              if (holder.principal) {
                AnswerPrincipal(holder.principal, resp);
              }
              Answer(Decided(holder, query, op::kCheckPermission), resp);
              return absl::OkStatus();
            },
            std::move(finish));
      },
      [reactor](grpc::Status status) { reactor->Finish(std::move(status)); });
  return reactor;
}

namespace {

// The batch's queries, or INVALID_ARGUMENT naming the first wrong field.
absl::StatusOr<std::vector<PermissionQuery>> QueriesOf(
    const v1::BatchCheckPermissionsRequest& req) {
  if (req.checks().empty()) {
    return absl::InvalidArgumentError("checks: at least one required");
  }
  if (req.checks_size() > kMaxChecks) {
    return absl::InvalidArgumentError(
        absl::StrCat("checks: at most ", kMaxChecks, " per call, got ",
                     req.checks_size(), "; split them into batches"));
  }
  std::vector<PermissionQuery> queries;
  queries.reserve(req.checks_size());
  for (int i = 0; i < req.checks_size(); ++i) {
    queries.push_back(
        {req.checks(i).permission(), req.checks(i).organization_id()});
    // The field's name is spelled out only for a query that is wrong.
    if (!ValidatePermissionQuery("", queries.back()).ok()) {
      return ValidatePermissionQuery(absl::StrCat("checks[", i, "]."),
                                     queries.back());
    }
  }
  return queries;
}

}  // namespace

grpc::ServerUnaryReactor* AuthServiceImpl::BatchCheckPermissions(
    grpc::CallbackServerContext* ctx,
    const v1::BatchCheckPermissionsRequest* req,
    v1::BatchCheckPermissionsResponse* resp) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  runner_->RunLater(
      ctx, op::kBatchCheckPermissions, *req,
      [this, ctx, req, resp](const Caller&, CallRunner::Finish finish) {
        absl::Status valid = ValidateCredential(*req);
        if (!valid.ok()) return finish(valid);
        absl::StatusOr<std::vector<PermissionQuery>> queries = QueriesOf(*req);
        if (!queries.ok()) return finish(queries.status());
        Identify(
            {sessions_, keys_, runner_, lookups_}, *ctx, *req,
            [resp, queries = *std::move(queries)](const Holder& holder) {
              if (holder.principal) {
                AnswerPrincipal(holder.principal, resp);
              }
              resp->mutable_results()->Reserve(queries.size());
              if (!holder.principal) {
                for (size_t i = 0; i < queries.size(); ++i) {
                  Answer(holder.refusal, resp->add_results());
                }
                return absl::OkStatus();
              }
              for (Decision& d : CheckPermissions(op::kBatchCheckPermissions,
                                                  *holder.principal, queries)) {
                Answer(std::move(d), resp->add_results());
              }
              return absl::OkStatus();
            },
            std::move(finish));
      },
      [reactor](grpc::Status status) { reactor->Finish(std::move(status)); });
  return reactor;
}

}  // namespace identity::services
