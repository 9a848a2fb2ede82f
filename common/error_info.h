// Machine-readable errors (Google AIP-193): the code that makes an error
// attaches its reason, metadata and field violations to the absl::Status as
// payloads keyed by their type URL, each the serialized google.rpc message.
// The one absl::Status -> grpc::Status conversion sends them as the
// google.rpc.Status details of the answer.
#ifndef IDENTITY_COMMON_ERROR_INFO_H_
#define IDENTITY_COMMON_ERROR_INFO_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/error_reasons.h"

namespace identity {

inline constexpr absl::string_view kErrorDomain = "identity.v1";
inline constexpr absl::string_view kErrorInfoType =
    "type.googleapis.com/google.rpc.ErrorInfo";
inline constexpr absl::string_view kBadRequestType =
    "type.googleapis.com/google.rpc.BadRequest";
inline constexpr absl::string_view kRetryInfoType =
    "type.googleapis.com/google.rpc.RetryInfo";

using ErrorMetadata =
    std::initializer_list<std::pair<absl::string_view, absl::string_view>>;

// `status` with its google.rpc.ErrorInfo set to `reason` in domain
// identity.v1 with `metadata` (replacing any earlier one). Metadata is for
// programs: keys that could name a secret (password, secret, token, hash,
// credential, key material) and values with line breaks are left out, and
// values are cut at 200 bytes, so a secret, a hash or a stack trace never
// travels this way. An OK status stays OK.
absl::Status WithReason(absl::Status status, absl::string_view reason,
                        ErrorMetadata metadata = {});

// `status` with one more google.rpc.BadRequest field violation.
absl::Status WithFieldViolation(absl::Status status, absl::string_view field,
                                absl::string_view description);

// `status` with a google.rpc.RetryInfo: wait `delay` before retrying.
absl::Status WithRetryDelay(absl::Status status, absl::Duration delay);

// INVALID_ARGUMENT "<field>: <what>" whose ErrorInfo names the field and
// whose BadRequest has that one field violation.
absl::Status InvalidFieldError(
    absl::string_view field, absl::string_view what,
    absl::string_view reason = reason::kInvalidField);

// The reason `status` carries, "" when none was attached.
std::string ErrorReason(const absl::Status& status);

}  // namespace identity

#endif  // IDENTITY_COMMON_ERROR_INFO_H_
