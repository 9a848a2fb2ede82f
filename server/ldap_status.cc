#include "server/ldap_status.h"

#include <map>

#include "common/prometheus.h"

namespace identity::server {

using grpc::health::v1::HealthCheckResponse;

std::optional<HealthCheckResponse::ServingStatus> LdapHealth(
    const ldap::LdapProviders& providers, const std::string& name) {
  const std::map<std::string, ldap::PoolFigures> pools = providers.AllFigures();
  std::map<std::string, ldap::FenceFigures> fences;
  if (providers.fences() != nullptr) fences = providers.fences()->AllFigures();
  auto open = [&](const std::string& org) {
    auto it = fences.find(org);
    return it != fences.end() && it->second.circuit != ldap::Circuit::kClosed;
  };
  if (name == "identity.ldap") {
    for (const auto& [org, figures] : pools) {
      if (!figures.reachable) return HealthCheckResponse::NOT_SERVING;
    }
    for (const auto& [org, figures] : fences) {
      if (open(org)) return HealthCheckResponse::NOT_SERVING;
    }
    return HealthCheckResponse::SERVING;
  }
  const std::string org = name.substr(std::string("identity.ldap/").size());
  if (open(org)) return HealthCheckResponse::NOT_SERVING;
  auto it = pools.find(org);
  if (it == pools.end()) return HealthCheckResponse::UNKNOWN;
  return it->second.reachable ? HealthCheckResponse::SERVING
                              : HealthCheckResponse::NOT_SERVING;
}

void RenderLdapFences(const ldap::LdapFences& fences, std::string* out) {
  const std::map<std::string, ldap::FenceFigures> all = fences.AllFigures();
  struct Series {
    const char* name;
    const char* help;
    const char* type;
    double (*value)(const ldap::FenceFigures&);
  };
  const Series series[] = {
      {"identity_ldap_circuit_open",
       "1 while logins through the directory fail fast (circuit open or "
       "probing), else 0.",
       "gauge",
       [](const ldap::FenceFigures& f) {
         return f.circuit == ldap::Circuit::kClosed ? 0.0 : 1.0;
       }},
      {"identity_ldap_logins_in_flight", "Logins talking to the directory.",
       "gauge",
       [](const ldap::FenceFigures& f) { return double(f.in_flight); }},
      {"identity_ldap_logins_refused_busy_total",
       "Logins refused for want of a free slot.", "counter",
       [](const ldap::FenceFigures& f) { return double(f.refused_busy); }},
      {"identity_ldap_logins_refused_open_total",
       "Logins failed fast while the circuit was open.", "counter",
       [](const ldap::FenceFigures& f) { return double(f.refused_open); }},
  };
  for (const Series& s : series) {
    prometheus::RenderHeader(out, s.name, s.help, s.type);
    for (const auto& [org, figures] : all) {
      prometheus::RenderSample(out, s.name, {"organization_id"}, {org},
                               s.value(figures));
    }
  }
}

}  // namespace identity::server
