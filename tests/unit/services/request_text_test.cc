// The walk that refuses control characters in any text of a request, on
// nested and repeated fields, naming the field that holds one.
#include "services/request_text.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/stubs/logging.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "identity/v1/api_key_service.pb.h"
#include "identity/v1/auth_service.pb.h"
#include "services/rpc_operations.h"

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

// Every byte value at every place in names of every length up to 33
// (the walk reads sixteen or eight bytes at a time, the last block
// overlapping): refused exactly when it is a C0 control or DEL; a C1
// control (U+0080..U+009F, 0xC2 then 0x80..0x9F) is refused wherever it
// sits, across a block's end too, and the characters around it in UTF-8
// pass.
TEST(RequestTextTest, EveryControlCharacterIsRefusedAndNothingElse) {
  // A byte of 0x80 or more alone is not UTF-8, which the server's parser
  // refuses before any walk: protobuf says so when it encodes one.
  google::protobuf::LogSilencer quiet;
  v1::AuthenticateRequest req;
  const std::string text = "alice.in.wonderland.and.elsewhere";  // 33 bytes
  for (size_t length = 1; length <= text.size(); ++length) {
    const std::string plain = text.substr(0, length);
    for (size_t at = 0; at < length; ++at) {
      for (int c = 0; c < 256; ++c) {
        std::string name = plain;
        name[at] = static_cast<char>(c);
        req.set_username(name);
        const bool control = c < 0x20 || c == 0x7f;
        ASSERT_EQ(RefuseControlCharacters(req).ok(), !control)
            << "byte " << c << " at " << at << " of " << length;
      }
      for (int next = 0x80; next < 0xc0; ++next) {
        std::string name = plain;
        name.insert(at, std::string("\xc2") + static_cast<char>(next));
        req.set_username(name);
        ASSERT_EQ(RefuseControlCharacters(req).ok(), next > 0x9f)
            << next << " at " << at << " of " << length;
      }
    }
  }
  req.set_username("Jos\xc3\xa9 \xe2\x80\x94 \xc2\xa0\xc2");  // é, —, NBSP
  EXPECT_TRUE(RefuseControlCharacters(req).ok());
}

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

using Path = std::vector<const FieldDescriptor*>;

// Every text field reachable in a message of type `d`, as a path of
// fields, through messages not already on the way there.
void TextFields(const Descriptor* d, Path* on_the_way, std::vector<Path>* out) {
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    ASSERT_FALSE(f->is_map()) << f->full_name() << ": teach this test maps";
    on_the_way->push_back(f);
    if (f->type() == FieldDescriptor::TYPE_STRING) out->push_back(*on_the_way);
    const bool seen = std::any_of(
        on_the_way->begin(), on_the_way->end() - 1,
        [&](const FieldDescriptor* g) { return g->containing_type() == d; });
    if (f->type() == FieldDescriptor::TYPE_MESSAGE && !seen) {
      TextFields(f->message_type(), on_the_way, out);
    }
    on_the_way->pop_back();
  }
}

// Sets the text at the end of `path`, in `m`, to `value`; a repeated field
// on the way gets two elements, the second one holding it. Returns the
// field's path as a refusal names it ("checks[1].permission").
std::string SetAt(Message* m, const Path& path, size_t i,
                  const std::string& value) {
  const FieldDescriptor* f = path[i];
  const auto* r = m->GetReflection();
  const std::string name =
      f->is_repeated() ? absl::StrCat(f->name(), "[1]") : f->name();
  if (i + 1 == path.size()) {
    if (!f->is_repeated()) {
      r->SetString(m, f, value);
    } else {
      r->AddString(m, f, "plain");
      r->AddString(m, f, value);
    }
    return name;
  }
  Message* next;
  if (!f->is_repeated()) {
    next = r->MutableMessage(m, f);
  } else {
    r->AddMessage(m, f);
    next = r->AddMessage(m, f);
  }
  return absl::StrCat(name, ".", SetAt(next, path, i + 1, value));
}

// Every text field of every request of the API, nested and repeated ones
// too: a NUL in it is refused and named, a plain value passes. A request
// whose text is all plain passes without being walked field by field, so
// this is what tells that every text field is read on that path too.
TEST(RequestTextTest, EveryTextFieldOfEveryRequestIsRead) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  size_t fields = 0;
  for (const RpcOperation& rpc : RpcOperations()) {
    std::string name(rpc.method.substr(1));  // "identity.v1.X/Y"
    std::replace(name.begin(), name.end(), '/', '.');
    const auto* method = pool->FindMethodByName(name);
    ASSERT_NE(method, nullptr) << name << " is not linked into this test";
    Path on_the_way;
    std::vector<Path> paths;
    TextFields(method->input_type(), &on_the_way, &paths);
    for (const Path& path : paths) {
      std::unique_ptr<Message> clean(
          factory->GetPrototype(method->input_type())->New());
      SetAt(clean.get(), path, 0, "plain text, with UTF-8: \xc3\xa9");
      EXPECT_TRUE(RefuseControlCharacters(*clean).ok()) << name;
      std::unique_ptr<Message> dirty(
          factory->GetPrototype(method->input_type())->New());
      const std::string where =
          SetAt(dirty.get(), path, 0, std::string("a plain text\0", 13));
      EXPECT_EQ(std::string(RefuseControlCharacters(*dirty).message()),
                absl::StrCat(where,
                             ": must not contain control characters (found "
                             "U+0000); send the text without them"))
          << name;
      ++fields;
    }
  }
  EXPECT_GT(fields, 100u);
}

// A request too large to be read as its encoding is walked field by field:
// a control character past its first kilobytes is refused all the same.
TEST(RequestTextTest, ALargeRequestIsWalkedAllTheSame) {
  v1::BatchCheckPermissionsRequest req;
  req.set_token("ist_abc");
  for (int i = 0; i < 100; ++i) {
    req.add_checks()->set_permission(std::string(60, 'p'));
  }
  ASSERT_GT(req.ByteSizeLong(), 4096u);
  EXPECT_TRUE(RefuseControlCharacters(req).ok());
  req.mutable_checks(99)->set_organization_id("org\x1b");
  EXPECT_EQ(std::string(RefuseControlCharacters(req).message()),
            "checks[99].organization_id: must not contain control characters "
            "(found U+001B); send the text without them");
}

}  // namespace
}  // namespace identity::services
