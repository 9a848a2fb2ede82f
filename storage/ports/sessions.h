// Login sessions, found by the digest of their token.
#ifndef IDENTITY_STORAGE_PORTS_SESSIONS_H_
#define IDENTITY_STORAGE_PORTS_SESSIONS_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/queries.h"
#include "storage/queries.h"

namespace identity::storage {

class SessionReads {
 public:
  virtual ~SessionReads() = default;

  virtual absl::StatusOr<SessionWithUser> GetSessionByDigest(
      absl::string_view token_digest) = 0;
  virtual absl::StatusOr<Session> GetSession(absl::string_view session_id) = 0;
  // A user's live sessions, newest first.
  virtual absl::StatusOr<std::vector<Session>> ListSessions(
      absl::string_view user_id) = 0;
};

class SessionWrites {
 public:
  virtual ~SessionWrites() = default;

  // Creating a session also clears the user's failed-login count.
  virtual absl::StatusOr<Session> CreateSession(const NewSession& session,
                                                const AuditEntry& audit) = 0;
  virtual absl::Status DeleteSession(absl::string_view session_id,
                                     const AuditEntry& audit) = 0;
  // Records activity for the idle timeout.
  virtual absl::Status TouchSession(absl::string_view session_id) = 0;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PORTS_SESSIONS_H_
