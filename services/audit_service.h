#ifndef IDENTITY_SERVICES_AUDIT_SERVICE_H_
#define IDENTITY_SERVICES_AUDIT_SERVICE_H_

#include "application/audit/audit_feed.h"
#include "application/audit/audit_log.h"
#include "identity/v1/audit_service.grpc.pb.h"
#include "services/audit_watch_stream.h"
#include "services/call.h"

namespace identity::services {

// WatchAuditEvents is a callback method: an open stream holds no thread of
// the sync pool (audit_watch_stream.h).
using AuditServiceBase = v1::AuditService::WithCallbackMethod_WatchAuditEvents<
    v1::AuditService::Service>;

class AuditServiceImpl final : public AuditServiceBase {
 public:
  AuditServiceImpl(CallRunner* runner, AuditLog* log, AuditFeed* feed,
                   AuditWatchOptions watch)
      : runner_(runner), log_(log), feed_(feed), watch_(watch) {}

  grpc::Status ListAuditEvents(grpc::ServerContext* ctx,
                               const v1::ListAuditEventsRequest* req,
                               v1::ListAuditEventsResponse* resp) override;
  grpc::ServerWriteReactor<v1::WatchAuditEventsResponse>* WatchAuditEvents(
      grpc::CallbackServerContext* ctx,
      const v1::WatchAuditEventsRequest* req) override;

 private:
  CallRunner* runner_;
  AuditLog* log_;
  AuditFeed* feed_;
  AuditWatchOptions watch_;
};

absl::Time AuditTime(const google::protobuf::Timestamp& t);
void AuditEventToProto(const domain::AuditEvent& e, v1::AuditEvent* out);

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_AUDIT_SERVICE_H_
