#include "application/identity_providers/provider_admin.h"

#include "application/identity_providers/provider_registry.h"

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

}  // namespace identity
