// The IANA time zone names this system ships (tzdata's zone list).
#ifndef IDENTITY_COMMON_TIME_ZONES_H_
#define IDENTITY_COMMON_TIME_ZONES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace identity {

// OK when `name` is a Zone or Link name of the zone list that tzdata ships
// ($TZDIR/tzdata.zi, /usr/share/zoneinfo/tzdata.zi by default), compared
// exactly. INVALID_ARGUMENT (without a field name) for anything else;
// FAILED_PRECONDITION when the system has no readable zone list. Nothing
// that fails here is loaded or remembered, so unknown names cost no memory.
absl::Status CheckTimeZoneName(absl::string_view name);

}  // namespace identity

#endif  // IDENTITY_COMMON_TIME_ZONES_H_
