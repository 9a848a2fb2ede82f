#include "common/error_reasons.h"

namespace identity::reason {

const std::vector<KnownReason>& KnownReasons() {
  using C = absl::StatusCode;
  static const auto* kReasons = new std::vector<KnownReason>{
      {kInvalidField, C::kInvalidArgument},
      {kControlCharacters, C::kInvalidArgument},
      {kMalformedRequest, C::kInvalidArgument},
      {kPasswordPolicy, C::kInvalidArgument},
      {kInvalidPageToken, C::kInvalidArgument},
      {kLoginFailed, C::kUnauthenticated},
      {kTotpRequired, C::kUnauthenticated},
      {kTotpInvalid, C::kUnauthenticated},
      {kCredentialInvalid, C::kUnauthenticated},
      {kPermissionMissing, C::kPermissionDenied},
      {kOtherOrganization, C::kPermissionDenied},
      {kGlobalRoleRequired, C::kPermissionDenied},
      {kApiKeyScope, C::kPermissionDenied},
      {kTargetHoldsMore, C::kPermissionDenied},
      {kSelfChange, C::kPermissionDenied},
      {kRoleNotGrantable, C::kPermissionDenied},
      {kUntrustedAddress, C::kPermissionDenied},
      {kUserNotFound, C::kNotFound},
      {kOrganizationNotFound, C::kNotFound},
      {kGroupNotFound, C::kNotFound},
      {kRoleNotFound, C::kNotFound},
      {kApiKeyNotFound, C::kNotFound},
      {kSessionNotFound, C::kNotFound},
      {kTotpNotEnrolled, C::kNotFound},
      {kTokenNotFound, C::kNotFound},
      {kTokenExpired, C::kFailedPrecondition},
      {kProviderNotConfigured, C::kNotFound},
      {kUsernameTaken, C::kAlreadyExists},
      {kNameTaken, C::kAlreadyExists},
      {kVersionConflict, C::kAborted},
      {kConcurrentUpdate, C::kAborted},
      {kLastGlobalAdmin, C::kFailedPrecondition},
      {kExternallyManaged, C::kFailedPrecondition},
      {kAccountLocked, C::kFailedPrecondition},
      {kActionRequired, C::kFailedPrecondition},
      {kStillReferenced, C::kFailedPrecondition},
      {kRateLimited, C::kResourceExhausted},
      {kServerBusy, C::kResourceExhausted},
      {kProviderBusy, C::kUnavailable},
      {kProviderUnavailable, C::kUnavailable},
      {kDatabaseUnavailable, C::kUnavailable},
      {kDatabaseTimeout, C::kDeadlineExceeded},
      {kMailUnavailable, C::kUnavailable},
      {kShuttingDown, C::kUnavailable},
  };
  return *kReasons;
}

std::string DefaultReason(absl::StatusCode code) {
  return absl::StatusCodeToString(code);
}

}  // namespace identity::reason
