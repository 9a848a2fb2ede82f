#include "services/request_text.h"

#include <google/protobuf/descriptor.h>

#include <array>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "common/error_info.h"

namespace identity::services {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Fields whose values are documents pasted by an operator or posted by a
// browser, where line breaks are part of the format.
bool MayHoldLineBreaks(absl::string_view field) {
  for (absl::string_view name :
       {"idp_metadata_xml", "metadata_xml", "ca_certificate_pem",
        "sp_certificate_pem", "sp_next_certificate_pem", "sp_private_key_pem",
        "idp_metadata_ca_pem", "idp_metadata_signing_certificate_pem",
        "saml_response", "description"}) {
    if (field == name) return true;
  }
  return false;
}

// Secrets are compared, never looked up, and every API they reach takes a
// length (libsodium, an LDAP berval): any character but NUL is theirs.
bool IsSecret(absl::string_view field) {
  for (absl::string_view name :
       {"password", "current_password", "new_password", "bind_password"}) {
    if (field == name) return true;
  }
  return false;
}

// The offending character, or -1. UTF-8 C1 controls are 0xC2 0x80..0x9F.
int FirstControl(absl::string_view text, bool line_breaks, bool secret) {
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (secret) {
      if (c == 0) return 0;
      continue;
    }
    if (c == '\t' || c == '\n' || c == '\r') {
      if (line_breaks) continue;
      return c;
    }
    if (c < 0x20 || c == 0x7f) return c;
    if (c == 0xc2 && i + 1 < text.size()) {
      const unsigned char next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9f) return next;
    }
  }
  return -1;
}

absl::Status Refusal(const std::string& path, int c) {
  return WithReason(
      absl::InvalidArgumentError(absl::StrCat(
          path, ": must not contain control characters (found U+",
          absl::StrFormat("%04X", c), "); send the text without them")),
      reason::kControlCharacters, {{"field", path}});
}

// Where a field sits in the request ("checks[3].permission"), spelled out
// only when the field is refused: the walk runs on every call and a clean
// request allocates nothing.
struct PathNode {
  const PathNode* parent;
  const FieldDescriptor* field;
  int index;  // -1: not an element of a repeated field

  std::string Spell() const {
    std::string out = parent ? absl::StrCat(parent->Spell(), ".") : "";
    absl::StrAppend(&out, field->name());
    if (index >= 0) absl::StrAppend(&out, "[", index, "]");
    return out;
  }
};

absl::Status Walk(const Message& m, const PathNode* parent, int depth);

// The bytes a refused character can start with: the C0 controls, DEL,
// and 0xC2, the lead byte of the C1 controls.
constexpr std::array<bool, 256> kMayStartControl = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = true;
  table[0x7f] = table[0xc2] = true;
  return table;
}();

// The first character `f`'s value must not hold, or -1. The walk runs on
// every call: a value is first passed over a byte at a time in a table,
// and read character by character, the field's name consulted (line
// breaks, secrets), only when that finds a byte that may start a control.
int FirstRefused(absl::string_view value, const FieldDescriptor* f) {
  bool plain = true;
  for (char c : value) plain &= !kMayStartControl[static_cast<uint8_t>(c)];
  if (plain) return -1;
  if (FirstControl(value, /*line_breaks=*/false, /*secret=*/false) < 0) {
    return -1;
  }
  return FirstControl(value, MayHoldLineBreaks(f->name()), IsSecret(f->name()));
}

// Each function below takes the message's reflection from its caller:
// asking a generated message for it costs a hundred instructions a time.
absl::Status CheckString(const Message& m, const Reflection* r,
                         const FieldDescriptor* f, const PathNode* parent) {
  std::string scratch;
  if (!f->is_repeated()) {
    const std::string& v = r->GetStringReference(m, f, &scratch);
    if (int c = FirstRefused(v, f); c >= 0) {
      return Refusal(PathNode{parent, f, -1}.Spell(), c);
    }
    return absl::OkStatus();
  }
  for (int i = 0; i < r->FieldSize(m, f); ++i) {
    const std::string& v = r->GetRepeatedStringReference(m, f, i, &scratch);
    if (int c = FirstRefused(v, f); c >= 0) {
      return Refusal(PathNode{parent, f, i}.Spell(), c);
    }
  }
  return absl::OkStatus();
}

absl::Status CheckField(const Message& m, const Reflection* r,
                        const FieldDescriptor* f, const PathNode* parent,
                        int depth) {
  if (f->type() == FieldDescriptor::TYPE_STRING) {
    return CheckString(m, r, f, parent);
  }
  if (f->type() != FieldDescriptor::TYPE_MESSAGE) return absl::OkStatus();
  if (f->is_repeated()) {
    for (int i = 0; i < r->FieldSize(m, f); ++i) {
      const PathNode here{parent, f, i};
      absl::Status s = Walk(r->GetRepeatedMessage(m, f, i), &here, depth + 1);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }
  if (!r->HasField(m, f)) return absl::OkStatus();
  const PathNode here{parent, f, -1};
  return Walk(r->GetMessage(m, f), &here, depth + 1);
}

absl::Status Walk(const Message& m, const PathNode* parent, int depth) {
  // The gRPC server already refuses deeper nesting; this only bounds the
  // recursion should a message type ever be recursive.
  if (depth > 32) return absl::InvalidArgumentError("request nested too deeply");
  const google::protobuf::Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    absl::Status s = CheckField(m, r, d->field(i), parent, depth);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RefuseControlCharacters(const Message& request) {
  return Walk(request, nullptr, 0);
}

}  // namespace identity::services
