// Failure budgets for the public calls an anonymous caller can repeat
// (Authenticate, CompleteSamlLogin, RegisterUser, AcceptInvitation,
// VerifyEmail, ValidateApiKey): token buckets per client address and per
// target (username, organization), spent only by failures (and by logins
// the organization's directory could not judge), held in memory and so
// counted per replica. A spent budget answers RESOURCE_EXHAUSTED with
// a google.rpc.RetryInfo detail. A success spends nothing, and a valid API
// key is never refused.
#ifndef IDENTITY_SERVICES_RATE_LIMITS_H_
#define IDENTITY_SERVICES_RATE_LIMITS_H_

#include <google/protobuf/message.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/token_buckets.h"

namespace identity::services {

struct RateLimitOptions {
  TokenBuckets::Options address{60, 60, 100000};
  TokenBuckets::Options target{10, 20, 100000};
};

class RateLimits {
 public:
  explicit RateLimits(const RateLimitOptions& options)
      : by_address_(options.address), by_target_(options.target) {}

  // Whether `method` has budgets: the others never need the caller's
  // address, which costs allocations to read.
  static bool Limits(absl::string_view method);
  // Before the call: RESOURCE_EXHAUSTED while the caller's or the target's
  // budget is spent (never for ValidateApiKey, whose valid keys must pass).
  absl::Status Admit(absl::string_view method, const std::string& peer_ip,
                     const google::protobuf::Message& request);
  // After the call: a failure spends a token of each budget. Returns the
  // status to answer: `status`, or for a failed ValidateApiKey over its
  // budget RESOURCE_EXHAUSTED.
  absl::Status Count(absl::string_view method, const std::string& peer_ip,
                     const google::protobuf::Message& request,
                     absl::Status status);
  // ValidateApiKey's budget, for an API key that did not validate in a call
  // that answers the failure as a value (CheckPermission): spends a token of
  // the client's address budget; RESOURCE_EXHAUSTED when it was spent
  // already.
  absl::Status CountInvalidApiKey(const std::string& peer_ip,
                                  const google::protobuf::Message& request);

 private:
  TokenBuckets by_address_;
  TokenBuckets by_target_;
};

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_RATE_LIMITS_H_
