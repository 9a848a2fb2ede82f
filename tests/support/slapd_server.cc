#include "tests/support/slapd_server.h"

#include "tests/support/certificates.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

namespace identity::testing {
namespace {

std::vector<std::string> AsOpenldap(std::vector<std::string> argv) {
  if (geteuid() == 0) argv.insert(argv.begin(), {"runuser", "-u", "openldap", "--"});
  return argv;
}

std::string Config(const std::string& dir) {
  return "include /etc/ldap/schema/core.schema\n"
         "include /etc/ldap/schema/cosine.schema\n"
         "include /etc/ldap/schema/inetorgperson.schema\n"
         "include /etc/ldap/schema/nis.schema\n"
         "TLSCACertificateFile " + dir + "/ca.pem\n"
         "TLSCertificateFile " + dir + "/server.pem\n"
         "TLSCertificateKeyFile " + dir + "/server.key\n"
         "pidfile " + dir + "/slapd.pid\n"
         "modulepath /usr/lib/ldap\n"
         "moduleload back_mdb\n"
         "moduleload ppolicy\n"
         "database mdb\n"
         "maxsize 104857600\n"
         "suffix \"dc=example,dc=com\"\n"
         "rootdn \"cn=root,dc=example,dc=com\"\n"
         "rootpw root-secret\n"
         "directory " + dir + "/data\n"
         // Like a production directory: a plain search returns at most 5
         // entries, only paged results (RFC 2696) see them all.
         "limits users size.soft=5 size.hard=5 size.prtotal=unlimited\n"
         // Accounts locked with pwdAccountLockedTime say so to a bind that
         // asks with the password policy control.
         "overlay ppolicy\n"
         "ppolicy_default \"cn=default,ou=policies,dc=example,dc=com\"\n"
         "ppolicy_use_lockout\n"
         // Nothing is readable anonymously: the service account must bind.
         "access to attrs=userPassword by anonymous auth by * none\n"
         "access to * by users read by * none\n";
}

}  // namespace

std::unique_ptr<SlapdServer> SlapdServer::Start(const std::string& ldif) {
  std::unique_ptr<SlapdServer> s(new SlapdServer());
  s->dir_ = MakeTempDir("identity-slapd-");
  RunCommand({"mkdir", "-p", s->dir_ + "/data"});
  if (!MakeCertificates(s->dir_)) {
    std::cerr << "openssl failed: " << ReadFile(s->dir_ + "/openssl.log");
    return nullptr;
  }
  std::ofstream(s->dir_ + "/slapd.conf") << Config(s->dir_);
  std::ofstream(s->dir_ + "/seed.ldif") << ldif;
  if (geteuid() == 0) RunCommand({"chown", "-R", "openldap:openldap", s->dir_});
  if (RunCommand(AsOpenldap({"/usr/sbin/slapadd", "-f", s->dir_ + "/slapd.conf",
                             "-l", s->dir_ + "/seed.ldif"}),
                 s->dir_ + "/slapadd.log") != 0) {
    std::cerr << "slapadd failed: " << ReadFile(s->dir_ + "/slapadd.log");
    return nullptr;
  }
  s->port_ = FreePort();
  s->tls_port_ = FreePort();
  if (!s->Launch()) return nullptr;
  return s;
}

bool SlapdServer::Launch() {
  std::vector<std::string> argv = {"/usr/sbin/slapd", "-d", "0", "-f",
                                   dir_ + "/slapd.conf", "-h",
                                   url() + "/ " + ldaps_url() + "/"};
  if (geteuid() == 0) {
    argv.insert(argv.end(), {"-u", "openldap", "-g", "openldap"});
  }
  if (!process_.Start(argv, {}, dir_ + "/slapd.log")) return false;
  for (int i = 0; i < 200; ++i) {
    if (PortAccepts(port_) && PortAccepts(tls_port_)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  std::cerr << "slapd did not start: " << ReadFile(dir_ + "/slapd.log");
  return false;
}

bool SlapdServer::Stop() {
  process_.Stop(SIGTERM);
  return true;
}

bool SlapdServer::Kill() {
  process_.Stop(SIGKILL);
  return true;
}

bool SlapdServer::Restart() { return Launch(); }

std::string SlapdServer::ca_pem() const { return ReadFile(dir_ + "/ca.pem"); }

bool SlapdServer::Modify(const std::string& ldif) {
  static int n = 0;
  const std::string file = dir_ + "/change" + std::to_string(++n) + ".ldif";
  std::ofstream(file) << ldif;
  return RunCommand({"ldapmodify", "-x", "-H", url(), "-D",
                     "cn=root,dc=example,dc=com", "-w", "root-secret", "-f",
                     file},
                    dir_ + "/ldapmodify.log") == 0;
}

SlapdServer::~SlapdServer() {
  if (process_.running()) process_.Stop(SIGTERM);
  if (!dir_.empty() && getenv("IDENTITY_KEEP_TEST_DIRS") == nullptr) {
    RunCommand({"rm", "-rf", dir_});
  }
}

}  // namespace identity::testing
