// Requests come from anyone: any bytes the server parses as a request are
// admitted or refused by the control-character check without a crash, and
// its verdict holds whichever way it reads the request (as its encoding or
// field by field): a NUL in any text field is refused, and a request whose
// text holds no control character at all is admitted.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "identity/v1/auth_service.pb.h"
#include "identity/v1/organization_service.pb.h"
#include "identity/v1/user_service.pb.h"
#include "services/request_text.h"

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

struct Seen {
  bool nul = false;
  bool control = false;  // a C0 control, DEL or a C1 control
};

void Look(const std::string& text, Seen* seen) {
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    seen->nul |= c == 0;
    seen->control |= c < 0x20 || c == 0x7f;
    if (c == 0xc2 && i + 1 < text.size()) {
      const unsigned char next = static_cast<unsigned char>(text[i + 1]);
      seen->control |= next >= 0x80 && next <= 0x9f;
    }
  }
}

// Every text field of `m`, by reflection, independently of the check.
void LookAll(const Message& m, Seen* seen) {
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->type() == FieldDescriptor::TYPE_STRING) {
      if (!f->is_repeated()) {
        Look(r->GetString(m, f), seen);
      } else {
        for (int j = 0; j < r->FieldSize(m, f); ++j) {
          Look(r->GetRepeatedString(m, f, j), seen);
        }
      }
    } else if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (!f->is_repeated()) {
        if (r->HasField(m, f)) LookAll(r->GetMessage(m, f), seen);
      } else {
        for (int j = 0; j < r->FieldSize(m, f); ++j) {
          LookAll(r->GetRepeatedMessage(m, f, j), seen);
        }
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the request: flat ones, secrets, a batch, and
  // nested and repeated provider settings.
  std::unique_ptr<Message> request;
  switch (data[0] % 5) {
    case 0:
      request = std::make_unique<identity::v1::CheckPermissionRequest>();
      break;
    case 1:
      request = std::make_unique<identity::v1::BatchCheckPermissionsRequest>();
      break;
    case 2:
      request = std::make_unique<identity::v1::AuthenticateRequest>();
      break;
    case 3:
      request =
          std::make_unique<identity::v1::ConfigureIdentityProviderRequest>();
      break;
    default:
      request = std::make_unique<identity::v1::UpdateUserRequest>();
      break;
  }
  // As the server does: bytes that are not the request (or text that is
  // not UTF-8) never reach the check.
  if (!request->ParseFromArray(data + 1, static_cast<int>(size - 1))) return 0;
  Seen seen;
  LookAll(*request, &seen);
  const absl::Status verdict =
      identity::services::RefuseControlCharacters(*request);
  if (seen.nul && verdict.ok()) std::abort();
  if (!seen.control && !verdict.ok()) std::abort();
  if (!verdict.ok() && !absl::IsInvalidArgument(verdict)) std::abort();
  return 0;
}
