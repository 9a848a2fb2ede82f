// A private OpenLDAP slapd for tests: its own config and MDB database in a
// temporary directory, seeded from an LDIF, on a free loopback port, run as
// the unprivileged `openldap` user when the tests run as root.
#ifndef IDENTITY_TESTS_SUPPORT_SLAPD_SERVER_H_
#define IDENTITY_TESTS_SUPPORT_SLAPD_SERVER_H_

#include <memory>
#include <string>

#include "tests/support/process.h"

namespace identity::testing {

class SlapdServer {
 public:
  static constexpr char kSuffix[] = "dc=example,dc=com";
  static constexpr char kReaderDn[] = "cn=reader,dc=example,dc=com";
  static constexpr char kReaderPassword[] = "reader-secret";

  // Seeds the directory from `ldif` (entries under dc=example,dc=com).
  static std::unique_ptr<SlapdServer> Start(const std::string& ldif);
  ~SlapdServer();

  std::string url() const { return "ldap://127.0.0.1:" + std::to_string(port_); }
  // TLS from the start, with a certificate for 127.0.0.1 signed by ca_pem().
  std::string ldaps_url() const {
    return "ldaps://127.0.0.1:" + std::to_string(tls_port_);
  }
  // The throwaway CA made for this server (PEM).
  std::string ca_pem() const;
  bool Stop();
  // SIGKILL: no goodbye to clients, connections reset mid-operation.
  bool Kill();
  bool Restart();
  // Applies an LDIF change (ldapmodify) as the directory's root.
  bool Modify(const std::string& ldif);

 private:
  SlapdServer() = default;
  bool Launch();

  std::string dir_;
  int port_ = 0;
  int tls_port_ = 0;
  ChildProcess process_;
};

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_SUPPORT_SLAPD_SERVER_H_
