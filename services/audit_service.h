#ifndef IDENTITY_SERVICES_AUDIT_SERVICE_H_
#define IDENTITY_SERVICES_AUDIT_SERVICE_H_

#include "application/audit/audit_log.h"
#include "identity/v1/audit_service.grpc.pb.h"
#include "services/call.h"

namespace identity::services {

class AuditServiceImpl final : public v1::AuditService::Service {
 public:
  AuditServiceImpl(CallRunner* runner, AuditLog* log)
      : runner_(runner), log_(log) {}

  grpc::Status ListAuditEvents(grpc::ServerContext* ctx,
                               const v1::ListAuditEventsRequest* req,
                               v1::ListAuditEventsResponse* resp) override;

 private:
  CallRunner* runner_;
  AuditLog* log_;
};

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_AUDIT_SERVICE_H_
