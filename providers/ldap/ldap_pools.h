// The connection pools of this replica, one per organization's LDAP
// provider. A changed configuration gets a new pool; the old one closes when
// its last lease ends.
#ifndef IDENTITY_PROVIDERS_LDAP_LDAP_POOLS_H_
#define IDENTITY_PROVIDERS_LDAP_LDAP_POOLS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "providers/ldap/ldap_pool.h"

namespace identity::ldap {

class DirectoryPools {
 public:
  // The pool of the organization's configuration `version` (the store bumps
  // it at every change); `make` gives the options when there is none yet.
  absl::StatusOr<std::shared_ptr<ConnectionPool>> For(
      const std::string& organization_id, int64_t version,
      const std::function<absl::StatusOr<DirectoryOptions>()>& make);
  // Figures of the organization's pool; nullopt before its first use here.
  std::optional<PoolFigures> Figures(const std::string& organization_id) const;
  // Figures of every pool, by organization id.
  std::map<std::string, PoolFigures> AllFigures() const;

 private:
  struct Slot {
    int64_t version = 0;  // of the configuration the pool was made for
    std::shared_ptr<ConnectionPool> pool;
  };
  mutable absl::Mutex mu_;
  std::map<std::string, Slot> pools_ ABSL_GUARDED_BY(mu_);
};

}  // namespace identity::ldap

#endif  // IDENTITY_PROVIDERS_LDAP_LDAP_POOLS_H_
