// The walk that refuses control characters in any text of a request, on
// nested and repeated fields, naming the field that holds one.
#include "services/request_text.h"

#include "gtest/gtest.h"
#include "identity/v1/auth_service.pb.h"
#include "absl/strings/match.h"
#include "identity/v1/api_key_service.pb.h"

namespace identity::services {
namespace {

TEST(RequestTextTest, ACleanRequestPasses) {
  v1::BatchCheckPermissionsRequest req;
  req.set_token("ist_abc");
  for (int i = 0; i < 20; ++i) req.add_checks()->set_permission("users.read");
  EXPECT_TRUE(RefuseControlCharacters(req).ok());
}

TEST(RequestTextTest, ARefusalNamesTheNestedRepeatedField) {
  v1::BatchCheckPermissionsRequest req;
  req.set_token("ist_abc");
  for (int i = 0; i < 5; ++i) req.add_checks()->set_permission("users.read");
  req.mutable_checks(3)->set_organization_id(std::string("org\x1b[0m"));
  absl::Status s = RefuseControlCharacters(req);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(s.message()),
            "checks[3].organization_id: must not contain control characters "
            "(found U+001B); send the text without them");
}

TEST(RequestTextTest, ARepeatedStringIsNamedWithItsIndex) {
  v1::CreateApiKeyRequest req;
  req.add_permissions("users.read");
  req.add_permissions(std::string("users.\x7fwrite"));
  absl::Status s = RefuseControlCharacters(req);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(s.message(), "permissions[1]: "))
      << s.message();
}

TEST(RequestTextTest, SecretsMayHoldAnyCharacterButNul) {
  v1::AuthenticateRequest req;
  req.set_username("alice");
  req.set_password(std::string("p\x01\x1b\x7f"));
  EXPECT_TRUE(RefuseControlCharacters(req).ok());
  req.set_password(std::string("p\0q", 3));
  EXPECT_EQ(std::string(RefuseControlCharacters(req).message()),
            "password: must not contain control characters (found U+0000); "
            "send the text without them");
  req.set_password("ok");
  req.set_username("al\nice");
  EXPECT_FALSE(RefuseControlCharacters(req).ok());
}

// Documents posted by a browser keep their line breaks; any other control
// character in them is refused, as in every other field.
TEST(RequestTextTest, DocumentFieldsMayHoldLineBreaksOnly) {
  v1::CompleteSamlLoginRequest req;
  req.set_saml_response("PHNhbWxwOlJlc3BvbnNl\r\nIElEPSJfMSI+\n\tPC9zYW1s");
  EXPECT_TRUE(RefuseControlCharacters(req).ok());
  req.set_saml_response(
      "PHNhbWxw\nOlJl\x01"
      "c3Bvbn");
  EXPECT_EQ(std::string(RefuseControlCharacters(req).message()),
            "saml_response: must not contain control characters (found "
            "U+0001); send the text without them");
  req.set_saml_response("PHNhbWxw\nOlJl\xc2\x85");  // U+0085, a C1 control
  EXPECT_FALSE(RefuseControlCharacters(req).ok());
  req.set_saml_response("ok");
  req.set_relay_state("a\nb");  // not a document: no line breaks
  EXPECT_FALSE(RefuseControlCharacters(req).ok());
}

// Every byte value in the middle of a name: refused exactly when it is a C0
// control or DEL; a C1 control (U+0080..U+009F, 0xC2 then 0x80..0x9F) is
// refused, and the characters around it in UTF-8 pass.
TEST(RequestTextTest, EveryControlCharacterIsRefusedAndNothingElse) {
  v1::AuthenticateRequest req;
  for (int c = 0; c < 256; ++c) {
    std::string name = "alice";
    name.insert(name.begin() + 2, static_cast<char>(c));
    req.set_username(name);
    const bool control = c < 0x20 || c == 0x7f;
    EXPECT_EQ(RefuseControlCharacters(req).ok(), !control) << "byte " << c;
  }
  for (int next = 0x80; next < 0xc0; ++next) {
    req.set_username(std::string("al\xc2") + static_cast<char>(next) + "ice");
    EXPECT_EQ(RefuseControlCharacters(req).ok(), next > 0x9f) << next;
  }
  req.set_username("Jos\xc3\xa9 \xe2\x80\x94 \xc2\xa0\xc2");  // é, —, NBSP
  EXPECT_TRUE(RefuseControlCharacters(req).ok());
}

}  // namespace
}  // namespace identity::services
