// The LDAP provider's directory capability: every user an organization's
// directory lists, as the directory sync acts on them (with Active
// Directory's account states).
#ifndef IDENTITY_PROVIDERS_LDAP_LDAP_LISTING_H_
#define IDENTITY_PROVIDERS_LDAP_LDAP_LISTING_H_

#include <string>

#include "application/identity_providers/directory_provider.h"
#include "providers/ldap/ldap_providers.h"
#include "storage/store.h"

namespace identity::ldap {

class LdapListing : public DirectoryProvider {
 public:
  LdapListing(storage::Store* store, const LdapProviders* providers)
      : store_(store), providers_(providers) {}

  absl::string_view name() const override { return "ldap"; }
  domain::Origin origin() const override { return domain::Origin::kLdap; }
  absl::Status ForEachUser(
      const std::string& organization_id,
      const std::function<void(ListedUser)>& each) override;
  std::string EmptyListingHint() const override {
    return "for user_base_dn and user_filter";
  }

 private:
  storage::Store* store_;
  const LdapProviders* providers_;
};

}  // namespace identity::ldap

#endif  // IDENTITY_PROVIDERS_LDAP_LDAP_LISTING_H_
