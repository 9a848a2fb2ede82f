// The storage contract. The use cases depend on these interfaces only;
// PostgreSQL is one implementation (storage/pg/), and an in-memory fake for
// unit tests implements some of them (storage/memory/).
//
// The contract is split by aggregate, reads apart from writes, one header
// each under storage/ports/; a component takes only the interfaces it uses.
// `Store` is all of them together, for the code that wires the service.
//
// Every write takes the AuditEntry that describes it and stores it in the
// same transaction, so a change and its audit event exist together or not at
// all. Errors: NOT_FOUND, ALREADY_EXISTS (unique names), ABORTED (stale
// version or serialization conflict), FAILED_PRECONDITION (a rule the schema
// or a lock protects), UNAVAILABLE (database unreachable), INTERNAL.
#ifndef IDENTITY_STORAGE_STORE_H_
#define IDENTITY_STORAGE_STORE_H_

#include "storage/ports/api_keys.h"
#include "storage/ports/audit.h"
#include "storage/ports/cluster.h"
#include "storage/ports/credentials.h"
#include "storage/ports/external_users.h"
#include "storage/ports/groups.h"
#include "storage/ports/organizations.h"
#include "storage/ports/provider_settings.h"
#include "storage/ports/roles.h"
#include "storage/ports/saml_state.h"
#include "storage/ports/sessions.h"
#include "storage/ports/totp.h"
#include "storage/ports/user_tokens.h"
#include "storage/ports/users.h"
#include "storage/queries.h"

namespace identity::storage {

class Store : public OrganizationReads,
              public OrganizationWrites,
              public UserReads,
              public UserWrites,
              public Credentials,
              public ExternalUsers,
              public UserTokens,
              public TotpStore,
              public SessionReads,
              public SessionWrites,
              public RoleReads,
              public RoleWrites,
              public GroupReads,
              public GroupWrites,
              public ProviderSettings,
              public SamlState,
              public ApiKeyReads,
              public ApiKeyWrites,
              public AuditReads,
              public AuditWrites,
              public AuditStream,
              public ClusterLocks,
              public Bootstrap {
 public:
  ~Store() override = default;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_STORE_H_
