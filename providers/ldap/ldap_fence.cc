#include "providers/ldap/ldap_fence.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/error_info.h"

namespace identity::ldap {
namespace {}  // namespace

bool LdapFences::TimedOut(const absl::Status& status, absl::Duration took,
                          absl::Duration timeout) {
  // A wrong password or an unknown user is an answer and proves the
  // directory alive; a refused connection fails at once and holds nothing.
  return (absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status)) &&
         took >= timeout;
}

const char* CircuitName(Circuit c) {
  switch (c) {
    case Circuit::kClosed:
      return "CLOSED";
    case Circuit::kOpen:
      return "OPEN";
    case Circuit::kHalfOpen:
      return "HALF_OPEN";
  }
  return "CLOSED";
}

absl::Status LdapFences::Enter(const std::string& organization_id,
                               int pool_size, bool* probe) {
  absl::MutexLock lock(&mu_);
  Fence& fence = fences_[organization_id];
  FenceFigures& f = fence.figures;
  f.max_concurrent =
      options_.max_concurrent > 0 ? options_.max_concurrent : pool_size;
  const absl::Time now = absl::Now();
  if (f.circuit == Circuit::kOpen && now >= f.retry_at) {
    f.circuit = Circuit::kHalfOpen;
  }
  if (f.circuit == Circuit::kOpen ||
      (f.circuit == Circuit::kHalfOpen && fence.probing)) {
    ++f.refused_open;
    return WithReason(
        absl::UnavailableError(absl::StrCat(
            "the organization's LDAP directory timed out ", f.failures_in_a_row,
            " times in a row; logins through it fail fast until ",
            absl::FormatTime(absl::RFC3339_sec, f.retry_at,
                             absl::UTCTimeZone()),
            ", then one login probes it; internal users are not affected")),
        reason::kProviderUnavailable, {{"provider", "ldap"}});
  }
  auto has_slot = [&f] { return f.in_flight < f.max_concurrent; };
  // At most as many logins wait as run: a waiting login holds a server
  // thread too, so the fence bounds the threads one directory can hold to
  // twice its limit, however many callers try.
  bool admitted = has_slot();
  if (!admitted && fence.waiting < f.max_concurrent &&
      options_.slot_wait > absl::ZeroDuration()) {
    ++fence.waiting;
    admitted =
        mu_.AwaitWithTimeout(absl::Condition(&has_slot), options_.slot_wait);
    --fence.waiting;
  }
  if (!admitted) {
    ++f.refused_busy;
    return WithReason(
        absl::UnavailableError(absl::StrCat(
            "the organization's LDAP directory is busy: ", f.in_flight,
            " logins are waiting for it on this server (the limit); try again "
            "shortly")),
        reason::kProviderBusy, {{"provider", "ldap"}});
  }
  ++f.in_flight;
  if (f.circuit == Circuit::kHalfOpen) {
    fence.probing = true;
    *probe = true;
  }
  return absl::OkStatus();
}

void LdapFences::Leave(const std::string& organization_id, bool timed_out,
                       bool probe) {
  absl::MutexLock lock(&mu_);
  Fence& fence = fences_[organization_id];
  FenceFigures& f = fence.figures;
  --f.in_flight;
  if (probe) fence.probing = false;
  if (!timed_out) {
    f.failures_in_a_row = 0;
    f.circuit = Circuit::kClosed;
    fence.backoff = absl::ZeroDuration();
    return;
  }
  ++f.failures_in_a_row;
  if (probe) {
    fence.backoff = std::min(fence.backoff * 2, options_.open_for * 16);
  } else if (f.circuit == Circuit::kClosed &&
             f.failures_in_a_row >= options_.failures_to_open) {
    fence.backoff = options_.open_for;
  } else {
    return;
  }
  f.circuit = Circuit::kOpen;
  f.retry_at = absl::Now() + fence.backoff;
}

std::optional<FenceFigures> LdapFences::Figures(
    const std::string& organization_id) const {
  absl::MutexLock lock(&mu_);
  auto it = fences_.find(organization_id);
  if (it == fences_.end()) return std::nullopt;
  return it->second.figures;
}

std::map<std::string, FenceFigures> LdapFences::AllFigures() const {
  absl::MutexLock lock(&mu_);
  std::map<std::string, FenceFigures> out;
  for (const auto& [org, fence] : fences_) out[org] = fence.figures;
  return out;
}

}  // namespace identity::ldap
