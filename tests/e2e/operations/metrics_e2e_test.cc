// The Prometheus endpoint as a scraper sees it.
#include <algorithm>

#include "absl/strings/match.h"
#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using MetricsE2eTest = E2eTest;

TEST_F(MetricsE2eTest, RpcsLoginsCacheAndPoolsAreExposed) {
  v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  const std::string token = Login(user.username(), kPassword);
  (void)TryLogin(user.username(), "Not-The-Password-1");
  for (int i = 0; i < 3; ++i) {
    v1::ValidateTokenRequest req;
    req.set_token(token);
    v1::ValidateTokenResponse resp;
    ASSERT_TRUE(auth_->ValidateToken(Ctx().get(), req, &resp).ok());
  }
  const std::string m = server().Metrics();
  ASSERT_FALSE(m.empty()) << "GET /metrics answered";
  EXPECT_GE(MetricValue(m, "identity_rpc_requests_total{method=\"identity.v1."
                           "AuthService/ValidateToken\",code=\"OK\"}"),
            3);
  EXPECT_GE(MetricValue(m, "identity_rpc_requests_total{method=\"identity.v1."
                           "AuthService/Authenticate\",code=\"UNAUTHENTICATED\"}"),
            1);
  EXPECT_GE(MetricValue(m, "identity_rpc_duration_seconds_count{method="
                           "\"identity.v1.AuthService/ValidateToken\"}"),
            3);
  EXPECT_GE(MetricValue(m, "identity_logins_total{provider=\"internal\","
                           "outcome=\"success\"}"),
            1);
  EXPECT_GE(MetricValue(m, "identity_logins_total{provider=\"internal\","
                           "outcome=\"refused\"}"),
            1);
  EXPECT_EQ(MetricValue(m, "identity_credential_cache_live"), 1);
  EXPECT_GE(MetricValue(m, "identity_credential_cache_hits_total"), 2)
      << "the second and third validation came from memory";
  EXPECT_GT(MetricValue(m, "identity_credential_cache_hit_ratio"), 0);
  EXPECT_GE(MetricValue(m, "identity_db_pool_open"), 1);
  EXPECT_TRUE(absl::StrContains(m, "# TYPE identity_rpc_duration_seconds histogram"));
  EXPECT_FALSE(absl::StrContains(m, token)) << "no credential in metrics";
  EXPECT_FALSE(absl::StrContains(m, user.username())) << "no user names either";
}

// A name not known here, in an organization without a directory, is
// answered by the dummy hash, not by LDAP: counting it under "ldap" would
// show directory failures that never reached a directory.
TEST_F(MetricsE2eTest, AnUnknownNameWithoutADirectoryIsNotCountedAsAnLdapLogin) {
  const std::string org = CreateOrg().id();
  const std::string internal_refused =
      "identity_logins_total{provider=\"internal\",outcome=\"refused\"}";
  const std::string ldap_refused =
      "identity_logins_total{provider=\"ldap\",outcome=\"refused\"}";
  const std::string before = server().Metrics();
  v1::AuthenticateRequest req;
  req.set_username(Unique("nobody"));
  req.set_password("Not-The-Password-1");
  req.set_organization(org);
  v1::AuthenticateResponse resp;
  ASSERT_EQ(auth_->Authenticate(Ctx().get(), req, &resp).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  const std::string after = server().Metrics();
  EXPECT_EQ(MetricValue(after, ldap_refused), MetricValue(before, ldap_refused));
  EXPECT_EQ(std::max(MetricValue(after, internal_refused), 0.0) -
                std::max(MetricValue(before, internal_refused), 0.0),
            1);
}

}  // namespace
}  // namespace identity::testing
