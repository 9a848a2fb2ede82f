// The connection pools of this replica, one per organization's LDAP
// provider. A changed configuration gets a new pool; the old one closes when
// its last lease ends.
#ifndef IDENTITY_IDENTITY_LDAP_LDAP_POOLS_H_
#define IDENTITY_IDENTITY_LDAP_LDAP_POOLS_H_

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "identity/ldap/ldap_pool.h"

namespace identity::ldap {

class DirectoryPools {
 public:
  std::shared_ptr<ConnectionPool> For(const std::string& organization_id,
                                      const DirectoryOptions& options);
  // Figures of the organization's pool; nullopt before its first use here.
  std::optional<PoolFigures> Figures(const std::string& organization_id) const;
  // Figures of every pool, by organization id.
  std::map<std::string, PoolFigures> AllFigures() const;

 private:
  struct Slot {
    std::string fingerprint;  // of the options, bind password included
    std::shared_ptr<ConnectionPool> pool;
  };
  mutable absl::Mutex mu_;
  std::map<std::string, Slot> pools_ ABSL_GUARDED_BY(mu_);
};

}  // namespace identity::ldap

#endif  // IDENTITY_IDENTITY_LDAP_LDAP_POOLS_H_
