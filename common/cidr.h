// IPv4 and IPv6 networks in CIDR notation, for trusted IP ranges.
#ifndef IDENTITY_COMMON_CIDR_H_
#define IDENTITY_COMMON_CIDR_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace identity {

class Cidr {
 public:
  // "10.0.0.0/8", "2001:db8::/32"; a bare address is a /32 or /128.
  // INVALID_ARGUMENT for anything else, including host bits set after the
  // prefix (the message suggests the network meant). IPv4-mapped IPv6
  // (::ffff:a.b.c.d) is IPv4, as an address and as a range.
  static absl::StatusOr<Cidr> Parse(absl::string_view text);

  // False for an unparsable address or one of the other family;
  // ::ffff:a.b.c.d is matched as a.b.c.d.
  bool Contains(absl::string_view address) const;
  std::string ToString() const;

 private:
  bool v6_ = false;
  std::array<uint8_t, 16> bytes_{};
  int prefix_ = 0;
};

}  // namespace identity

#endif  // IDENTITY_COMMON_CIDR_H_
