// Storage records to API messages.
#ifndef IDENTITY_SERVICES_CONVERTERS_H_
#define IDENTITY_SERVICES_CONVERTERS_H_

#include <optional>

#include "domain/principal.h"
#include "absl/status/statusor.h"
#include "identity/v1/api_key_service.pb.h"
#include "identity/v1/organization_service.pb.h"
#include "identity/v1/role_service.pb.h"
#include "identity/v1/types.pb.h"
#include "domain/records.h"

namespace identity::services {

void ToProto(const domain::User& in, v1::User* out);
void ToProto(const domain::Organization& in, v1::Organization* out);
void ToProto(const Principal& in, v1::Principal* out);
void ToProto(const domain::ApiKey& in, v1::ApiKey* out);
void ToProto(const domain::CustomRole& in, v1::Role* out);
void ToProto(const domain::Group& in, v1::Group* out);
void ToProto(absl::Time in, google::protobuf::Timestamp* out);
v1::Origin ToProto(domain::Origin origin);
domain::PasswordPolicySettings FromProto(const v1::PasswordPolicy& in);
domain::SessionPolicySettings FromProto(const v1::SessionPolicy& in);
domain::LockoutPolicySettings FromProto(const v1::LockoutPolicy& in);
// nullopt for ORIGIN_UNSPECIFIED and unknown values.
std::optional<domain::Origin> FromProto(v1::Origin origin);

// A handler's result: the value written into `out`, or the error passed on.
template <typename T, typename Msg>
absl::Status Emit(const absl::StatusOr<T>& value, Msg* out) {
  if (!value.ok()) return value.status();
  ToProto(*value, out);
  return absl::OkStatus();
}

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_CONVERTERS_H_
