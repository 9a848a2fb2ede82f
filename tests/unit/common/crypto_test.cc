#include "common/crypto.h"

#include <set>

#include "gtest/gtest.h"
#include "domain/credential_format.h"
#include "application/sessions/session_manager.h"

namespace identity {
namespace {

class CryptoTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::Init().ok()); }
};

TEST_F(CryptoTest, Sha256MatchesTheKnownVector) {
  // FIPS 180-2 test vector for "abc".
  EXPECT_EQ(crypto::Base64UrlEncode(crypto::Sha256("abc")),
            "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
}

TEST_F(CryptoTest, Base64UrlRoundTripsAndRejectsGarbage) {
  std::string bytes = crypto::RandomBytes(33);
  EXPECT_EQ(crypto::Base64UrlDecode(crypto::Base64UrlEncode(bytes)), bytes);
  EXPECT_FALSE(crypto::Base64UrlDecode("not base64!").has_value());
  EXPECT_FALSE(crypto::Base64UrlDecode("ab+/").has_value());  // not URL-safe
}

TEST_F(CryptoTest, RandomBytesDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(crypto::RandomBytes(32));
  EXPECT_EQ(seen.size(), 1000u);
}

TEST_F(CryptoTest, ConstantTimeEquals) {
  EXPECT_TRUE(crypto::ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(crypto::ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(crypto::ConstantTimeEquals("abc", "abcd"));
}

TEST_F(CryptoTest, TokenFormatIsChecked) {
  std::string token =
      "idt_" + crypto::Base64UrlEncode(crypto::RandomBytes(32));
  EXPECT_TRUE(IsSessionTokenFormat(token));
  EXPECT_FALSE(IsSessionTokenFormat(token.substr(1)));
  EXPECT_FALSE(IsSessionTokenFormat("idt_" + std::string(43, '!')));
  EXPECT_FALSE(IsSessionTokenFormat(""));
}

}  // namespace
}  // namespace identity
