#include "providers/provider_messages.h"

#include "google/protobuf/util/time_util.h"

namespace identity {

std::vector<domain::GroupRoleMapping> MappingsFromProto(
    const google::protobuf::RepeatedPtrField<v1::GroupRoleMapping>& in) {
  std::vector<domain::GroupRoleMapping> out;
  for (const v1::GroupRoleMapping& m : in) {
    out.push_back({m.group(), m.primary_role(),
                   std::vector<std::string>(m.add_on_roles().begin(),
                                            m.add_on_roles().end())});
  }
  return out;
}

void MappingsToProto(
    const std::vector<domain::GroupRoleMapping>& in,
    google::protobuf::RepeatedPtrField<v1::GroupRoleMapping>* out) {
  for (const domain::GroupRoleMapping& m : in) {
    v1::GroupRoleMapping* pm = out->Add();
    pm->set_group(m.group);
    pm->set_primary_role(m.primary_role);
    for (const std::string& r : m.add_on_roles) pm->add_add_on_roles(r);
  }
}

google::protobuf::Timestamp TimestampOf(absl::Time time) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(time));
}

}  // namespace identity
