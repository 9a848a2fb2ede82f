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
using TimedAwaitFn = bool (*)(absl::Mutex*, const absl::Condition&, absl::Duration);
using DeadlineAwaitFn = bool (*)(absl::Mutex*, const absl::Condition&, absl::Time);
using WaitFn = void (*)(absl::CondVar*, absl::Mutex*);
using TimedWaitFn = bool (*)(absl::CondVar*, absl::Mutex*, absl::Duration);
using DeadlineWaitFn = bool (*)(absl::CondVar*, absl::Mutex*, absl::Time);

// Abseil calls some of these itself (WaitWithTimeout calls
// WaitWithDeadline): only the outermost call is annotated.
thread_local int depth = 0;

// `take` takes `mu` (returning whether it did, for try-locks).
template <typename Take>
bool AsLock(absl::Mutex* mu, unsigned flags, Take take) {
  if (depth > 0) return take();
  __tsan_mutex_pre_lock(mu, flags);
  ++depth;
  const bool locked = take();
  --depth;
  __tsan_mutex_post_lock(mu, flags | (locked ? 0 : __tsan_mutex_try_lock_failed), 0);
  return locked;
}

template <typename Release>
void AsUnlock(absl::Mutex* mu, unsigned flags, Release release) {
  if (depth > 0) return release();
  __tsan_mutex_pre_unlock(mu, flags);
  ++depth;
  release();
  --depth;
  __tsan_mutex_post_unlock(mu, flags);
}

// `wait` releases `mu` and takes it again inside abseil, where the condition
// is also evaluated. TSan sees the release, ignores this thread while
// abseil works (as between every pre- and post- annotation), then sees the
// acquire.
template <typename Wait>
auto AsWait(absl::Mutex* mu, Wait wait) {
  if (depth > 0) return wait();
  __tsan_mutex_pre_unlock(mu, 0);
  ++depth;
  auto result = wait();
  --depth;
  __tsan_mutex_post_unlock(mu, 0);
  __tsan_mutex_pre_lock(mu, 0);
  __tsan_mutex_post_lock(mu, 0, 0);
  return result;
}

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

void Mutex::Lock() {
  static const MutexFn real = Original<MutexFn>("5Mutex4LockEv");
  AsLock(this, 0, [&] { real(this); return true; });
}

void Mutex::Unlock() {
  static const MutexFn real = Original<MutexFn>("5Mutex6UnlockEv");
  AsUnlock(this, 0, [&] { real(this); });
}

void Mutex::ReaderLock() {
  static const MutexFn real = Original<MutexFn>("5Mutex10ReaderLockEv");
  AsLock(this, __tsan_mutex_read_lock, [&] { real(this); return true; });
}

void Mutex::ReaderUnlock() {
  static const MutexFn real = Original<MutexFn>("5Mutex12ReaderUnlockEv");
  AsUnlock(this, __tsan_mutex_read_lock, [&] { real(this); });
}

bool Mutex::TryLock() {
  static const TryFn real = Original<TryFn>("5Mutex7TryLockEv");
  return AsLock(this, __tsan_mutex_try_lock, [&] { return real(this); });
}

bool Mutex::ReaderTryLock() {
  static const TryFn real = Original<TryFn>("5Mutex13ReaderTryLockEv");
  return AsLock(this, __tsan_mutex_read_lock | __tsan_mutex_try_lock,
                [&] { return real(this); });
}

void Mutex::LockWhen(const Condition& cond) {
  static const AwaitFn real = Original<AwaitFn>("5Mutex8LockWhenERKNS0_9ConditionE");
  AsLock(this, 0, [&] { real(this, cond); return true; });
}

// The timed forms return whether the condition held; the mutex is held on
// return either way.
bool Mutex::LockWhenWithTimeout(const Condition& cond, absl::Duration timeout) {
  static const TimedAwaitFn real = Original<TimedAwaitFn>(
      "5Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  bool held = false;
  AsLock(this, 0, [&] { held = real(this, cond, timeout); return true; });
  return held;
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, absl::Time deadline) {
  static const DeadlineAwaitFn real = Original<DeadlineAwaitFn>(
      "5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  bool held = false;
  AsLock(this, 0, [&] { held = real(this, cond, deadline); return true; });
  return held;
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  static const AwaitFn real = Original<AwaitFn>(
      "5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  AsLock(this, __tsan_mutex_read_lock, [&] { real(this, cond); return true; });
}

void Mutex::Await(const Condition& cond) {
  static const AwaitFn real = Original<AwaitFn>("5Mutex5AwaitERKNS0_9ConditionE");
  AsWait(this, [&] { real(this, cond); return true; });
}

bool Mutex::AwaitWithTimeout(const Condition& cond, absl::Duration timeout) {
  static const TimedAwaitFn real = Original<TimedAwaitFn>(
      "5Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  return AsWait(this, [&] { return real(this, cond, timeout); });
}

bool Mutex::AwaitWithDeadline(const Condition& cond, absl::Time deadline) {
  static const DeadlineAwaitFn real = Original<DeadlineAwaitFn>(
      "5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return AsWait(this, [&] { return real(this, cond, deadline); });
}

void CondVar::Wait(Mutex* mu) {
  static const WaitFn real = Original<WaitFn>("7CondVar4WaitEPNS0_5MutexE");
  AsWait(mu, [&] { real(this, mu); return true; });
}

bool CondVar::WaitWithTimeout(Mutex* mu, absl::Duration timeout) {
  static const TimedWaitFn real = Original<TimedWaitFn>(
      "7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  return AsWait(mu, [&] { return real(this, mu, timeout); });
}

bool CondVar::WaitWithDeadline(Mutex* mu, absl::Time deadline) {
  static const DeadlineWaitFn real = Original<DeadlineWaitFn>(
      "7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  return AsWait(mu, [&] { return real(this, mu, deadline); });
}

// No destructor here: TSan forgets a mutex when its memory is freed, and
// gRPC frees some from threads whose hand-over TSan cannot see.

ABSL_NAMESPACE_END
}  // namespace absl
