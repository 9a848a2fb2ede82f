// The gRPC server's transport credentials from the TLS settings: plaintext
// without a certificate; TLS with one, its files re-read every
// `reload` so that a rotated certificate (a renewed Kubernetes Secret) is
// served without a restart; mutual TLS when a client CA is set.
#ifndef IDENTITY_SERVER_TRANSPORT_H_
#define IDENTITY_SERVER_TRANSPORT_H_

#include <memory>

#include <grpcpp/security/server_credentials.h>

#include "server/config.h"

namespace identity::server {

std::shared_ptr<grpc::ServerCredentials> MakeServerCredentials(
    const TlsSettings& tls);

}  // namespace identity::server

#endif  // IDENTITY_SERVER_TRANSPORT_H_
