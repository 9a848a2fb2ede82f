// How the calls that validate a credential (ValidateToken, ValidateApiKey,
// CheckPermission, BatchCheckPermissions) answer without holding one of
// gRPC's callback threads (two on a two-core machine, shared by every
// callback call) for a PostgreSQL round trip.
#ifndef IDENTITY_SERVICES_CREDENTIAL_ANSWER_H_
#define IDENTITY_SERVICES_CREDENTIAL_ANSWER_H_

#include <google/protobuf/unknown_field_set.h>

#include <cassert>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/bounded_executor.h"
#include "domain/principal.h"
#include "services/call.h"
#include "services/converters.h"

namespace identity::services {

using PrincipalOr = absl::StatusOr<SharedPrincipal>;

// A principal read from PostgreSQL, in the form memory answers with.
inline PrincipalOr Shared(absl::StatusOr<Principal> read) {
  if (!read.ok()) return read.status();
  return std::make_shared<const Principal>(*std::move(read));
}

// Sets `response`'s principal (its field `principal`) to `principal`.
// The principal is encoded once per shared principal, that is once per
// cached credential, and its bytes are spliced into each answer as that
// field's bytes, rather than copied into a message and encoded again on
// every call. On the wire this is the field itself, and every client reads
// it as one; only this process's `response->principal()` stays empty, and
// nothing may set it as well (a client would merge the two). It takes the
// shared principal: only a principal no one changes any more may keep its
// encoding.
template <typename Response>
void AnswerPrincipal(const SharedPrincipal& principal, Response* response) {
  static_assert(
      std::is_same_v<std::decay_t<decltype(response->principal())>,
                     v1::Principal>,
      "the response's field `principal` must be an identity.v1.Principal");
  assert(!response->has_principal());
  const std::string& encoded = principal->encoded.Get([&principal] {
    v1::Principal message;
    ToProto(*principal, &message);
    return message.SerializeAsString();
  });
  response->GetReflection()->MutableUnknownFields(response)->AddLengthDelimited(
      Response::kPrincipalFieldNumber, encoded);
}

// Runs `respond(validation)` and passes its status to `finish`: on this
// thread when `in_memory` holds the validation (the credential cache
// answered it, looked up once), otherwise after `read()` (a
// StatusOr<Principal>) on `lookups`, whose queue is bounded
// (RESOURCE_EXHAUSTED when full).
template <typename Read, typename Respond>
void AnswerValidation(BoundedExecutor* lookups,
                      std::optional<PrincipalOr> in_memory, Read read,
                      Respond respond, CallRunner::Finish finish) {
  if (in_memory) {
    finish(respond(*std::move(in_memory)));
    return;
  }
  absl::Status queued = lookups->Post(
      [read = std::move(read), respond = std::move(respond), finish] {
        finish(respond(Shared(read())));
      });
  if (!queued.ok()) {
    finish(absl::IsResourceExhausted(queued)
               ? absl::ResourceExhaustedError(
                     "too many credential lookups waiting for the database "
                     "on this server; retry after a short delay")
               : queued);
  }
}

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_CREDENTIAL_ANSWER_H_
