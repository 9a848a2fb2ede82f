// A throwaway Active Directory domain for tests: Samba's AD DC
// (samba-ad-dc), provisioned into a temporary directory and serving LDAP on
// 127.0.0.1:389 and LDAPS on 636 (the ports are fixed: Samba has no setting
// for them), with a certificate for 127.0.0.1 signed by a throwaway CA.
// Provisioning takes about 15 s, so a test binary starts one and shares it.
#ifndef IDENTITY_TESTS_SUPPORT_SAMBA_AD_SERVER_H_
#define IDENTITY_TESTS_SUPPORT_SAMBA_AD_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace identity::testing {

class SambaAdServer {
 public:
  static constexpr char kBaseDn[] = "DC=corp,DC=example";
  static constexpr char kUsersDn[] = "CN=Users,DC=corp,DC=example";
  static constexpr char kAdminBindDn[] = "Administrator@corp.example";
  static constexpr char kAdminPassword[] = "Admin-Pass-2026!";
  // Wrong passwords that lock an account out (the domain's policy here).
  static constexpr int kLockoutThreshold = 3;

  // Provisions and starts the domain controller. Null, with the reason in
  // `*why`, when it cannot run here (samba-ad-dc not installed, not root,
  // ports 389/636 taken); the caller skips its tests with that reason.
  static std::unique_ptr<SambaAdServer> Start(std::string* why);
  ~SambaAdServer();

  std::string ldap_url() const { return "ldap://127.0.0.1:389"; }
  std::string ldaps_url() const { return "ldaps://127.0.0.1:636"; }
  std::string ca_pem() const;

  // samba-tool with these arguments against this domain; true on success.
  bool Tool(const std::vector<std::string>& args);
  // Applies an LDIF change (ldapmodify over LDAPS) as the domain's
  // Administrator.
  bool Modify(const std::string& ldif);
  // Adds many entries at once straight into the domain's database
  // (ldbadd: about 100 entries a second, some forty times faster than over
  // LDAP).
  bool BulkAdd(const std::string& ldif);

 private:
  SambaAdServer() = default;

  std::string dir_;
  ChildProcess process_;
};

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_SUPPORT_SAMBA_AD_SERVER_H_
