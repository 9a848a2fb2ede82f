// SAML responses come from browsers: whatever bytes are posted, reading
// them must refuse with UNAUTHENTICATED (or accept a validly signed one,
// which random bytes never are), never crash or hang.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/escaping.h"
#include "providers/saml/saml_sp.h"
#include "tests/support/saml_sp_settings.h"

namespace {

identity::saml::SpSettings MakeSettings() {
  return identity::testing::TestSpSettings(
      identity::testing::TestIdpMetadata(identity::testing::TestIdpKeyDescriptor()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const identity::saml::SpSettings settings = MakeSettings();
  const std::string xml(reinterpret_cast<const char*>(data), size);
  auto read = identity::saml::ReadResponse(settings, absl::Base64Escape(xml));
  if (read.ok()) std::abort();  // nothing unsigned may pass
  if (!absl::IsUnauthenticated(read.status()) &&
      !absl::IsFailedPrecondition(read.status())) {
    std::abort();
  }
  return 0;
}
