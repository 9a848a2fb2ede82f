// Authorization in one place: the table of operation -> permission and scope,
// and the one function that decides (Decide). Handlers admit a call with
// Admit() before touching anything; operations that act on an object call
// Check() with the object's organization once they know it; CheckPermission
// asks Decide the same question for a permission and an organization.
#ifndef IDENTITY_DOMAIN_AUTHORIZER_H_
#define IDENTITY_DOMAIN_AUTHORIZER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "domain/principal.h"

namespace identity {

enum class Scope {
  kPublic,         // no credential needed
  kAuthenticated,  // any valid credential; acts on the caller's own session
  kSelf,           // the caller's own account only (self_permission)
  kOrganization,   // `permission` in the target's organization, or globally
  kGlobal,         // `permission` held through a global role
};

struct OperationRule {
  absl::string_view operation;  // one of op::, "CreateUser"
  Scope scope;
  absl::string_view permission;  // for kOrganization and kGlobal
  // Suffices when the target is the caller. On kAuthenticated rules it is
  // what an API key's scope must hold to reach the operation (a session always
  // may: a person acts on its own account).
  absl::string_view self_permission;
  // Gives power over another account (its keys, password, second factor,
  // sessions, roles, groups, status, deletion): the caller must also hold
  // every permission the account holds.
  bool over_account = false;
  // Decides how the organization's users log in: a provider pointed at a
  // server of the caller's own would log it in as any user the provider
  // serves, so the caller must hold every permission an ADMIN holds.
  bool over_organization = false;
};

// The object an operation acts on.
struct Target {
  std::string organization_id;
  std::string user_id;  // when the object is a user
  // Set for changes to a user who holds a global role: only a global
  // principal may make them.
  bool user_is_global = false;
  // The user's effective permissions (sorted), for rules over an account.
  std::vector<std::string> user_permissions;
};

// Why a decision refused (kNone: it allowed).
enum class Refusal {
  kNone,
  kUnauthenticated,         // no valid credential
  kOutsideTrustedIps,       // an API key from outside its trusted ranges
  kPasswordChangeRequired,  // pending steps (Principal::required_actions)
  kTermsNotAccepted,
  kTotpEnrollmentRequired,
  kNoPermission,        // the principal does not hold the permission
  kKeyScope,            // the key's owner does; the key's scope does not
  kOtherOrganization,   // held, but for another organization
  kGlobalRoleRequired,  // held, but only a global role may use it
  kOwnAccountOnly,      // it acts only on the caller's own account
  kGlobalTarget,        // only a global principal acts on a global user
  kAccountNotCovered,   // the account holds more than the caller
  kUnknownOperation,    // missing from the table: deny by default
};

struct Decision {
  Refusal refusal = Refusal::kNone;
  std::string message;  // for a refusal: what is missing, as the API says it
  // For the error details: the operation refused, and the permission it lacked
  // (empty when no single permission is the reason).
  std::string operation;
  std::string permission;

  bool allowed() const { return refusal == Refusal::kNone; }
  // OK, or what the operation answers: UNAUTHENTICATED, FAILED_PRECONDITION for
  // a pending step, INTERNAL for an unknown operation, else PERMISSION_DENIED.
  absl::Status ToStatus() const;
};

// The one decision. May `principal` (null: no valid credential) call under
// `rule` on `target` (null: the object is not loaded yet; the admission
// before the handler runs)?
Decision Decide(const OperationRule& rule, const Principal* principal,
                const Target* target);

// The rule under which `operation` (a permission check) asks whether a
// principal may use `permission` in an organization: the permission within
// the organization, or through a global role for a global-only permission.
OperationRule PermissionRule(absl::string_view operation,
                             absl::string_view permission);

// The target of an operation on `user`: its organization and id, whether it
// holds a global role, and everything it may do.
Target TargetFor(const domain::User& user);

// Every operation the service performs, in one table. Which RPC performs
// which operation is the services layer's business.
const std::vector<OperationRule>& OperationRules();
const OperationRule* FindOperationRule(absl::string_view operation);

// UNAUTHENTICATED without a principal where one is needed; PERMISSION_DENIED
// when the principal cannot hold the rule's permission in any scope; an
// INTERNAL error for an operation missing from the table (deny by default).
absl::Status Admit(absl::string_view operation, const Principal* principal);

// Decides whether `principal` may perform `operation` on `target`.
absl::Status Check(absl::string_view operation, const Principal& principal,
                   const Target& target);

}  // namespace identity

#endif  // IDENTITY_DOMAIN_AUTHORIZER_H_
