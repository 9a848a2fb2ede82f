#include "application/sessions/login_lanes.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"

namespace identity {
namespace {

// A full lane is an overload of this server, not the caller's mistake.
absl::Status Full(const absl::Status& refused, absl::string_view what) {
  if (!absl::IsResourceExhausted(refused)) return refused;  // shutting down
  return absl::ResourceExhaustedError(
      absl::StrCat("too many ", what,
                   " in progress on this server; retry after a short "
                   "delay"));
}

}  // namespace

LoginLanes::LoginLanes(SessionManager* sessions,
                       const LoginLaneOptions& options)
    : sessions_(sessions),
      directory_(options.directory_threads, options.directory_queue),
      local_(options.local_threads, options.local_queue) {}

void LoginLanes::Start(LoginRequest request, const Caller& caller, Done done) {
  // Shared by the two steps; `done` runs exactly once, in whichever ends.
  struct Login {
    LoginRequest request;
    Caller caller;
    Done done;
  };
  auto login = std::make_shared<Login>(
      Login{std::move(request), caller, std::move(done)});
  absl::Status queued = local_.Post([this, login] {
    const LoginRequest& r = login->request;
    absl::StatusOr<LoginRoute> route =
        sessions_->Route(r.username, r.password, r.organization);
    if (route.ok() && route->by_directory()) {
      auto routed = std::make_shared<LoginRoute>(*std::move(route));
      absl::Status moved = directory_.Post([this, login, routed] {
        const LoginRequest& r = login->request;
        login->done(sessions_->Login(*routed, r.username, r.password,
                                     r.totp_code, login->caller));
      });
      if (!moved.ok()) login->done(Full(moved, "directory logins"));
      return;
    }
    login->done(sessions_->Login(route, r.username, r.password, r.totp_code,
                                 login->caller));
  });
  if (!queued.ok()) login->done(Full(queued, "logins"));
}

}  // namespace identity
