#include "services/rate_limits.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/error_info.h"
#include "domain/operations.h"

namespace identity::services {
namespace {

// The caller's answer says what it got wrong; an outage or overload on our
// side is not the caller's failure and spends nothing.
bool CallerFailure(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kOutOfRange:
      return true;
    default:
      return false;
  }
}

std::string StringField(const google::protobuf::Message& m, const char* name) {
  const google::protobuf::FieldDescriptor* f =
      m.GetDescriptor()->FindFieldByName(name);
  if (f == nullptr ||
      f->type() != google::protobuf::FieldDescriptor::TYPE_STRING ||
      f->is_repeated()) {
    return "";
  }
  return m.GetReflection()->GetString(m, f);
}

// ValidateApiKey is called by a backend for its own client, whose address
// it passes along; every other limited call comes from the client itself.
std::string AddressKey(const std::string& peer_ip,
                       const google::protobuf::Message& request) {
  std::string client = StringField(request, "client_ip");
  return client.empty() ? peer_ip : client;
}

// The account or organization the call aims at, "" when it names none.
// A login its provider refused without judging it: the organization's
// directory timed out, its circuit is open, or its fence is full. Not the
// caller's failure, but a retry cannot succeed until the directory
// recovers, and each costs a user lookup: it spends both budgets as a
// failure does, so a caller retrying in a loop is told to back off. (The
// address's too: a fresh username would otherwise make a new target bucket
// at no cost to its sender, and enough of them evict the buckets of names
// under attack.)
bool ProviderRefused(absl::string_view method, const absl::Status& s) {
  if (method != op::kAuthenticate || !absl::IsUnavailable(s)) return false;
  const std::string why = ErrorReason(s);
  return why == reason::kProviderUnavailable || why == reason::kProviderBusy;
}

std::string TargetKey(const google::protobuf::Message& request) {
  if (std::string user = StringField(request, "username"); !user.empty()) {
    return "user:" + absl::AsciiStrToLower(user);
  }
  if (std::string org = StringField(request, "organization_id"); !org.empty()) {
    return "org:" + org;
  }
  return "";
}

absl::Status Exhausted(absl::string_view what, absl::Duration wait) {
  wait = absl::Ceil(wait, absl::Seconds(1));
  absl::Status s = absl::ResourceExhaustedError(
      absl::StrCat("too many failed attempts from this ", what,
                   "; retry after ", absl::ToInt64Seconds(wait), " s"));
  s = WithReason(std::move(s), reason::kRateLimited, {{"limit", what}});
  return WithRetryDelay(std::move(s), wait);
}

}  // namespace

bool RateLimits::Limits(absl::string_view method) {
  for (absl::string_view m :
       {op::kAuthenticate, op::kCompleteSamlLogin, op::kRegisterUser,
        op::kAcceptInvitation, op::kVerifyEmail, op::kValidateApiKey}) {
    if (method == m) return true;
  }
  return false;
}

absl::Status RateLimits::Admit(absl::string_view method,
                               const std::string& peer_ip,
                               const google::protobuf::Message& request) {
  if (!Limits(method) || method == op::kValidateApiKey) {
    return absl::OkStatus();
  }
  const absl::Time now = absl::Now();
  const std::string address = AddressKey(peer_ip, request);
  if (!address.empty()) {
    absl::Duration wait = by_address_.Wait(address, now);
    if (wait > absl::ZeroDuration()) return Exhausted("address", wait);
  }
  if (std::string target = TargetKey(request); !target.empty()) {
    absl::Duration wait = by_target_.Wait(target, now);
    if (wait > absl::ZeroDuration()) {
      return Exhausted(
          absl::StartsWith(target, "user:") ? "username" : "organization",
          wait);
    }
  }
  return absl::OkStatus();
}

absl::Status RateLimits::Count(absl::string_view method,
                               const std::string& peer_ip,
                               const google::protobuf::Message& request,
                               absl::Status status) {
  if (!Limits(method)) return status;
  if (!CallerFailure(status) && !ProviderRefused(method, status)) {
    return status;
  }
  const absl::Time now = absl::Now();
  if (method == op::kValidateApiKey) {
    absl::Status over = CountInvalidApiKey(peer_ip, request);
    return over.ok() ? status : over;
  }
  const std::string address = AddressKey(peer_ip, request);
  if (!address.empty()) by_address_.Take(address, now);
  if (std::string target = TargetKey(request); !target.empty()) {
    by_target_.Take(target, now);
  }
  return status;
}

absl::Status RateLimits::CountInvalidApiKey(
    const std::string& peer_ip, const google::protobuf::Message& request) {
  const std::string address = AddressKey(peer_ip, request);
  if (address.empty()) return absl::OkStatus();
  // Refused after the lookup rather than before, so that a valid key is
  // never refused; a client whose failures pile up is told to back off.
  const absl::Time now = absl::Now();
  absl::Duration wait = by_address_.Wait(address, now);
  by_address_.Take(address, now);
  if (wait > absl::ZeroDuration()) return Exhausted("address", wait);
  return absl::OkStatus();
}

}  // namespace identity::services
