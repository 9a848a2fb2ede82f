#include "domain/records.h"

namespace identity::domain {

const char* OriginName(Origin origin) {
  switch (origin) {
    case Origin::kInternal:
      return "INTERNAL";
    case Origin::kLdap:
      return "LDAP";
    case Origin::kSaml:
      return "SAML";
  }
  return "INTERNAL";
}

std::optional<Origin> ParseOrigin(absl::string_view name) {
  if (name == "INTERNAL") return Origin::kInternal;
  if (name == "LDAP") return Origin::kLdap;
  if (name == "SAML") return Origin::kSaml;
  return std::nullopt;
}

}  // namespace identity::domain
