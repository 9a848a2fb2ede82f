// What this replica knows of the organizations' directories, for the health
// service and the metrics: pool reachability and the login fences' circuits.
#ifndef IDENTITY_SERVER_LDAP_STATUS_H_
#define IDENTITY_SERVER_LDAP_STATUS_H_

#include <optional>
#include <string>

#include "grpc/health/v1/health.pb.h"
#include "providers/ldap/ldap_providers.h"

namespace identity::server {

// "identity.ldap": NOT_SERVING while any organization's directory is
// unreachable from this replica or its circuit is open;
// "identity.ldap/<organization id>": that one's, UNKNOWN before its first use
// here. The server itself ("") stays SERVING: internal users, the fallback
// admin first, still log in.
std::optional<grpc::health::v1::HealthCheckResponse::ServingStatus> LdapHealth(
    const ldap::LdapProviders& providers, const std::string& name);

// Prometheus series of the login fences (circuit state, logins in flight,
// refusals) by organization.
void RenderLdapFences(const ldap::LdapFences& fences, std::string* out);

}  // namespace identity::server

#endif  // IDENTITY_SERVER_LDAP_STATUS_H_
