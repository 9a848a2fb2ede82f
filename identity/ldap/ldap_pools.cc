#include "identity/ldap/ldap_pools.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/crypto.h"

namespace identity::ldap {
namespace {

std::string Fingerprint(const DirectoryOptions& o) {
  // NUL separates fields: none of them can hold one.
  const std::string sep(1, '\0');
  return crypto::Sha256(absl::StrJoin(
      {absl::StrJoin(o.urls, ","), absl::StrCat(o.start_tls), o.ca_file,
       o.bind_dn, o.bind_password, o.user_base_dn, o.user_filter,
       absl::StrJoin(o.attributes, ","), o.group_base_dn,
       o.group_member_attribute,
       absl::StrCat(absl::ToInt64Milliseconds(o.connect_timeout)),
       absl::StrCat(absl::ToInt64Milliseconds(o.operation_timeout)),
       absl::StrCat(o.pool_size)},
      sep));
}

}  // namespace

std::shared_ptr<ConnectionPool> DirectoryPools::For(
    const std::string& organization_id, const DirectoryOptions& options) {
  std::string fingerprint = Fingerprint(options);
  absl::MutexLock lock(&mu_);
  Slot& slot = pools_[organization_id];
  if (slot.pool == nullptr || slot.fingerprint != fingerprint) {
    slot.fingerprint = std::move(fingerprint);
    slot.pool = std::make_shared<ConnectionPool>(options);
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
