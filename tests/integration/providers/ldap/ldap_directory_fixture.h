// A real slapd seeded from tests/support/ldap_seed.h, and directory
// options for its service account.
#ifndef IDENTITY_TESTS_INTEGRATION_PROVIDERS_LDAP_LDAP_DIRECTORY_FIXTURE_H_
#define IDENTITY_TESTS_INTEGRATION_PROVIDERS_LDAP_LDAP_DIRECTORY_FIXTURE_H_

#include <memory>

#include "gtest/gtest.h"
#include "providers/ldap/ldap_directory.h"
#include "tests/support/ldap_seed.h"
#include "tests/support/slapd_server.h"

namespace identity::testing {

// A directory on a pool of its own.
inline ldap::Directory Dir(const ldap::DirectoryOptions& o) {
  return ldap::Directory(std::make_shared<ldap::ConnectionPool>(o));
}

class LdapDirectoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    slapd_ = SlapdServer::Start(kLdapSeed).release();
    ASSERT_NE(slapd_, nullptr);
  }
  static void TearDownTestSuite() {
    delete slapd_;
    slapd_ = nullptr;
  }

  static ldap::DirectoryOptions Options() {
    ldap::DirectoryOptions o;
    o.urls = {slapd_->url()};
    o.bind_dn = SlapdServer::kReaderDn;
    o.bind_password = SlapdServer::kReaderPassword;
    o.user_base_dn = "ou=people,dc=example,dc=com";
    o.user_filter = "(&(objectClass=inetOrgPerson)(uid={username}))";
    o.attributes = {"uid", "mail", "cn"};
    o.connect_timeout = absl::Seconds(1);
    o.operation_timeout = absl::Seconds(2);
    return o;
  }

  static inline SlapdServer* slapd_ = nullptr;
};

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_INTEGRATION_PROVIDERS_LDAP_LDAP_DIRECTORY_FIXTURE_H_
