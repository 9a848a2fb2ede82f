#include "domain/validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/error_info.h"
#include "common/time_zones.h"
#include "common/uuid.h"
#include "domain/roles.h"

namespace identity {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view what) {
  return InvalidFieldError(field, what);
}

bool HasControl(absl::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

bool IsValidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = s[i];
    size_t extra;
    if (c < 0x80) {
      extra = 0;
    } else if ((c >> 5) == 0x6) {
      extra = 1;
    } else if ((c >> 4) == 0xE) {
      extra = 2;
    } else if ((c >> 3) == 0x1E) {
      extra = 3;
    } else {
      return false;
    }
    if (s.size() - i < extra + 1) return false;
    for (size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    i += extra + 1;
  }
  return true;
}

absl::Status Text(absl::string_view field, absl::string_view value,
                  size_t min, size_t max) {
  if (value.size() < min) {
    return Invalid(field, min == 1 ? "required"
                                   : absl::StrCat("must be at least ", min,
                                                  " characters"));
  }
  if (value.size() > max) {
    return Invalid(field, absl::StrCat("must be at most ", max, " bytes"));
  }
  if (HasControl(value) || !IsValidUtf8(value)) {
    return Invalid(field, "must be valid UTF-8 without control characters");
  }
  if (absl::StripAsciiWhitespace(value).size() != value.size()) {
    return Invalid(field, "must not start or end with white space");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateId(absl::string_view field, absl::string_view value) {
  if (value.empty()) return Invalid(field, "required");
  if (!IsUuid(value)) return Invalid(field, "must be a UUID");
  return absl::OkStatus();
}

absl::Status ValidateUsername(absl::string_view value) {
  absl::Status s = Text("username", value, 3, 254);
  if (!s.ok()) return s;
  for (char c : value) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      return Invalid("username", "must not contain white space");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateEmail(absl::string_view value, bool required) {
  if (value.empty()) {
    return required ? Invalid("email", "required") : absl::OkStatus();
  }
  absl::Status s = Text("email", value, 3, 254);
  if (!s.ok()) return s;
  const size_t at = value.rfind('@');
  if (at == absl::string_view::npos || at == 0 || at + 1 == value.size() ||
      !absl::StrContains(value.substr(at + 1), ".") ||
      absl::StrContains(value, " ")) {
    return Invalid("email", "must look like name@example.com");
  }
  return absl::OkStatus();
}

absl::Status ValidateDisplayName(absl::string_view value) {
  if (value.empty()) return absl::OkStatus();
  return Text("display_name", value, 1, 200);
}

absl::Status ValidateImageUrl(absl::string_view value) {
  if (value.empty()) return absl::OkStatus();
  absl::Status s = Text("image_url", value, 1, 2048);
  if (!s.ok()) return s;
  if (!absl::StartsWith(value, "https://") &&
      !absl::StartsWith(value, "http://")) {
    return Invalid("image_url", "must be an http:// or https:// URL");
  }
  return absl::OkStatus();
}

// Only names in the shipped zone list reach absl::LoadTimeZone: it would
// also load file paths and fixed offsets, and it keeps every name it was
// asked about, failed ones too (measured: 144 bytes per unknown name).
absl::Status ValidateTimeZone(absl::string_view value) {
  if (value.empty()) return absl::OkStatus();
  absl::Status listed = CheckTimeZoneName(value);
  absl::TimeZone tz;
  if (listed.ok() && !absl::LoadTimeZone(std::string(value), &tz)) {
    listed = absl::InvalidArgumentError("listed but cannot be loaded");
  }
  if (absl::IsInvalidArgument(listed)) {
    return Invalid("time_zone",
                   "must be an IANA time zone name such as Europe/Berlin");
  }
  if (!listed.ok()) {
    return absl::Status(listed.code(),
                        absl::StrCat("time_zone: ", listed.message()));
  }
  return absl::OkStatus();
}

absl::Status ValidateOrganizationName(absl::string_view value) {
  return Text("name", value, 1, 200);
}

absl::Status ValidatePrimaryRole(absl::string_view value) {
  if (value.empty()) return Invalid("primary_role", "required");
  if (!IsPrimaryRole(value)) {
    return Invalid("primary_role",
                   absl::StrCat("must be one of ", PrimaryRoleChoices()));
  }
  return absl::OkStatus();
}

absl::Status ValidatePageSize(int page_size, int fallback, int* out) {
  if (page_size < 0 || page_size > 500) {
    return Invalid("page_size", "must be between 0 and 500 (0: default)");
  }
  *out = page_size == 0 ? fallback : page_size;
  return absl::OkStatus();
}

}  // namespace identity
