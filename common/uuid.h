#ifndef IDENTITY_COMMON_UUID_H_
#define IDENTITY_COMMON_UUID_H_

#include "absl/strings/string_view.h"

namespace identity {

// True for the canonical 8-4-4-4-12 hexadecimal form, any case.
bool IsUuid(absl::string_view text);

}  // namespace identity

#endif  // IDENTITY_COMMON_UUID_H_
