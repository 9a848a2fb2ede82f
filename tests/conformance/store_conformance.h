// The conformance cases every store implementation passes: the PostgreSQL
// store (storage_tests, on a real server) and the in-memory fake
// (unit_tests). A binary instantiates StoreConformance with a factory for
// its implementation; the cases live in store_conformance_cases.cc.
#ifndef IDENTITY_TESTS_CONFORMANCE_STORE_CONFORMANCE_H_
#define IDENTITY_TESTS_CONFORMANCE_STORE_CONFORMANCE_H_

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "gtest/gtest.h"
#include "storage/ports/audit.h"
#include "storage/ports/credentials.h"
#include "storage/ports/external_users.h"
#include "storage/ports/organizations.h"
#include "storage/ports/provider_settings.h"
#include "storage/ports/users.h"

namespace identity::testing {

// The interfaces the cases use, all from one store.
struct StorePorts {
  storage::OrganizationWrites* organization_writes = nullptr;
  storage::UserReads* user_reads = nullptr;
  storage::UserWrites* user_writes = nullptr;
  storage::Credentials* credentials = nullptr;
  storage::ExternalUsers* external_users = nullptr;
  storage::AuditReads* audit_reads = nullptr;
  storage::ProviderSettings* provider_settings = nullptr;
};

template <typename T>
StorePorts PortsOf(T* store) {
  return StorePorts{store, store, store, store, store, store, store};
}

// Owns one empty store for one case.
class StoreBackend {
 public:
  virtual ~StoreBackend() = default;
  virtual StorePorts ports() = 0;
};

struct BackendFactory {
  std::string name;  // "Postgres", "Memory"
  // Null when the store could not be set up (the case then fails).
  std::function<std::unique_ptr<StoreBackend>()> make;
};

inline void PrintTo(const BackendFactory& factory, std::ostream* os) {
  *os << factory.name;
}

class StoreConformance : public ::testing::TestWithParam<BackendFactory> {
 protected:
  void SetUp() override;

  static domain::AuditEntry Audit(const std::string& action);
  // An internal user of the test organization with a password.
  storage::NewUser Internal(const std::string& username,
                            const std::string& role = "BASIC_USER") const;
  domain::User MustCreate(const storage::NewUser& user);
  // An LDAP user of the test organization linked by `external_id`.
  domain::ExternalUser Ldap(const std::string& username,
                             const std::string& external_id) const;
  // One wrong password for `user_id` under `policy`.
  absl::StatusOr<bool> FailLogin(const std::string& user_id,
                                 const domain::LockoutPolicySettings& policy);
  // The user as stored now (an empty one when missing).
  domain::User ReadUser(const std::string& id);
  // How many audit events of `action` name `target_id`.
  int AuditCount(const std::string& action, const std::string& target_id);

  std::unique_ptr<StoreBackend> backend_;
  StorePorts store_;
  std::string org_id_;
};

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_CONFORMANCE_STORE_CONFORMANCE_H_
