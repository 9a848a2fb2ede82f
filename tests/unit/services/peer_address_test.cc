#include "services/peer_address.h"

#include "gtest/gtest.h"

namespace identity::services {
namespace {

std::vector<Cidr> Ranges(std::initializer_list<const char*> texts) {
  std::vector<Cidr> out;
  for (const char* t : texts) out.push_back(*Cidr::Parse(t));
  return out;
}

TEST(PeerAddressTest, PeerIpOfEachTransport) {
  EXPECT_EQ(PeerIp("ipv4:10.0.0.1:5000"), "10.0.0.1");
  EXPECT_EQ(PeerIp("ipv6:[::1]:5000"), "::1");
  EXPECT_EQ(PeerIp("ipv6:[::ffff:10.0.0.1]:5000"), "::ffff:10.0.0.1");
  // What gRPC 1.51 writes (the brackets percent-encoded, as in a URI); an
  // IPv4 client of a dual-stack listener is IPv4-mapped.
  EXPECT_EQ(PeerIp("ipv6:%5B::1%5D:43992"), "::1");
  EXPECT_EQ(PeerIp("ipv6:%5B::ffff:10.0.0.1%5D:5000"), "::ffff:10.0.0.1");
  EXPECT_TRUE(Cidr::Parse("10.0.0.0/8")->Contains(
      PeerIp("ipv6:%5B::ffff:10.0.0.1%5D:5000")));
  EXPECT_EQ(PeerIp("unix:/tmp/socket"), "");
}

// Without trusted proxies (the default) the header is the caller's own
// words and changes nothing.
TEST(PeerAddressTest, ForgedForwardedForFromAnUntrustedPeerIsIgnored) {
  EXPECT_EQ(ClientIp("198.51.100.7", {"10.0.0.5"}, {}), "198.51.100.7");
  EXPECT_EQ(ClientIp("198.51.100.7", {"10.0.0.5"}, Ranges({"192.0.2.0/24"})),
            "198.51.100.7");
}

TEST(PeerAddressTest, TrustedProxyNamesTheClient) {
  const std::vector<Cidr> proxies = Ranges({"192.0.2.0/24"});
  EXPECT_EQ(ClientIp("192.0.2.10", {"203.0.113.9"}, proxies), "203.0.113.9");
  EXPECT_EQ(ClientIp("::ffff:192.0.2.10", {" 203.0.113.9 "}, proxies),
            "203.0.113.9")
      << "a mapped peer address is the IPv4 proxy";
  EXPECT_EQ(ClientIp("192.0.2.10", {"[2001:db8::1]:443"}, proxies),
            "2001:db8::1");
  EXPECT_EQ(ClientIp("192.0.2.10", {"203.0.113.9:51000"}, proxies),
            "203.0.113.9");
  EXPECT_EQ(ClientIp("192.0.2.10", {}, proxies), "192.0.2.10")
      << "no header: the proxy itself is the caller";
}

// The client writes the left part of the header; each proxy appends the
// address it saw. Only the right-most untrusted entry is a fact.
TEST(PeerAddressTest, ClientCannotPrependATrustedAddress) {
  const std::vector<Cidr> proxies = Ranges({"192.0.2.0/24", "2001:db8::/32"});
  EXPECT_EQ(ClientIp("192.0.2.10", {"10.0.0.5, 203.0.113.9"}, proxies),
            "203.0.113.9");
  EXPECT_EQ(
      ClientIp("192.0.2.10", {"10.0.0.5", "203.0.113.9, 192.0.2.11"}, proxies),
      "203.0.113.9")
      << "several header values, a chain of two proxies";
  EXPECT_EQ(ClientIp("192.0.2.10", {"192.0.2.12,192.0.2.11"}, proxies),
            "192.0.2.12")
      << "all proxies: the left-most";
}

TEST(PeerAddressTest, UnreadableForwardedEntryIsAnUnknownClient) {
  const std::vector<Cidr> proxies = Ranges({"192.0.2.0/24"});
  for (const char* bad : {"unknown", "", "10.0.0.0/8", "203.0.113.9 x",
                          "not-an-ip", "203.0.113.9,"}) {
    EXPECT_EQ(ClientIp("192.0.2.10", {bad}, proxies), "") << bad;
  }
}

}  // namespace
}  // namespace identity::services
