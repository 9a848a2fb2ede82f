#include "tests/support/certificates.h"

#include <fstream>

#include "tests/support/process.h"

namespace identity::testing {
namespace {

// A key and a certificate `name` signed by dir/ca.pem.
bool Issue(const std::string& dir, const std::string& name,
           const std::string& subject, const std::string& extensions) {
  const std::string ext = dir + "/" + name + ".ext";
  std::ofstream(ext) << extensions;
  const std::string log = dir + "/openssl.log";
  return RunCommand({"openssl", "req", "-newkey", "rsa:2048", "-nodes",
                     "-keyout", dir + "/" + name + ".key", "-out",
                     dir + "/" + name + ".csr", "-subj", subject},
                    log) == 0 &&
         RunCommand({"openssl", "x509", "-req", "-in", dir + "/" + name + ".csr",
                     "-CA", dir + "/ca.pem", "-CAkey", dir + "/ca.key",
                     "-CAcreateserial", "-out", dir + "/" + name + ".pem",
                     "-days", "2", "-extfile", ext},
                    log) == 0;
}

}  // namespace

bool MakeCertificates(const std::string& dir, const std::string& client_name) {
  const bool ca =
      RunCommand({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                  "-keyout", dir + "/ca.key", "-out", dir + "/ca.pem", "-days",
                  "2", "-subj", "/CN=identity test CA"},
                 dir + "/openssl.log") == 0;
  if (!ca || !Issue(dir, "server", "/CN=127.0.0.1",
                    "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")) {
    return false;
  }
  return client_name.empty() ||
         Issue(dir, "client", "/CN=" + client_name, "extendedKeyUsage=clientAuth\n");
}

}  // namespace identity::testing
