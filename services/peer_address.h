// The IP address a call comes from: the gRPC peer, or behind a trusted
// proxy the client that proxy names in x-forwarded-for.
#ifndef IDENTITY_SERVICES_PEER_ADDRESS_H_
#define IDENTITY_SERVICES_PEER_ADDRESS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/cidr.h"

namespace identity::services {

// The IP address in a gRPC peer string ("ipv4:10.0.0.1:5000",
// "ipv6:%5B::1%5D:5000", "ipv6:[::1]:5000"); empty for other transports
// (unix sockets).
std::string PeerIp(absl::string_view peer);

// Whether `peer_ip` is one of `trusted_proxies`, whose x-forwarded-for
// header names the client.
bool IsTrustedProxy(absl::string_view peer_ip,
                    const std::vector<Cidr>& trusted_proxies);

// The client's address for a call from `peer_ip` carrying the
// x-forwarded-for values `forwarded` (in the order received). The header is
// read only when `peer_ip` is in `trusted_proxies`, since anyone else can
// write anything there; then the answer is the right-most address that is
// not itself a trusted proxy (each proxy appends the address it saw, so the
// entries left of it are the client's own words), or the left-most when all
// are proxies. Empty when that entry is not an IP address: an unknown client
// is refused wherever an address is required, never taken for the proxy.
std::string ClientIp(absl::string_view peer_ip,
                     const std::vector<absl::string_view>& forwarded,
                     const std::vector<Cidr>& trusted_proxies);

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_PEER_ADDRESS_H_
