// Logins run here, off gRPC's threads, in two lanes of bounded executors:
// each login first takes the local lane, which reads who judges it (the
// user by name, or the organization whose directory serves a new name);
// one judged here (a password hash, on the hash pool) stays there, one a
// directory judges moves on to the directory lane, where it waits behind
// its organization's fence. Wrong-password floods and hung directories
// thus hold different threads, and neither kind holds one of the RPC
// threads that every other call needs. Every queue is bounded: a lane that
// is full answers RESOURCE_EXHAUSTED at once.
#ifndef IDENTITY_APPLICATION_SESSIONS_LOGIN_LANES_H_
#define IDENTITY_APPLICATION_SESSIONS_LOGIN_LANES_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "common/bounded_executor.h"
#include "domain/principal.h"
#include "application/sessions/session_manager.h"

namespace identity {

struct LoginLaneOptions {
  // The local lane mostly waits on PostgreSQL and on the hash pool.
  int local_threads = 8;
  int local_queue = 1024;
  // Directory logins wait on their directory (each organization's fence
  // lets at most twice its limit wait at once).
  int directory_threads = 32;
  int directory_queue = 1024;
};

struct LoginRequest {
  std::string username;
  std::string password;
  std::string totp_code;
  std::string organization;  // id or name; may be empty
};

class LoginLanes {
 public:
  LoginLanes(SessionManager* sessions, const LoginLaneOptions& options);

  using Done = std::function<void(absl::StatusOr<LoginResult>)>;
  // Runs the login and calls `done` exactly once with its outcome: on a
  // lane's thread, or on this one when the local lane is full. `caller`
  // (and what its principal points to) must live until `done`.
  void Start(LoginRequest request, const Caller& caller, Done done);

 private:
  SessionManager* sessions_;
  // Destroyed after local_, whose draining work may still move logins here.
  BoundedExecutor directory_;
  BoundedExecutor local_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_SESSIONS_LOGIN_LANES_H_
