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

}  // namespace
}  // namespace identity::services
