// Throwaway certificates for tests, made with the openssl command: a CA, a
// server certificate for 127.0.0.1 and a client certificate it signs.
#ifndef IDENTITY_TESTS_SUPPORT_CERTIFICATES_H_
#define IDENTITY_TESTS_SUPPORT_CERTIFICATES_H_

#include <string>

namespace identity::testing {

// Writes into `dir`: ca.pem/ca.key, server.pem/server.key (SAN IP:127.0.0.1)
// and, with `client_name`, client.pem/client.key (CN=client_name). False
// when openssl failed (its output is in dir/openssl.log).
bool MakeCertificates(const std::string& dir, const std::string& client_name = "");

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_SUPPORT_CERTIFICATES_H_
