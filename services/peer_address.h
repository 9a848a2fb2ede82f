// The IP address in a gRPC peer string ("ipv4:10.0.0.1:5000",
// "ipv6:[::1]:5000"); empty for other transports (unix sockets).
#ifndef IDENTITY_SERVICES_PEER_ADDRESS_H_
#define IDENTITY_SERVICES_PEER_ADDRESS_H_

#include <string>

#include "absl/strings/string_view.h"

namespace identity::services {

std::string PeerIp(absl::string_view peer);

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_PEER_ADDRESS_H_
