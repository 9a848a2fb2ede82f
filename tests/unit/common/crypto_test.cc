#include "common/crypto.h"

#include <optional>
#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "application/sessions/session_manager.h"
#include "domain/credential_format.h"
#include "gtest/gtest.h"

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

TEST_F(CryptoTest, SipHash128MatchesTheReferenceVectorAndDependsOnTheKey) {
  // The SipHash authors' first 128-bit vector: key 00..0f, empty message.
  std::string key;
  for (char c = 0; c < 16; ++c) key.push_back(c);
  std::array<unsigned char, 16> out = crypto::SipHash128(key, "");
  EXPECT_EQ(absl::BytesToHexString(absl::string_view(
                reinterpret_cast<const char*>(out.data()), out.size())),
            "a3817f04ba25a8e66df67214c7550293");
  const std::string other = crypto::RandomBytes(crypto::kSipHashKeyBytes);
  EXPECT_NE(crypto::SipHash128(key, "ses_x"),
            crypto::SipHash128(other, "ses_x"));
  EXPECT_EQ(crypto::SipHash128(other, "ses_x"),
            crypto::SipHash128(other, "ses_x"));
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

// The shape checks read characters instead of decoding; they must accept
// what the decoder accepts as 32 bytes, trailing bits included.
TEST_F(CryptoTest, CredentialShapesAgreeWithTheDecoder) {
  const std::string secret = crypto::Base64UrlEncode(crypto::RandomBytes(32));
  auto decodes = [](absl::string_view text) {
    std::optional<std::string> raw = crypto::Base64UrlDecode(text);
    return raw.has_value() && raw->size() == 32;
  };
  int accepted_last = 0;
  for (int c = 0; c < 256; ++c) {
    for (size_t at : {size_t{0}, size_t{20}, secret.size() - 1}) {
      std::string changed = secret;
      changed[at] = static_cast<char>(c);
      SCOPED_TRACE(absl::StrCat("character ", c, " at ", at));
      // libsodium's decoder also takes some bytes above 127 for letters; no
      // credential this service issues has one, so the shapes refuse them.
      const bool expected = c < 128 && decodes(changed);
      EXPECT_EQ(IsSessionTokenFormat("idt_" + changed), expected);
      EXPECT_EQ(IsApiKeyFormat("idk_AbCdEfGh_" + changed), expected);
      if (at == secret.size() - 1 && decodes(changed)) ++accepted_last;
    }
  }
  // 16 of the 64 characters leave the two unused bits zero.
  EXPECT_EQ(accepted_last, 16);
  EXPECT_FALSE(IsApiKeyFormat("idk_AbCdEfGh-" + secret));
}

}  // namespace
}  // namespace identity
