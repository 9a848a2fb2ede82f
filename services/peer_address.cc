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
    peer = peer.substr(0, peer.rfind(':'));
    absl::ConsumePrefix(&peer, "[");
    absl::ConsumeSuffix(&peer, "]");
    return std::string(peer);
  }
  return "";
}

std::string ClientIp(absl::string_view peer_ip,
                     const std::vector<absl::string_view>& forwarded,
                     const std::vector<Cidr>& trusted_proxies) {
  if (peer_ip.empty() || !InAny(trusted_proxies, peer_ip)) {
    return std::string(peer_ip);
  }
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
