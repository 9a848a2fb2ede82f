#include "providers/saml/saml_checks.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace identity::saml {
namespace {

absl::Status Refused(absl::string_view reason) {
  return absl::UnauthenticatedError(reason);
}

}  // namespace

absl::Status CheckAssertion(const SamlAssertion& a, const Expectations& e,
                            absl::Time now) {
  if (a.issuer != e.idp_entity_id) return Refused("issued by another IdP");
  if (a.name_id.empty()) return Refused("no NameID");
  if (a.assertion_id.empty()) return Refused("assertion without ID");
  if (!a.has_conditions) return Refused("assertion without Conditions");
  if (a.audience_restrictions.empty()) {
    return Refused("assertion without AudienceRestriction");
  }
  // Several AudienceRestriction elements must each be met (SAML core 2.5.1.4).
  for (const std::vector<std::string>& audiences : a.audience_restrictions) {
    if (std::find(audiences.begin(), audiences.end(), e.sp_entity_id) ==
        audiences.end()) {
      return Refused("wrong audience");
    }
  }
  if (!a.not_on_or_after) return Refused("Conditions without NotOnOrAfter");
  if (now >= *a.not_on_or_after + e.clock_skew) return Refused("assertion expired");
  if (a.not_before && now + e.clock_skew < *a.not_before) {
    return Refused("assertion not valid yet");
  }
  if (a.subject_not_on_or_after &&
      now >= *a.subject_not_on_or_after + e.clock_skew) {
    return Refused("subject confirmation expired");
  }
  if (!a.response_destination.empty() && a.response_destination != e.acs_url) {
    return Refused("wrong destination");
  }
  if (a.recipient != e.acs_url) return Refused("wrong recipient");
  if (!e.authn_context_class_ref.empty() &&
      std::find(a.authn_context_class_refs.begin(), a.authn_context_class_refs.end(),
                e.authn_context_class_ref) == a.authn_context_class_refs.end()) {
    return Refused(absl::StrCat("authentication context ", e.authn_context_class_ref,
                                " required, the IdP sent ",
                                a.authn_context_class_refs.empty()
                                    ? std::string("none")
                                    : a.authn_context_class_refs.front()));
  }
  if (e.request_id.empty()) {
    if (!e.allow_unsolicited) return Refused("unsolicited response (IdP-initiated login is off)");
    if (!a.in_response_to.empty() || !a.subject_in_response_to.empty()) {
      return Refused("InResponseTo a request this SP does not know");
    }
    return absl::OkStatus();
  }
  if (!a.in_response_to.empty() && a.in_response_to != e.request_id) {
    return Refused("InResponseTo does not match the request");
  }
  // The Response's InResponseTo may be unsigned (the Assertion signed
  // only): what the assertion answers is its SubjectConfirmationData's.
  if (a.subject_in_response_to.empty()) {
    if (e.allow_unsolicited) return absl::OkStatus();  // an IdP-initiated login
    return Refused(
        "the assertion answers no request (unsolicited) and IdP-initiated login is off");
  }
  if (a.subject_in_response_to != e.request_id) {
    return Refused("subject InResponseTo does not match the request");
  }
  return absl::OkStatus();
}

}  // namespace identity::saml
