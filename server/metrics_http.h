// The Prometheus scrape endpoint (GET /metrics) on its own HTTP port,
// served by civetweb, so that metrics never share the gRPC port or its
// authentication.
#ifndef IDENTITY_SERVER_METRICS_HTTP_H_
#define IDENTITY_SERVER_METRICS_HTTP_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/prometheus.h"

struct mg_context;
struct mg_connection;

namespace identity::server {

class MetricsHttpServer {
 public:
  // Listens on `address` (host:port, as civetweb's listening_ports takes it).
  // FAILED_PRECONDITION naming IDENTITY_METRICS_ADDRESS when it cannot.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(
      const std::string& address, const prometheus::Registry* registry);
  ~MetricsHttpServer();

 private:
  explicit MetricsHttpServer(const prometheus::Registry* registry)
      : registry_(registry) {}
  static int Handle(mg_connection* conn, void* self);

  const prometheus::Registry* registry_;
  mg_context* context_ = nullptr;
};

}  // namespace identity::server

#endif  // IDENTITY_SERVER_METRICS_HTTP_H_
