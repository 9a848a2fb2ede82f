#include "domain/audit.h"

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace identity {
namespace {

// The length of the well-formed UTF-8 sequence at the start of `s` (no
// overlong forms, no surrogates, nothing above U+10FFFF), or 0.
size_t Utf8Length(absl::string_view s) {
  const unsigned char c = static_cast<unsigned char>(s[0]);
  if (c < 0x80) return 1;
  const size_t n = c >= 0xc2 && c <= 0xdf   ? 2
                   : c >= 0xe0 && c <= 0xef ? 3
                   : c >= 0xf0 && c <= 0xf4 ? 4
                                            : 0;
  if (n == 0 || n > s.size()) return 0;
  const unsigned char c1 = static_cast<unsigned char>(s[1]);
  if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f) ||
      (c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 > 0x8f)) {
    return 0;
  }
  for (size_t i = 1; i < n; ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xc0) != 0x80) return 0;
  }
  return n;
}

}  // namespace

std::string AuditText(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const size_t n = Utf8Length(text);
    if (n == 0 || text[0] == '\0') {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      text.remove_prefix(1);
      continue;
    }
    out.append(text.data(), n);
    text.remove_prefix(n);
  }
  return out;
}

domain::AuditEntry MakeAudit(const Caller& caller, absl::string_view action,
                              absl::string_view target_type,
                              absl::string_view target_id,
                              absl::string_view organization_id,
                              absl::Span<const AuditDetail> details) {
  domain::AuditEntry e;
  if (caller.principal != nullptr) {
    e.actor_id = caller.principal->user.id;
    e.actor_username = AuditText(caller.principal->user.username);
  }
  e.action = std::string(action);
  e.target_type = std::string(target_type);
  e.target_id = std::string(target_id);
  e.organization_id = std::string(organization_id);
  e.peer = AuditText(caller.peer());
  std::string json = "{";
  auto add = [&json](absl::string_view key, absl::string_view value) {
    if (json.size() > 1) json += ",";
    absl::StrAppend(&json, "\"", log::JsonEscape(key), "\":\"",
                    log::JsonEscape(AuditText(value)), "\"");
  };
  for (const AuditDetail& d : details) add(d.first, d.second);
  // A change made with an API key names the key next to its owner.
  if (caller.principal != nullptr && !caller.principal->api_key_id.empty()) {
    add("api_key_id", caller.principal->api_key_id);
  }
  json += "}";
  e.details_json = std::move(json);
  return e;
}

}  // namespace identity
