// The stable reasons (google.rpc.ErrorInfo.reason, domain identity.v1) that
// this service's errors carry. A program acts on the reason, never on the
// message. Renaming or dropping one breaks callers; docs/api.md lists them
// all, and a unit test keeps that list, this one and the code in step.
#ifndef IDENTITY_COMMON_ERROR_REASONS_H_
#define IDENTITY_COMMON_ERROR_REASONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace identity::reason {

// Bad input.
inline constexpr absl::string_view kInvalidField = "INVALID_FIELD";
inline constexpr absl::string_view kControlCharacters = "CONTROL_CHARACTERS";
inline constexpr absl::string_view kMalformedRequest = "MALFORMED_REQUEST";
inline constexpr absl::string_view kPasswordPolicy = "PASSWORD_POLICY";
inline constexpr absl::string_view kInvalidPageToken = "INVALID_PAGE_TOKEN";

// Who is calling.
inline constexpr absl::string_view kLoginFailed = "LOGIN_FAILED";
inline constexpr absl::string_view kTotpRequired = "TOTP_REQUIRED";
inline constexpr absl::string_view kTotpInvalid = "TOTP_INVALID";
inline constexpr absl::string_view kCredentialInvalid = "CREDENTIAL_INVALID";

// What the caller may do.
inline constexpr absl::string_view kPermissionMissing = "PERMISSION_MISSING";
inline constexpr absl::string_view kOtherOrganization = "OTHER_ORGANIZATION";
inline constexpr absl::string_view kGlobalRoleRequired = "GLOBAL_ROLE_REQUIRED";
inline constexpr absl::string_view kApiKeyScope = "API_KEY_SCOPE";
inline constexpr absl::string_view kTargetHoldsMore = "TARGET_HOLDS_MORE";
inline constexpr absl::string_view kSelfChange = "SELF_CHANGE";
inline constexpr absl::string_view kRoleNotGrantable = "ROLE_NOT_GRANTABLE";
inline constexpr absl::string_view kUntrustedAddress = "UNTRUSTED_ADDRESS";

// Objects.
inline constexpr absl::string_view kUserNotFound = "USER_NOT_FOUND";
inline constexpr absl::string_view kOrganizationNotFound =
    "ORGANIZATION_NOT_FOUND";
inline constexpr absl::string_view kGroupNotFound = "GROUP_NOT_FOUND";
inline constexpr absl::string_view kRoleNotFound = "ROLE_NOT_FOUND";
inline constexpr absl::string_view kApiKeyNotFound = "API_KEY_NOT_FOUND";
inline constexpr absl::string_view kSessionNotFound = "SESSION_NOT_FOUND";
inline constexpr absl::string_view kTotpNotEnrolled = "TOTP_NOT_ENROLLED";
inline constexpr absl::string_view kTokenNotFound = "TOKEN_NOT_FOUND";
inline constexpr absl::string_view kTokenExpired = "TOKEN_EXPIRED";
inline constexpr absl::string_view kProviderNotConfigured =
    "PROVIDER_NOT_CONFIGURED";
inline constexpr absl::string_view kUsernameTaken = "USERNAME_TAKEN";
inline constexpr absl::string_view kNameTaken = "NAME_TAKEN";
inline constexpr absl::string_view kVersionConflict = "VERSION_CONFLICT";
inline constexpr absl::string_view kConcurrentUpdate = "CONCURRENT_UPDATE";

// State that forbids the change.
inline constexpr absl::string_view kLastGlobalAdmin = "LAST_GLOBAL_ADMIN";
inline constexpr absl::string_view kExternallyManaged = "EXTERNALLY_MANAGED";
inline constexpr absl::string_view kAccountLocked = "ACCOUNT_LOCKED";
inline constexpr absl::string_view kActionRequired = "ACTION_REQUIRED";
inline constexpr absl::string_view kStillReferenced = "STILL_REFERENCED";

// Capacity and dependencies.
inline constexpr absl::string_view kRateLimited = "RATE_LIMITED";
inline constexpr absl::string_view kServerBusy = "SERVER_BUSY";
inline constexpr absl::string_view kProviderBusy = "PROVIDER_BUSY";
inline constexpr absl::string_view kProviderUnavailable =
    "PROVIDER_UNAVAILABLE";
inline constexpr absl::string_view kDatabaseUnavailable =
    "DATABASE_UNAVAILABLE";
inline constexpr absl::string_view kDatabaseTimeout = "DATABASE_TIMEOUT";
inline constexpr absl::string_view kMailUnavailable = "MAIL_UNAVAILABLE";
inline constexpr absl::string_view kShuttingDown = "SHUTTING_DOWN";

// A reason and the status code it comes with.
struct KnownReason {
  absl::string_view reason;
  absl::StatusCode code;
};

// Every reason above with its code.
const std::vector<KnownReason>& KnownReasons();

// The reason of an error made without one: the code's name
// ("INVALID_ARGUMENT", "NOT_FOUND", ...).
std::string DefaultReason(absl::StatusCode code);

}  // namespace identity::reason

#endif  // IDENTITY_COMMON_ERROR_REASONS_H_
