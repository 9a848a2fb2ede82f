#include "tests/support/samba_ad_server.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "tests/support/certificates.h"

namespace identity::testing {
namespace {

std::string SmbConf(const std::string& dir) {
  return "[global]\n"
         "netbios name = IDENTITYDC\n"
         "realm = CORP.EXAMPLE\n"
         "workgroup = CORP\n"
         "server role = active directory domain controller\n"
         // Only what the tests use: no SMB, no DNS, no KDC.
         "server services = ldap\n"
         "interfaces = 127.0.0.1\n"
         "bind interfaces only = yes\n"
         "private dir = " +
         dir +
         "/private\n"
         "state directory = " +
         dir +
         "/state\n"
         "cache directory = " +
         dir +
         "/cache\n"
         "lock directory = " +
         dir +
         "\n"
         "pid directory = " +
         dir +
         "\n"
         "binddns dir = " +
         dir +
         "/bind-dns\n"
         "log file = " +
         dir +
         "/samba.log\n"
         "tls enabled = yes\n"
         "tls keyfile = " +
         dir +
         "/tls/server.key\n"
         "tls certfile = " +
         dir +
         "/tls/server.pem\n"
         "tls cafile = " +
         dir + "/tls/ca.pem\n";
}

}  // namespace

std::unique_ptr<SambaAdServer> SambaAdServer::Start(std::string* why) {
  if (access("/usr/sbin/samba", X_OK) != 0 ||
      access("/usr/bin/samba-tool", X_OK) != 0) {
    *why = "samba-ad-dc is not installed (deploy/local/packages.sh lists it)";
    return nullptr;
  }
  if (geteuid() != 0) {
    *why =
        "Samba's AD DC needs root here: it provisions and listens on the "
        "fixed ports 389 and 636";
    return nullptr;
  }
  if (PortAccepts(389) || PortAccepts(636)) {
    *why = "ports 389/636 on 127.0.0.1 are taken by another server";
    return nullptr;
  }
  std::unique_ptr<SambaAdServer> s(new SambaAdServer());
  s->dir_ = MakeTempDir("identity-samba-");
  const std::string& dir = s->dir_;
  RunCommand({"mkdir", "-p", dir + "/tls", dir + "/etc"});
  if (!MakeCertificates(dir + "/tls")) {
    *why = "openssl failed: " + ReadFile(dir + "/tls/openssl.log");
    return nullptr;
  }
  RunCommand({"chmod", "600", dir + "/tls/server.key"});
  const std::string log = dir + "/provision.log";
  if (RunCommand({"samba-tool", "domain", "provision", "--targetdir=" + dir,
                  "--realm=CORP.EXAMPLE", "--domain=CORP", "--server-role=dc",
                  "--dns-backend=NONE", "--host-name=identitydc",
                  "--adminpass=" + std::string(kAdminPassword)},
                 log) != 0) {
    *why = "samba-tool domain provision failed: " + ReadFile(log);
    return nullptr;
  }
  // Provisioning writes an smb.conf for a full server; ours serves LDAP
  // only, on loopback, with the tests' certificate.
  std::ofstream(dir + "/etc/smb.conf") << SmbConf(dir);
  if (!s->Tool({"domain", "passwordsettings", "set",
                "--account-lockout-threshold=" +
                    std::to_string(kLockoutThreshold)})) {
    *why = "cannot set the lockout policy: " + ReadFile(dir + "/tool.log");
    return nullptr;
  }
  if (!s->process_.Start({"/usr/sbin/samba", "-s", dir + "/etc/smb.conf", "-M",
                          "single", "-i"},
                         {}, dir + "/samba.out")) {
    *why = "cannot run samba";
    return nullptr;
  }
  for (int i = 0; i < 600; ++i) {
    if (PortAccepts(389) && PortAccepts(636)) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  *why = "samba did not listen on 389/636: " + ReadFile(dir + "/samba.out");
  return nullptr;
}

SambaAdServer::~SambaAdServer() {
  if (process_.running()) process_.Stop(SIGTERM);
  if (!dir_.empty() && getenv("IDENTITY_KEEP_TEST_DIRS") == nullptr) {
    RunCommand({"rm", "-rf", dir_});
  }
}

std::string SambaAdServer::ca_pem() const {
  return ReadFile(dir_ + "/tls/ca.pem");
}

bool SambaAdServer::Tool(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"samba-tool"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"-s", dir_ + "/etc/smb.conf"});
  return RunCommand(argv, dir_ + "/tool.log") == 0;
}

bool SambaAdServer::Modify(const std::string& ldif) {
  static int n = 0;
  const std::string file = dir_ + "/change" + std::to_string(++n) + ".ldif";
  std::ofstream(file) << ldif;
  return RunCommand({"env", "LDAPTLS_CACERT=" + dir_ + "/tls/ca.pem",
                     "ldapmodify", "-x", "-H", ldaps_url(), "-D", kAdminBindDn,
                     "-w", kAdminPassword, "-f", file},
                    dir_ + "/ldapmodify.log") == 0;
}

bool SambaAdServer::BulkAdd(const std::string& ldif) {
  const std::string file = dir_ + "/bulk.ldif";
  std::ofstream(file) << ldif;
  return RunCommand({"ldbadd", "-H", dir_ + "/private/sam.ldb", file},
                    dir_ + "/ldbadd.log") == 0;
}

}  // namespace identity::testing
