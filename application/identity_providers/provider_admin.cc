#include "application/identity_providers/provider_admin.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "application/identity_providers/provider_registry.h"
#include "common/error_info.h"
#include "domain/authorizer.h"
#include "domain/validation.h"

namespace identity {
namespace {

// Asks each registered administrator side in registration order until one
// has the organization's provider.
template <typename T, typename Ask>
absl::StatusOr<T> FirstConfigured(const ProviderRegistry& registry, Ask ask) {
  absl::StatusOr<T> answer =
      absl::NotFoundError("no identity provider type is registered");
  for (const ProviderAdmin* admin : registry.Admins()) {
    answer = ask(*admin);
    if (!absl::IsNotFound(answer.status())) return answer;
  }
  return answer;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ProviderDescription>> DescribeProvider(
    const ProviderRegistry& registry, const Caller& caller,
    absl::string_view organization_id) {
  return FirstConfigured<std::unique_ptr<ProviderDescription>>(
      registry, [&](const ProviderAdmin& admin) {
        return admin.Describe(caller, organization_id);
      });
}

absl::StatusOr<std::vector<ProviderTestStep>> TestProvider(
    const ProviderRegistry& registry, const Caller& caller,
    const ProviderTestRequest& request) {
  return FirstConfigured<std::vector<ProviderTestStep>>(
      registry,
      [&](const ProviderAdmin& admin) { return admin.Test(caller, request); });
}

absl::StatusOr<std::unique_ptr<ProviderDescription>> ConfigureProvider(
    const ProviderRegistry& registry, const Caller& caller,
    absl::string_view operation, absl::string_view organization_id,
    const google::protobuf::Message& settings, absl::string_view field) {
  // The organization is checked here, before any type is asked, so that no
  // type's own checks are what keeps an administrator in their organization.
  if (caller.principal == nullptr) {
    return absl::UnauthenticatedError("missing or invalid credential");
  }
  absl::Status allowed = ValidateId("organization_id", organization_id);
  if (allowed.ok()) {
    allowed = Check(operation, *caller.principal,
                    Target{std::string(organization_id)});
  }
  if (!allowed.ok()) return allowed;
  const std::string& message = settings.GetDescriptor()->full_name();
  std::vector<std::string> known;
  for (const ProviderAdmin* admin : registry.Admins()) {
    if (admin->settings_message() == message) {
      return admin->Configure(caller, organization_id, settings);
    }
    known.push_back(std::string(admin->name()));
  }
  return InvalidFieldError(
      field, absl::StrCat("no provider type of this server takes ", message,
                          "; the types are: ", absl::StrJoin(known, ", ")));
}

absl::Status WriteProvider(const ProviderRegistry& registry,
                           const ProviderDescription& description,
                           google::protobuf::Message* out) {
  for (const ProviderAdmin* admin : registry.Admins()) {
    if (admin->name() == description.type) {
      return admin->Write(description, out);
    }
  }
  return absl::OkStatus();
}

}  // namespace identity
