#include "services/request_text.h"

#include <google/protobuf/descriptor.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
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

// Eight copies of byte `b`.
constexpr uint64_t Repeated(uint8_t b) { return 0x0101010101010101ull * b; }

// Whether any byte of `w` may start a refused character: a C0 control,
// DEL, or 0xC2, the lead byte of the C1 controls, in one branch.
// `(w - Repeated(n)) & ~w & Repeated(0x80)` is nonzero exactly when some
// byte of `w` is below n (n <= 0x80): the lowest such byte borrows into its
// top bit, which `~w` keeps as the byte did not have it; with no such byte
// nothing borrows. A byte equal to b is a byte of `w ^ Repeated(b)` below 1.
constexpr bool MayStartControl(uint64_t w) {
  const uint64_t del = w ^ Repeated(0x7f);
  const uint64_t c2 = w ^ Repeated(0xc2);
  return (((w - Repeated(0x20)) & ~w) | ((del - Repeated(1)) & ~del) |
          ((c2 - Repeated(1)) & ~c2)) &
         Repeated(0x80);
}

bool MayStartControl8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof(w));
  return MayStartControl(w);
}

// The same for the sixteen bytes at `p`, in one SSE2 comparison where the
// machine has it (every x86-64 does).
bool MayStartControl16(const char* p) {
#if defined(__SSE2__)
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // A byte is at most 0x1F when the smaller of it and 0x1F is itself.
  const __m128i c0 = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
  const __m128i del = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f));
  const __m128i c2 = _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(0xc2)));
  return _mm_movemask_epi8(_mm_or_si128(c0, _mm_or_si128(del, c2))) != 0;
#else
  return MayStartControl8(p) || MayStartControl8(p + 8);
#endif
}

// Whether no byte of `value` may start a refused character. The walk runs
// on every call, and most values are plain: they are passed over sixteen
// or eight bytes at a time, the last block overlapping the one before it
// (a byte read twice is judged the same twice).
bool Plain(absl::string_view value) {
  const char* p = value.data();
  const size_t n = value.size();
  if (n >= 16) {
    for (size_t i = 0; i + 16 <= n; i += 16) {
      if (MayStartControl16(p + i)) return false;
    }
    return n % 16 == 0 || !MayStartControl16(p + n - 16);
  }
  if (n >= 8) return !MayStartControl8(p) && !MayStartControl8(p + n - 8);
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c == 0x7f || c == 0xc2) return false;
  }
  return true;
}

// The first character `f`'s value must not hold, or -1. The field's name
// (line breaks, secrets) is consulted only for a value that is not plain.
int FirstRefused(absl::string_view value, const FieldDescriptor* f) {
  if (Plain(value)) return -1;
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

// The fast path. Reflection costs some two hundred instructions a field,
// more than the rest of admitting a call, so a request is first read as
// its encoding: every text field's bytes lie there as they are, and a
// request whose every text is plain passes without reflection. Any other
// request (a value that is not plain, an encoding too large or not
// understood) is walked by reflection above, which gives the answer.

// What the encoding of a message type holds, by field number: text,
// messages (and of what shape), or neither. Built once per type, from its
// descriptor, and kept for the process's life.
struct Shape {
  enum class Kind : uint8_t { kOther, kText, kMessage };
  struct Field {
    Kind kind = Kind::kOther;
    const Shape* shape = nullptr;  // for kMessage
  };
  // Field numbers index it; false when they are too large to (never in
  // this API): such a message is walked by reflection.
  bool indexed = true;
  std::vector<Field> by_number;

  const Field* Find(uint64_t number) const {
    return number < by_number.size() ? &by_number[number] : nullptr;
  }
};

constexpr int kMaxIndexedNumber = 1024;

class Shapes {
 public:
  // Each thread keeps the shapes it has used: the calls look them up with
  // no lock, and the table is shared only to build each shape once.
  const Shape* Of(const google::protobuf::Descriptor* d) {
    thread_local absl::flat_hash_map<const google::protobuf::Descriptor*,
                                     const Shape*>
        used;
    if (auto it = used.find(d); it != used.end()) return it->second;
    const Shape* shape;
    {
      absl::MutexLock lock(&mu_);
      shape = BuildLocked(d);
    }
    used.emplace(d, shape);
    return shape;
  }

 private:
  const Shape* BuildLocked(const google::protobuf::Descriptor* d)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto [it, added] = shapes_.try_emplace(d);
    if (!added) return it->second.get();
    // Kept before its fields are filled: a type may hold itself.
    it->second = std::make_unique<Shape>();
    Shape* shape = it->second.get();
    int largest = 0;
    for (int i = 0; i < d->field_count(); ++i) {
      largest = std::max(largest, d->field(i)->number());
    }
    if (largest > kMaxIndexedNumber) {
      shape->indexed = false;
      return shape;
    }
    shape->by_number.resize(largest + 1);
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      Shape::Field& field = shape->by_number[f->number()];
      if (f->type() == FieldDescriptor::TYPE_STRING) {
        field.kind = Shape::Kind::kText;
      } else if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
        field.kind = Shape::Kind::kMessage;
        field.shape = BuildLocked(f->message_type());
      }
    }
    return shape;
  }

  absl::Mutex mu_;
  absl::flat_hash_map<const google::protobuf::Descriptor*,
                      std::unique_ptr<Shape>>
      shapes_ ABSL_GUARDED_BY(mu_);
};

