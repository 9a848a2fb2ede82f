// Each rule of a verified SAML assertion's checks, one at a time.
#include "providers/saml/saml_checks.h"

#include <functional>

#include "gtest/gtest.h"

namespace identity::saml {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

SamlAssertion Good() {
  SamlAssertion a;
  a.issuer = "https://idp.example.com";
  a.response_destination = "https://sp.example.com/acs";
  a.in_response_to = "_req1";
  a.assertion_id = "_a1";
  a.name_id = "user-1";
  a.has_conditions = true;
  a.not_before = kNow - absl::Minutes(1);
  a.not_on_or_after = kNow + absl::Minutes(4);
  a.audience_restrictions = {{"https://sp.example.com", "https://other"}};
  a.recipient = "https://sp.example.com/acs";
  a.subject_in_response_to = "_req1";
  a.subject_not_on_or_after = kNow + absl::Minutes(4);
  return a;
}

Expectations Expect() {
  return {"https://sp.example.com", "https://sp.example.com/acs",
          "https://idp.example.com", "_req1", false, absl::Seconds(60)};
}

TEST(SamlChecksTest, AGoodAnswerPasses) {
  EXPECT_TRUE(CheckAssertion(Good(), Expect(), kNow).ok());
}

TEST(SamlChecksTest, EachRuleRefusesWithItsReason) {
  struct Case {
    std::string reason;
    std::function<void(SamlAssertion&, Expectations&)> breaks;
  };
  const std::vector<Case> cases = {
      {"another IdP", [](SamlAssertion& a, Expectations&) { a.issuer = "x"; }},
      {"no NameID", [](SamlAssertion& a, Expectations&) { a.name_id.clear(); }},
      {"without Conditions", [](SamlAssertion& a, Expectations&) { a.has_conditions = false; }},
      {"without AudienceRestriction",
       [](SamlAssertion& a, Expectations&) { a.audience_restrictions.clear(); }},
      {"wrong audience",
       [](SamlAssertion& a, Expectations&) { a.audience_restrictions = {{"https://other"}}; }},
      {"wrong audience",  // every AudienceRestriction must be met
       [](SamlAssertion& a, Expectations&) {
         a.audience_restrictions.push_back({"https://other"});
       }},
      {"expired", [](SamlAssertion& a, Expectations&) { a.not_on_or_after = kNow - absl::Minutes(2); }},
      {"not valid yet", [](SamlAssertion& a, Expectations&) { a.not_before = kNow + absl::Minutes(2); }},
      {"subject confirmation expired",
       [](SamlAssertion& a, Expectations&) { a.subject_not_on_or_after = kNow - absl::Minutes(2); }},
      {"wrong destination", [](SamlAssertion& a, Expectations&) { a.response_destination = "https://x"; }},
      {"wrong recipient", [](SamlAssertion& a, Expectations&) { a.recipient = "https://x"; }},
      {"does not match the request", [](SamlAssertion& a, Expectations&) { a.in_response_to = "_other"; }},
      {"subject InResponseTo", [](SamlAssertion& a, Expectations&) { a.subject_in_response_to = "_other"; }},
      {"authentication context urn:mfa required, the IdP sent none",
       [](SamlAssertion&, Expectations& e) { e.authn_context_class_ref = "urn:mfa"; }},
      // An unsolicited assertion wrapped into a Response to a fresh request.
      {"answers no request", [](SamlAssertion& a, Expectations&) { a.subject_in_response_to.clear(); }},
      {"IdP-initiated login is off", [](SamlAssertion&, Expectations& e) { e.request_id.clear(); }},
      {"does not know",
       [](SamlAssertion&, Expectations& e) {
         e.request_id.clear();
         e.allow_unsolicited = true;
       }},
  };
  for (const Case& c : cases) {
    SamlAssertion a = Good();
    Expectations e = Expect();
    c.breaks(a, e);
    absl::Status s = CheckAssertion(a, e, kNow);
    EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << c.reason;
    EXPECT_NE(s.message().find(c.reason), absl::string_view::npos)
        << c.reason << " vs " << s.message();
  }
}

TEST(SamlChecksTest, TheClockSkewAllowanceApplies) {
  SamlAssertion a = Good();
  a.not_before = kNow + absl::Seconds(30);
  EXPECT_TRUE(CheckAssertion(a, Expect(), kNow).ok()) << "30 s early is within 60 s";
  a.not_before = std::nullopt;
  a.not_on_or_after = kNow - absl::Seconds(30);
  a.subject_not_on_or_after = std::nullopt;
  EXPECT_TRUE(CheckAssertion(a, Expect(), kNow).ok()) << "30 s late is within 60 s";
}

TEST(SamlChecksTest, AnAllowedUnsolicitedAnswerPassesWithoutInResponseTo) {
  SamlAssertion a = Good();
  a.in_response_to.clear();
  a.subject_in_response_to.clear();
  Expectations e = Expect();
  e.request_id.clear();
  e.allow_unsolicited = true;
  EXPECT_TRUE(CheckAssertion(a, e, kNow).ok());
}

TEST(SamlChecksTest, AnUnsolicitedAssertionUnderAFreshRequestPassesOnlyWhenAllowed) {
  SamlAssertion a = Good();
  a.subject_in_response_to.clear();
  Expectations e = Expect();
  EXPECT_FALSE(CheckAssertion(a, e, kNow).ok());
  e.allow_unsolicited = true;
  EXPECT_TRUE(CheckAssertion(a, e, kNow).ok());
}

}  // namespace
}  // namespace identity::saml
