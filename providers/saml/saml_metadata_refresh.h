// Refreshes the metadata of every SAML provider configured by URL, on a
// thread of its own (never a gRPC thread). Every replica runs one, and the
// refresh is idempotent: a replica refreshes a provider only when the
// stored times say it is due, and stores the result only if nobody changed
// the provider meanwhile (a compare-and-set on its settings' version; every
// outcome, a failure too, is a new version). No lock is held across a
// network fetch, so a replica that dies mid-fetch blocks nobody, and a
// document fetched twice is stored (and audited) once.
//
// A good document replaces the stored one whole: every signing certificate
// it lists is trusted from then on, and those it no longer lists stop
// being trusted, so an IdP that publishes its next certificate beside the
// current one before switching is followed without an administrator. A
// failed refresh keeps the last good document and records when and why.
#ifndef IDENTITY_IDENTITY_SAML_SAML_METADATA_REFRESH_H_
#define IDENTITY_IDENTITY_SAML_SAML_METADATA_REFRESH_H_

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "providers/saml/saml_metadata.h"
#include "storage/store.h"

namespace identity::saml {

class SamlMetadataRefresher {
 public:
  // Refreshes each provider `every` after its last good fetch; after a
  // failure it tries again within min(every, 10 min).
  SamlMetadataRefresher(storage::Store* store, absl::Duration every,
                        MetadataFetchOptions options = {});
  ~SamlMetadataRefresher();  // stops and joins the thread

  SamlMetadataRefresher(const SamlMetadataRefresher&) = delete;
  SamlMetadataRefresher& operator=(const SamlMetadataRefresher&) = delete;

  // One pass over the providers that are due; how many were refreshed.
  absl::StatusOr<int> RunOnce(absl::Time now);
  // Fetches `c`'s URL and records the outcome. The error is the refresh's
  // failure (also recorded on the provider), or ABORTED when the provider
  // changed meanwhile.
  absl::Status Refresh(const SamlProviderConfig& c);

 private:
  bool Due(const SamlProviderConfig& c, absl::Time now) const;
  void Loop();

  storage::Store* const store_;
  const absl::Duration every_;
  const MetadataFetchOptions options_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace identity::saml

#endif  // IDENTITY_IDENTITY_SAML_SAML_METADATA_REFRESH_H_
