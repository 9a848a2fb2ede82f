// Text a person could not type is refused before a request reaches any
// handler: one walk over every string field of every request (read from the
// request's encoding when it is small and all plain, by reflection
// otherwise), so that no lookup, log line, audit row or C string API ever
// sees a NUL or another control character (a NUL once cut a username in a
// query parameter and kept a failed login from being counted).
#ifndef IDENTITY_SERVICES_REQUEST_TEXT_H_
#define IDENTITY_SERVICES_REQUEST_TEXT_H_

#include <google/protobuf/message.h>

#include "absl/status/status.h"

namespace identity::services {

// INVALID_ARGUMENT naming the first field (as a path, e.g.
// "ldap.group_role_mappings[1].group") that holds a C0 control character,
// DEL or a C1 control character. Fields that carry documents (PEM, XML, a
// posted SAMLResponse, descriptions) may hold tab, CR and LF; passwords may
// hold any character but NUL; NUL is refused everywhere. Bytes fields are not
// text and are not looked at.
absl::Status RefuseControlCharacters(const google::protobuf::Message& request);

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_REQUEST_TEXT_H_
