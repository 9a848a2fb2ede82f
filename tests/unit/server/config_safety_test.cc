// Settings whose wrong value would quietly weaken a defence: each is refused
// at start-up with the variable's name and what it accepts.
#include <map>

#include "gtest/gtest.h"
#include "server/config.h"

namespace identity::server {
namespace {

absl::StatusOr<Config> Load(const std::map<std::string, std::string>& vars) {
  return LoadConfig([&](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
}

void ExpectRefused(const std::map<std::string, std::string>& vars,
                   absl::string_view variable, absl::string_view hint) {
  absl::StatusOr<Config> c = Load(vars);
  ASSERT_FALSE(c.ok()) << variable;
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find(variable), absl::string_view::npos)
      << c.status();
  EXPECT_NE(c.status().message().find(hint), absl::string_view::npos)
      << c.status();
}

// The verification link's lifetime is also how long an unverified
// self-registration holds its address.
TEST(ConfigSafetyTest, PendingRegistrationsExpireAfterADayByDefault) {
  absl::StatusOr<Config> c = Load({});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->onboarding.verification_lifetime, absl::Hours(24));
  ExpectRefused({{"IDENTITY_EMAIL_VERIFICATION_TTL_SECONDS", "0"}},
                "IDENTITY_EMAIL_VERIFICATION_TTL_SECONDS", "60 to 2592000");
  ExpectRefused({{"IDENTITY_EMAIL_VERIFICATION_TTL_SECONDS", "forever"}},
                "IDENTITY_EMAIL_VERIFICATION_TTL_SECONDS", "whole number");
}

TEST(ConfigSafetyTest, NoProxyIsTrustedByDefault) {
  absl::StatusOr<Config> c = Load({});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->trusted_proxies.empty());
}

TEST(ConfigSafetyTest, TrustedProxiesAreACommaSeparatedCidrList) {
  absl::StatusOr<Config> c = Load(
      {{"IDENTITY_TRUSTED_PROXIES", " 10.0.0.0/8, 2001:db8::/32,192.0.2.7 "}});
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->trusted_proxies.size(), 3u);
  EXPECT_EQ(c->trusted_proxies[2].ToString(), "192.0.2.7/32");
}

TEST(ConfigSafetyTest, InvalidTrustedProxiesStopTheStart) {
  ExpectRefused({{"IDENTITY_TRUSTED_PROXIES", "10.0.0.1/8"}},
                "IDENTITY_TRUSTED_PROXIES", "did you mean 10.0.0.0/8");
  ExpectRefused({{"IDENTITY_TRUSTED_PROXIES", "10.0.0.0/8 192.0.2.0/24"}},
                "IDENTITY_TRUSTED_PROXIES", "comma-separated CIDR ranges");
  ExpectRefused({{"IDENTITY_TRUSTED_PROXIES", "lb.example.com"}},
                "IDENTITY_TRUSTED_PROXIES", "not an IPv4 or IPv6 address");
}

TEST(ConfigSafetyTest, SmtpUrlSaysWhetherMailMayTravelInClear) {
  struct Case {
    const char* url;
    SmtpTls tls;
    const char* curl_url;
  };
  for (Case c : {Case{"smtp://mail.example.com:587", SmtpTls::kStartTls,
                      "smtp://mail.example.com:587"},
                 Case{"smtp://mail.example.com?tls=starttls",
                      SmtpTls::kStartTls, "smtp://mail.example.com"},
                 Case{"smtps://mail.example.com:465", SmtpTls::kImplicit,
                      "smtps://mail.example.com:465"},
                 Case{"smtp://127.0.0.1:25?tls=none", SmtpTls::kNone,
                      "smtp://127.0.0.1:25"}}) {
    absl::StatusOr<Config> config = Load({{"IDENTITY_SMTP_URL", c.url}});
    ASSERT_TRUE(config.ok()) << c.url << ": " << config.status();
    absl::StatusOr<SmtpEndpoint> e = ParseSmtpUrl(config->smtp.url);
    ASSERT_TRUE(e.ok()) << e.status();
    EXPECT_EQ(e->tls, c.tls) << c.url;
    EXPECT_EQ(e->url, c.curl_url);
  }
}

TEST(ConfigSafetyTest, SmtpUrlThatCouldDowngradeQuietlyIsRefused) {
  ExpectRefused({{"IDENTITY_SMTP_URL", "smtp://mail.example.com?tls=no"}},
                "IDENTITY_SMTP_URL", "?tls=none");
  ExpectRefused({{"IDENTITY_SMTP_URL", "smtps://mail.example.com?tls=none"}},
                "IDENTITY_SMTP_URL", "always TLS");
  ExpectRefused({{"IDENTITY_SMTP_URL", "http://mail.example.com"}},
                "IDENTITY_SMTP_URL", "smtp:// or smtps://");
  ExpectRefused({{"IDENTITY_SMTP_URL", "smtp://user:secret@mail.example.com"}},
                "IDENTITY_SMTP_URL", "IDENTITY_SMTP_PASSWORD");
  ExpectRefused({{"IDENTITY_SMTP_URL", "smtp://mail.example.com"},
                 {"IDENTITY_SMTP_REQUIRE_TLS", "false"}},
                "IDENTITY_SMTP_REQUIRE_TLS", "?tls=none");
  EXPECT_TRUE(Load({{"IDENTITY_SMTP_REQUIRE_TLS", "true"}}).ok());
}

}  // namespace
}  // namespace identity::server
