#include "common/cidr.h"

#include "gtest/gtest.h"

namespace identity {
namespace {

TEST(CidrTest, ParsesAndMatchesIpv4) {
  absl::StatusOr<Cidr> net = Cidr::Parse("10.20.0.0/16");
  ASSERT_TRUE(net.ok()) << net.status();
  EXPECT_EQ(net->ToString(), "10.20.0.0/16");
  EXPECT_TRUE(net->Contains("10.20.255.1"));
  EXPECT_FALSE(net->Contains("10.21.0.1"));
  EXPECT_FALSE(net->Contains("not an ip"));
}

TEST(CidrTest, ParsesAndMatchesIpv6) {
  absl::StatusOr<Cidr> net = Cidr::Parse("2001:db8::/32");
  ASSERT_TRUE(net.ok()) << net.status();
  EXPECT_TRUE(net->Contains("2001:db8:1::5"));
  EXPECT_FALSE(net->Contains("2001:db9::1"));
  EXPECT_FALSE(net->Contains("10.0.0.1"));
}

// A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d; a gateway may
// pass that form on as client_ip. Either must meet the IPv4 ranges.
TEST(CidrTest, MappedIpv4AddressIsMatchedAgainstIpv4Ranges) {
  absl::StatusOr<Cidr> net = Cidr::Parse("10.20.0.0/16");
  ASSERT_TRUE(net.ok()) << net.status();
  EXPECT_TRUE(net->Contains("::ffff:10.20.0.1"));
  EXPECT_TRUE(net->Contains("::FFFF:10.20.3.4"));
  EXPECT_FALSE(net->Contains("::ffff:10.21.0.1"));
  EXPECT_FALSE(net->Contains("::10.20.0.1")) << "IPv4-compatible is not mapped";
  EXPECT_FALSE(net->Contains("64:ff9b::10.20.0.1")) << "NAT64 is not mapped";
  EXPECT_FALSE(Cidr::Parse("2001:db8::/32")->Contains("::ffff:10.20.0.1"));
  EXPECT_FALSE(Cidr::Parse("::/0")->Contains("::ffff:10.20.0.1"));
}

TEST(CidrTest, MappedRangeIsTheIpv4RangeItCovers) {
  absl::StatusOr<Cidr> net = Cidr::Parse("::ffff:10.0.0.0/104");
  ASSERT_TRUE(net.ok()) << net.status();
  EXPECT_EQ(net->ToString(), "10.0.0.0/8");
  EXPECT_TRUE(net->Contains("10.1.2.3"));
  EXPECT_TRUE(net->Contains("::ffff:10.1.2.3"));
  EXPECT_EQ(Cidr::Parse("::ffff:192.0.2.7")->ToString(), "192.0.2.7/32");
  EXPECT_EQ(Cidr::Parse("::ffff:0.0.0.0/64").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CidrTest, BareAddressIsASingleHost) {
  EXPECT_EQ(Cidr::Parse("192.0.2.7")->ToString(), "192.0.2.7/32");
  EXPECT_EQ(Cidr::Parse("::1")->ToString(), "::1/128");
  EXPECT_TRUE(Cidr::Parse("0.0.0.0/0")->Contains("203.0.113.9"));
}

TEST(CidrTest, RefusesMalformedRangesWithAHint) {
  absl::StatusOr<Cidr> host_bits = Cidr::Parse("10.1.2.3/8");
  ASSERT_FALSE(host_bits.ok());
  EXPECT_NE(host_bits.status().message().find("did you mean 10.0.0.0/8"),
            absl::string_view::npos)
      << host_bits.status();
  for (const char* bad : {"", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0/8",
                          "2001:db8::/129", "10.0.0.0/8/8", "fe80::1%eth0",
                          "10.0.0.0/x"}) {
    EXPECT_EQ(Cidr::Parse(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

}  // namespace
}  // namespace identity
