// Turns libpqxx exceptions into absl::Status at the storage boundary. Messages
// never carry SQL, parameters or server detail; the log gets the SQLSTATE.
#ifndef IDENTITY_STORAGE_PG_ERRORS_H_
#define IDENTITY_STORAGE_PG_ERRORS_H_

#include <exception>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace identity::storage {

// `op` names the store operation for the log. Call from a catch block.
absl::Status TranslateException(absl::string_view op, std::exception_ptr error);

// True when the connection itself failed (it must not be reused).
bool IsConnectionFailure(std::exception_ptr error);

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PG_ERRORS_H_
