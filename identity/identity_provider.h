// The extension point for where credentials are checked. One implementation
// per user origin (internal/, later ldap/ and saml/), registered by name in
// provider_registry.cc; adding a provider touches no handler.
#ifndef IDENTITY_IDENTITY_IDENTITY_PROVIDER_H_
#define IDENTITY_IDENTITY_IDENTITY_PROVIDER_H_

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/records.h"

namespace identity {

// Wrong credentials are a value; an unreachable directory is an error.
enum class Verdict { kAccepted, kRejected };

class PasswordAuthenticator {
 public:
  virtual ~PasswordAuthenticator() = default;

  // Short lower-case name for logs, metrics and messages ("internal").
  virtual absl::string_view name() const = 0;

  // Checks `password` for a user of this provider's origin. Errors are for
  // failures of the provider itself (UNAVAILABLE when it cannot be reached).
  virtual absl::StatusOr<Verdict> Authenticate(
      const storage::UserCredentials& user, absl::string_view password) = 0;

  // OK when the provider can serve logins now.
  virtual absl::Status Health() { return absl::OkStatus(); }
};

using PasswordAuthenticatorPtr = std::unique_ptr<PasswordAuthenticator>;

}  // namespace identity

#endif  // IDENTITY_IDENTITY_IDENTITY_PROVIDER_H_
