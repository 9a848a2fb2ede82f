// Linked into every binary of the TSan build (tests/sanitizers.sh thread)
// and nowhere else.
//
// Debian's abseil is not built with -fsanitize=thread, so ThreadSanitizer
// cannot see absl::Mutex being taken and released: every access guarded by
// one looks like a data race. The library's own annotations for this are
// compiled out. These definitions take the place of the library's (the
// executable's symbols win at dynamic link time, for calls from gRPC and
// abseil too), tell TSan what happens, and call the library's originals.
#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace {

#define IDENTITY_TSAN_STR2(x) #x
#define IDENTITY_TSAN_STR(x) IDENTITY_TSAN_STR2(x)

// The library's definition of absl::<inline namespace>::`member`, found by
// its mangled name (`member` mangled as it follows the namespaces).
template <typename Fn>
Fn Original(const char* member) {
  const std::string ns = IDENTITY_TSAN_STR(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  const std::string mangled =
      "_ZN4absl" + std::to_string(ns.size()) + ns + member;
  void* fn = dlsym(RTLD_NEXT, mangled.c_str());
  if (fn == nullptr) {
    std::fprintf(stderr, "absl_mutex_tsan: %s not found in abseil\n",
                 mangled.c_str());
    std::abort();
  }
  return reinterpret_cast<Fn>(fn);
}

using MutexFn = void (*)(absl::Mutex*);
using TryFn = bool (*)(absl::Mutex*);
using AwaitFn = void (*)(absl::Mutex*, const absl::Condition&);
using WaitFn = void (*)(absl::CondVar*, absl::Mutex*);
using TimedWaitFn = bool (*)(absl::CondVar*, absl::Mutex*, absl::Duration);

void Locked(absl::Mutex* mu, unsigned flags) {
  __tsan_mutex_pre_lock(mu, flags);
}
void Unlocking(absl::Mutex* mu, unsigned flags) {
  __tsan_mutex_pre_unlock(mu, flags);
}

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

void Mutex::Lock() {
  static const MutexFn real = Original<MutexFn>("5Mutex4LockEv");
  Locked(this, 0);
  real(this);
  __tsan_mutex_post_lock(this, 0, 0);
}

void Mutex::Unlock() {
  static const MutexFn real = Original<MutexFn>("5Mutex6UnlockEv");
  Unlocking(this, 0);
  real(this);
  __tsan_mutex_post_unlock(this, 0);
}

void Mutex::ReaderLock() {
  static const MutexFn real = Original<MutexFn>("5Mutex10ReaderLockEv");
  Locked(this, __tsan_mutex_read_lock);
  real(this);
  __tsan_mutex_post_lock(this, __tsan_mutex_read_lock, 0);
}

void Mutex::ReaderUnlock() {
  static const MutexFn real = Original<MutexFn>("5Mutex12ReaderUnlockEv");
  Unlocking(this, __tsan_mutex_read_lock);
  real(this);
  __tsan_mutex_post_unlock(this, __tsan_mutex_read_lock);
}

bool Mutex::TryLock() {
  static const TryFn real = Original<TryFn>("5Mutex7TryLockEv");
  Locked(this, __tsan_mutex_try_lock);
  const bool locked = real(this);
  __tsan_mutex_post_lock(
      this, __tsan_mutex_try_lock | (locked ? 0 : __tsan_mutex_try_lock_failed), 0);
  return locked;
}

bool Mutex::ReaderTryLock() {
  static const TryFn real = Original<TryFn>("5Mutex13ReaderTryLockEv");
  const unsigned flags = __tsan_mutex_read_lock | __tsan_mutex_try_lock;
  Locked(this, flags);
  const bool locked = real(this);
  __tsan_mutex_post_lock(this, flags | (locked ? 0 : __tsan_mutex_try_lock_failed), 0);
  return locked;
}

// Waiting releases the mutex and takes it again inside abseil.
void Mutex::Await(const Condition& cond) {
  static const AwaitFn real = Original<AwaitFn>("5Mutex5AwaitERKNS0_9ConditionE");
  Unlocking(this, 0);
  __tsan_mutex_post_unlock(this, 0);
  real(this, cond);
  Locked(this, 0);
  __tsan_mutex_post_lock(this, 0, 0);
}

void Mutex::LockWhen(const Condition& cond) {
  static const AwaitFn real = Original<AwaitFn>("5Mutex8LockWhenERKNS0_9ConditionE");
  Locked(this, 0);
  real(this, cond);
  __tsan_mutex_post_lock(this, 0, 0);
}

void CondVar::Wait(Mutex* mu) {
  static const WaitFn real = Original<WaitFn>("7CondVar4WaitEPNS0_5MutexE");
  Unlocking(mu, 0);
  __tsan_mutex_post_unlock(mu, 0);
  real(this, mu);
  Locked(mu, 0);
  __tsan_mutex_post_lock(mu, 0, 0);
}

bool CondVar::WaitWithTimeout(Mutex* mu, absl::Duration timeout) {
  static const TimedWaitFn real = Original<TimedWaitFn>(
      "7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  Unlocking(mu, 0);
  __tsan_mutex_post_unlock(mu, 0);
  const bool timed_out = real(this, mu, timeout);
  Locked(mu, 0);
  __tsan_mutex_post_lock(mu, 0, 0);
  return timed_out;
}

Mutex::~Mutex() {
  static const MutexFn real = Original<MutexFn>("5MutexD2Ev");
  __tsan_mutex_destroy(this, 0);
  real(this);
}

ABSL_NAMESPACE_END
}  // namespace absl
