// What the providers' settings messages in the API share: group to role
// mappings and times. Each provider turns its own message into its settings
// and back in its administrator side (ldap/ldap_admin.cc,
// saml/saml_admin.cc), so no other layer knows a provider's message.
#ifndef IDENTITY_PROVIDERS_PROVIDER_MESSAGES_H_
#define IDENTITY_PROVIDERS_PROVIDER_MESSAGES_H_

#include <vector>

#include "absl/time/time.h"
#include "domain/records.h"
#include "google/protobuf/timestamp.pb.h"
#include "identity/v1/organization_service.pb.h"

namespace identity {

std::vector<domain::GroupRoleMapping> MappingsFromProto(
    const google::protobuf::RepeatedPtrField<v1::GroupRoleMapping>& in);
void MappingsToProto(
    const std::vector<domain::GroupRoleMapping>& in,
    google::protobuf::RepeatedPtrField<v1::GroupRoleMapping>* out);
google::protobuf::Timestamp TimestampOf(absl::Time time);

}  // namespace identity

#endif  // IDENTITY_PROVIDERS_PROVIDER_MESSAGES_H_
