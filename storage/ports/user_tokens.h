// Onboarding: single-use tokens for invitations and email verification,
// accepting the terms of use, and expiring self-registrations.
#ifndef IDENTITY_STORAGE_PORTS_USER_TOKENS_H_
#define IDENTITY_STORAGE_PORTS_USER_TOKENS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "storage/queries.h"

namespace identity::storage {

class UserTokens {
 public:
  virtual ~UserTokens() = default;

  // Single-use tokens for invitations and email verification. Issuing one
  // voids the user's earlier tokens of the same purpose.
  virtual absl::Status IssueUserToken(absl::string_view user_id,
                                      TokenPurpose purpose,
                                      absl::string_view token_digest,
                                      absl::Time expires_at,
                                      const AuditEntry& audit) = 0;
  // The user a live token belongs to, without using it: NOT_FOUND for an
  // unknown, used or voided token, FAILED_PRECONDITION for an expired one.
  virtual absl::StatusOr<User> PeekUserToken(absl::string_view token_digest,
                                             TokenPurpose purpose) = 0;
  // Uses a token: NOT_FOUND for an unknown, used or voided one,
  // FAILED_PRECONDITION for an expired one (left as it is). On success the
  // user stops being pending, gets `password_hash` when not empty, and
  // `audit` is written.
  virtual absl::StatusOr<User> RedeemUserToken(absl::string_view token_digest,
                                               TokenPurpose purpose,
                                               absl::string_view password_hash,
                                               const AuditEntry& audit) = 0;
  virtual absl::StatusOr<User> AcceptTerms(absl::string_view user_id,
                                           absl::string_view version,
                                           const AuditEntry& audit) = 0;
  // Deletes up to `limit` self-registrations past registration_expires_at,
  // each with a "registration.expire" audit event; returns how many.
  virtual absl::StatusOr<int64_t> PurgeExpiredRegistrations(int limit) = 0;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PORTS_USER_TOKENS_H_
