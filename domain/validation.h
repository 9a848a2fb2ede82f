// Field checks shared by the operations. Each returns INVALID_ARGUMENT with a
// message that starts with the field name and says what to fix.
#ifndef IDENTITY_DOMAIN_VALIDATION_H_
#define IDENTITY_DOMAIN_VALIDATION_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace identity {

absl::Status ValidateId(absl::string_view field, absl::string_view value);
absl::Status ValidateUsername(absl::string_view value);
// An empty email passes unless `required`.
absl::Status ValidateEmail(absl::string_view value, bool required);
absl::Status ValidateDisplayName(absl::string_view value);
absl::Status ValidateImageUrl(absl::string_view value);
absl::Status ValidateTimeZone(absl::string_view value);
absl::Status ValidateOrganizationName(absl::string_view value);
absl::Status ValidatePrimaryRole(absl::string_view value);
// page_size 0 means `fallback`; the result is in [1, 500].
absl::Status ValidatePageSize(int page_size, int fallback, int* out);

}  // namespace identity

#endif  // IDENTITY_DOMAIN_VALIDATION_H_
