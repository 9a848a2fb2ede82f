#include "common/cidr.h"

#include <arpa/inet.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace identity {
namespace {

constexpr std::array<uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0,    0,
                                                   0, 0, 0, 0, 0xff, 0xff};

// True for ::ffff:a.b.c.d, the form an IPv4 client has on a dual-stack
// socket (gRPC's "ipv6:[::ffff:10.0.0.1]:port").
bool IsMappedIpv4(const std::array<uint8_t, 16>& b) {
  return std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), b.begin());
}

// Parses an address into 16 bytes; returns false if it is neither family.
// An IPv4-mapped IPv6 address is read as the IPv4 address it carries.
bool ParseAddress(const std::string& text, bool* v6,
                  std::array<uint8_t, 16>* out) {
  out->fill(0);
  if (inet_pton(AF_INET, text.c_str(), out->data()) == 1) {
    *v6 = false;
    return true;
  }
  if (inet_pton(AF_INET6, text.c_str(), out->data()) == 1) {
    *v6 = !IsMappedIpv4(*out);
    if (!*v6) {
      std::copy(out->begin() + 12, out->end(), out->begin());
      std::fill(out->begin() + 4, out->end(), 0);
    }
    return true;
  }
  return false;
}

bool PrefixMatches(const std::array<uint8_t, 16>& a,
                   const std::array<uint8_t, 16>& b, int prefix) {
  for (int bit = 0; bit < prefix; ++bit) {
    const uint8_t mask = static_cast<uint8_t>(0x80 >> (bit % 8));
    if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<Cidr> Cidr::Parse(absl::string_view text) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text.substr(0, 64), "' ", why));
  };
  if (text.size() > 64) return bad("is too long for a CIDR range");
  Cidr c;
  const size_t slash = text.find('/');
  const std::string address(text.substr(0, slash));
  if (!ParseAddress(address, &c.v6_, &c.bytes_)) {
    return bad("is not an IPv4 or IPv6 address or CIDR range");
  }
  // A mapped range (::ffff:10.0.0.0/104) is the IPv4 range it covers.
  const bool mapped = !c.v6_ && absl::StrContains(address, ':');
  const int max = c.v6_ || mapped ? 128 : 32;
  c.prefix_ = max;
  if (slash != absl::string_view::npos) {
    int prefix = -1;
    if (!absl::SimpleAtoi(text.substr(slash + 1), &prefix) || prefix < 0 ||
        prefix > max || (mapped && prefix < 96)) {
      return bad(absl::StrCat("has a prefix length outside ", mapped ? 96 : 0,
                              "-", max));
    }
    c.prefix_ = prefix;
  }
  if (mapped) c.prefix_ -= 96;
  Cidr network = c;
  for (int bit = c.prefix_; bit < (c.v6_ ? 128 : 32); ++bit) {
    network.bytes_[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
  }
  if (network.bytes_ != c.bytes_) {
    return bad(absl::StrCat("has host bits set; did you mean ",
                            network.ToString(), "?"));
  }
  return c;
}

bool Cidr::Contains(absl::string_view address) const {
  bool v6 = false;
  std::array<uint8_t, 16> bytes;
  if (!ParseAddress(std::string(address), &v6, &bytes) || v6 != v6_) {
    return false;
  }
  return PrefixMatches(bytes, bytes_, prefix_);
}

std::string Cidr::ToString() const {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(v6_ ? AF_INET6 : AF_INET, bytes_.data(), buf, sizeof(buf));
  return absl::StrCat(buf, "/", prefix_);
}

}  // namespace identity
