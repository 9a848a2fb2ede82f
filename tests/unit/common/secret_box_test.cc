#include "common/secret_box.h"

#include "common/crypto.h"
#include "gtest/gtest.h"

namespace identity {
namespace {

constexpr char kKey[] = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU=";

TEST(SecretBoxTest, SealsAndOpensWithANewNonceEachTime) {
  ASSERT_TRUE(crypto::Init().ok());
  absl::StatusOr<SecretBox> box = SecretBox::FromBase64Key(kKey);
  ASSERT_TRUE(box.ok()) << box.status();
  absl::StatusOr<std::string> a = box->Seal("seed");
  absl::StatusOr<std::string> b = box->Seal("seed");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_EQ(*box->Open(*a), "seed");
}

TEST(SecretBoxTest, TamperingOrAnotherKeyIsDetected) {
  SecretBox box = *SecretBox::FromBase64Key(kKey);
  std::string sealed = *box.Seal("seed");
  sealed.back() ^= 1;
  EXPECT_EQ(box.Open(sealed).status().code(), absl::StatusCode::kInternal);
  SecretBox other = *SecretBox::FromBase64Key(
      crypto::Base64UrlEncode(crypto::RandomBytes(32)));
  EXPECT_FALSE(other.Open(*box.Seal("seed")).ok());
}

TEST(SecretBoxTest, MissingOrMalformedKeys) {
  SecretBox off = *SecretBox::FromBase64Key("");
  EXPECT_FALSE(off.configured());
  EXPECT_EQ(off.Seal("x").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(SecretBox::FromBase64Key("c2hvcnQ=").ok()) << "too short";
  EXPECT_FALSE(SecretBox::FromBase64Key("not base64 at all!").ok());
}

}  // namespace
}  // namespace identity
