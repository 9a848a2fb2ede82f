// Deletes self-registrations whose verification link expired, at start and
// then every `every`, on a thread of its own. Every replica runs one: each
// purge takes rows no other is deleting, so they share the work.
#ifndef IDENTITY_APPLICATION_ONBOARDING_REGISTRATION_PURGE_H_
#define IDENTITY_APPLICATION_ONBOARDING_REGISTRATION_PURGE_H_

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/store.h"

namespace identity {

class RegistrationPurge {
 public:
  RegistrationPurge(storage::Store* store, absl::Duration every);
  ~RegistrationPurge();  // stops and joins the thread

  RegistrationPurge(const RegistrationPurge&) = delete;
  RegistrationPurge& operator=(const RegistrationPurge&) = delete;

  // One pass: batches until none is left; the number deleted.
  absl::StatusOr<int64_t> RunOnce();

 private:
  void Loop();

  storage::Store* const store_;
  const absl::Duration every_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_ONBOARDING_REGISTRATION_PURGE_H_
