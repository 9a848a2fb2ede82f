// Builds the audit entry that a store write records with its change.
#ifndef IDENTITY_DOMAIN_AUDIT_H_
#define IDENTITY_DOMAIN_AUDIT_H_

#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "domain/principal.h"
#include "domain/records.h"

namespace identity {

using AuditDetail = std::pair<absl::string_view, absl::string_view>;

// `text` as PostgreSQL's text and jsonb accept it: NUL bytes and byte
// sequences that are not UTF-8 (a name cut in the middle of a character)
// become U+FFFD, so that no audit row can fail on what a caller typed.
std::string AuditText(absl::string_view text);

// `details` become a flat JSON object; never pass a secret.
domain::AuditEntry MakeAudit(const Caller& caller, absl::string_view action,
                              absl::string_view target_type,
                              absl::string_view target_id,
                              absl::string_view organization_id,
                              absl::Span<const AuditDetail> details = {});

}  // namespace identity

#endif  // IDENTITY_DOMAIN_AUDIT_H_
