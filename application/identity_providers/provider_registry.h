// Which provider serves the users of each origin, and with which
// capabilities. The use cases look providers up here; the one table that
// builds and registers them is providers/registry.cc.
#ifndef IDENTITY_APPLICATION_IDENTITY_PROVIDERS_PROVIDER_REGISTRY_H_
#define IDENTITY_APPLICATION_IDENTITY_PROVIDERS_PROVIDER_REGISTRY_H_

#include <map>
#include <memory>
#include <vector>

#include "application/identity_providers/directory_provider.h"
#include "application/identity_providers/identity_provider.h"
#include "application/identity_providers/provider_admin.h"
#include "domain/records.h"

namespace identity {

// What one provider type can do; a capability it lacks is null.
struct ProviderCapabilities {
  std::unique_ptr<PasswordProvider> password;
  std::unique_ptr<RedirectProvider> redirect;
  std::unique_ptr<DirectoryProvider> directory;
  // The administrator's side (settings read back and tested).
  std::unique_ptr<ProviderAdmin> admin;
};

class ProviderRegistry {
 public:
  // Registration order is the order ProvisioningAtLogin() and Admins() ask
  // in.
  void Add(domain::Origin origin, ProviderCapabilities capabilities);

  // Null when no provider of `origin` checks passwords.
  PasswordProvider* PasswordFor(domain::Origin origin) const;
  // Null when no provider of `origin` logs in by redirect.
  RedirectProvider* RedirectFor(domain::Origin origin) const;
  // Null when no provider of `origin` lists its users.
  DirectoryProvider* DirectoryFor(domain::Origin origin) const;
  // The password providers that may vouch for names not known here yet.
  std::vector<PasswordProvider*> ProvisioningAtLogin() const;
  // The administrator's sides, in registration order.
  std::vector<const ProviderAdmin*> Admins() const;

 private:
  std::map<domain::Origin, ProviderCapabilities> providers_;
  std::vector<domain::Origin> order_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_IDENTITY_PROVIDERS_PROVIDER_REGISTRY_H_
