#include "identity/audit.h"

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace identity {

storage::AuditEntry MakeAudit(const Caller& caller, absl::string_view action,
                              absl::string_view target_type,
                              absl::string_view target_id,
                              absl::string_view organization_id,
                              std::initializer_list<AuditDetail> details) {
  storage::AuditEntry e;
  if (caller.principal != nullptr) {
    e.actor_id = caller.principal->user.id;
    e.actor_username = caller.principal->user.username;
  }
  e.action = std::string(action);
  e.target_type = std::string(target_type);
  e.target_id = std::string(target_id);
  e.organization_id = std::string(organization_id);
  e.peer = caller.peer;
  std::string json = "{";
  for (const AuditDetail& d : details) {
    if (json.size() > 1) json += ",";
    absl::StrAppend(&json, "\"", log::JsonEscape(d.first), "\":\"",
                    log::JsonEscape(d.second), "\"");
  }
  json += "}";
  e.details_json = std::move(json);
  return e;
}

}  // namespace identity
