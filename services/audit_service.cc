#include "services/audit_service.h"

#include "absl/strings/str_cat.h"
#include "domain/operations.h"
#include "services/converters.h"

namespace identity::services {

absl::Time AuditTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

void AuditEventToProto(const domain::AuditEvent& e, v1::AuditEvent* out) {
  out->set_id(absl::StrCat(e.id));
  ToProto(e.occurred_at, out->mutable_occurred_at());
  out->set_actor_id(e.entry.actor_id);
  out->set_actor_username(e.entry.actor_username);
  out->set_action(e.entry.action);
  out->set_target_type(e.entry.target_type);
  out->set_target_id(e.entry.target_id);
  out->set_organization_id(e.entry.organization_id);
  out->set_peer(e.entry.peer);
  out->set_details_json(e.entry.details_json);
}

grpc::Status AuditServiceImpl::ListAuditEvents(
    grpc::ServerContext* ctx, const v1::ListAuditEventsRequest* req,
    v1::ListAuditEventsResponse* resp) {
  return runner_->Run(ctx, op::kListAuditEvents, *req, [&](const Caller& c) {
    AuditListInput in;
    in.organization_id = req->organization_id();
    in.actor_id = req->actor_id();
    in.target_id = req->target_id();
    in.action = req->action();
    if (req->has_since()) in.since = AuditTime(req->since());
    if (req->has_until()) in.until = AuditTime(req->until());
    in.page_size = req->page_size();
    in.page_token = req->page_token();
    absl::StatusOr<AuditListResult> page = log_->List(c, in);
    if (!page.ok()) return page.status();
    for (const domain::AuditEvent& e : page->events) {
      AuditEventToProto(e, resp->add_events());
    }
    resp->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

grpc::ServerWriteReactor<v1::WatchAuditEventsResponse>*
AuditServiceImpl::WatchAuditEvents(grpc::CallbackServerContext* ctx,
                                   const v1::WatchAuditEventsRequest* req) {
  return AuditWatchStream::Open(feed_, runner_, ctx, watch_, *req);
}

}  // namespace identity::services