Shapes& AllShapes() {
  static Shapes* shapes = new Shapes;
  return *shapes;
}

// Reads the varint at `*p`; false when the encoding ends inside it or it
// is longer than ten bytes.
bool ReadVarint(const char** p, const char* end, uint64_t* out) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64 && *p < end; shift += 7) {
    const uint8_t byte = static_cast<uint8_t>(*(*p)++);
    value |= uint64_t{byte & 0x7fu} << shift;
    if (byte < 0x80) {
      *out = value;
      return true;
    }
  }
  return false;
}

// Whether the encoding [p, end) of a message of shape `shape` holds only
// plain text; false as well for an encoding it does not follow (the
// reflective walk then answers).
bool PlainEncoding(const Shape& shape, const char* p, const char* end,
                   int depth) {
  if (!shape.indexed || depth > 32) return false;
  while (p < end) {
    uint64_t tag = 0;
    uint64_t value = 0;
    if (!ReadVarint(&p, end, &tag)) return false;
    switch (tag & 7) {
      case 0:  // varint
        if (!ReadVarint(&p, end, &value)) return false;
        break;
      case 1:  // 64-bit
        if (end - p < 8) return false;
        p += 8;
        break;
      case 5:  // 32-bit
        if (end - p < 4) return false;
        p += 4;
        break;
      case 2: {  // length-delimited: text, a message, bytes, packed
        if (!ReadVarint(&p, end, &value) ||
            value > static_cast<uint64_t>(end - p)) {
          return false;
        }
        const Shape::Field* field = shape.Find(tag >> 3);
        if (field != nullptr && field->kind == Shape::Kind::kText &&
            !Plain(absl::string_view(p, value))) {
          return false;
        }
        if (field != nullptr && field->kind == Shape::Kind::kMessage &&
            !PlainEncoding(*field->shape, p, p + value, depth + 1)) {
          return false;
        }
        p += value;
        break;
      }
      default:  // groups: no message of this API has one
        return false;
    }
  }
  return true;
}

// The largest request the fast path encodes, on the stack. Larger ones are
// documents (metadata, a SAML response), which hold line breaks and so
// take the reflective walk anyway.
constexpr size_t kMaxEncodedBytes = 2048;

bool PlainRequest(const Message& request) {
  const size_t size = request.ByteSizeLong();
  if (size > kMaxEncodedBytes) return false;
  char encoded[kMaxEncodedBytes];
  request.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(encoded));
  return PlainEncoding(*AllShapes().Of(request.GetDescriptor()), encoded,
                       encoded + size, 0);
}

}  // namespace

absl::Status RefuseControlCharacters(const Message& request) {
  if (PlainRequest(request)) return absl::OkStatus();
  return Walk(request, nullptr, 0);
}

}  // namespace identity::services
