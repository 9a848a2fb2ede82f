#include "providers/ldap/ldap_pools.h"

namespace identity::ldap {

absl::StatusOr<std::shared_ptr<ConnectionPool>> DirectoryPools::For(
    const std::string& organization_id, int64_t version,
    const std::function<absl::StatusOr<DirectoryOptions>()>& make) {
  {
    absl::MutexLock lock(&mu_);
    auto it = pools_.find(organization_id);
    if (it != pools_.end() && it->second.version == version)
      return it->second.pool;
  }
  // New or changed configuration: its options (the bind password unsealed,
  // the CA written) are made once, not at every login.
  absl::StatusOr<DirectoryOptions> options = make();
  if (!options.ok()) return options.status();
  absl::MutexLock lock(&mu_);
  Slot& slot = pools_[organization_id];
  if (slot.pool == nullptr || slot.version != version) {
    slot.version = version;
    slot.pool = std::make_shared<ConnectionPool>(*std::move(options));
  }
  return slot.pool;
}

std::optional<PoolFigures> DirectoryPools::Figures(
    const std::string& organization_id) const {
  absl::MutexLock lock(&mu_);
  auto it = pools_.find(organization_id);
  if (it == pools_.end()) return std::nullopt;
  return it->second.pool->Figures();
}

std::map<std::string, PoolFigures> DirectoryPools::AllFigures() const {
  absl::MutexLock lock(&mu_);
  std::map<std::string, PoolFigures> all;
  for (const auto& [id, slot] : pools_) all[id] = slot.pool->Figures();
  return all;
}

}  // namespace identity::ldap
