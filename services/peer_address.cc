#include "services/peer_address.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace identity::services {
namespace {

bool InAny(const std::vector<Cidr>& ranges, absl::string_view ip) {
  for (const Cidr& r : ranges) {
    if (r.Contains(ip)) return true;
  }
  return false;
}

// One x-forwarded-for entry as a bare address: "10.0.0.1", "2001:db8::1",
// "[2001:db8::1]:443" and "10.0.0.1:443" (some proxies add the port).
// Empty when it is none of these.
std::string ForwardedAddress(absl::string_view entry) {
  entry = absl::StripAsciiWhitespace(entry);
  if (absl::ConsumePrefix(&entry, "[")) {
    entry = entry.substr(0, entry.find(']'));
  } else if (std::count(entry.begin(), entry.end(), ':') == 1) {
    entry = entry.substr(0, entry.find(':'));
  }
  const std::string ip(entry);
  return Cidr::Parse(ip).ok() && !absl::StrContains(ip, '/') ? ip : "";
}

}  // namespace

std::string PeerIp(absl::string_view peer) {
  if (absl::ConsumePrefix(&peer, "ipv4:")) {
    return std::string(peer.substr(0, peer.rfind(':')));
  }
  if (absl::ConsumePrefix(&peer, "ipv6:")) {
    // gRPC writes the peer as a URI: "ipv6:%5B::1%5D:5000" (1.51), or with
    // plain brackets in older releases.
    peer = peer.substr(0, peer.rfind(':'));
    if (!absl::ConsumePrefix(&peer, "[")) absl::ConsumePrefix(&peer, "%5B");
    if (!absl::ConsumeSuffix(&peer, "]")) absl::ConsumeSuffix(&peer, "%5D");
    return std::string(peer);
  }
  return "";
}

bool IsTrustedProxy(absl::string_view peer_ip,
                    const std::vector<Cidr>& trusted_proxies) {
  return !peer_ip.empty() && InAny(trusted_proxies, peer_ip);
}

std::string ClientIp(absl::string_view peer_ip,
                     const std::vector<absl::string_view>& forwarded,
                     const std::vector<Cidr>& trusted_proxies) {
  if (!IsTrustedProxy(peer_ip, trusted_proxies)) return std::string(peer_ip);
  std::vector<absl::string_view> entries;
  for (absl::string_view value : forwarded) {
    for (absl::string_view e : absl::StrSplit(value, ',')) entries.push_back(e);
  }
  std::string client(peer_ip);
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    client = ForwardedAddress(*it);
    if (client.empty() || !InAny(trusted_proxies, client)) return client;
  }
  return client;
}

}  // namespace identity::services
