#include "services/peer_address.h"

#include "absl/strings/strip.h"

namespace identity::services {

std::string PeerIp(absl::string_view peer) {
  if (absl::ConsumePrefix(&peer, "ipv4:")) {
    return std::string(peer.substr(0, peer.rfind(':')));
  }
  if (absl::ConsumePrefix(&peer, "ipv6:")) {
    peer = peer.substr(0, peer.rfind(':'));
    absl::ConsumePrefix(&peer, "[");
    absl::ConsumeSuffix(&peer, "]");
    return std::string(peer);
  }
  return "";
}

}  // namespace identity::services
