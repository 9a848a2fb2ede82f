#include "application/identity_providers/provider_registry.h"

namespace identity {

void ProviderRegistry::Add(domain::Origin origin,
                           ProviderCapabilities capabilities) {
  if (providers_.count(origin) == 0) order_.push_back(origin);
  providers_[origin] = std::move(capabilities);
}

PasswordProvider* ProviderRegistry::PasswordFor(domain::Origin origin) const {
  auto it = providers_.find(origin);
  return it == providers_.end() ? nullptr : it->second.password.get();
}

RedirectProvider* ProviderRegistry::RedirectFor(domain::Origin origin) const {
  auto it = providers_.find(origin);
  return it == providers_.end() ? nullptr : it->second.redirect.get();
}

DirectoryProvider* ProviderRegistry::DirectoryFor(domain::Origin origin) const {
  auto it = providers_.find(origin);
  return it == providers_.end() ? nullptr : it->second.directory.get();
}

std::vector<PasswordProvider*> ProviderRegistry::ProvisioningAtLogin() const {
  std::vector<PasswordProvider*> out;
  for (domain::Origin origin : order_) {
    PasswordProvider* p = PasswordFor(origin);
    if (p != nullptr && p->ProvisionsAtLogin()) out.push_back(p);
  }
  return out;
}

std::vector<const ProviderAdmin*> ProviderRegistry::Admins() const {
  std::vector<const ProviderAdmin*> out;
  for (domain::Origin origin : order_) {
    const ProviderAdmin* admin = providers_.at(origin).admin.get();
    if (admin != nullptr) out.push_back(admin);
  }
  return out;
}

}  // namespace identity
