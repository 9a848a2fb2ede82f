// The identity provider RPCs reach providers only through the registry: a
// provider type the handlers have never heard of is configured from its own
// settings message, described and tested once it is registered, the first
// configured one answers, and a refusal stops the search.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "application/identity_providers/provider_admin.h"
#include "application/identity_providers/provider_registry.h"
#include "domain/operations.h"
#include "domain/roles.h"
#include "gmock/gmock.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "providers/registry.h"
#include "services/provider_views.h"

namespace identity {
namespace {

using ::testing::ElementsAre;

// A provider type configured for one organization only, which records
// whether it was asked. Its settings message is a file name (a
// StringValue), as a provider that reads its users from a file would have.
class StaticFileAdmin final : public ProviderAdmin {
 public:
  StaticFileAdmin(std::string name, std::string organization,
                  absl::Status failure = absl::OkStatus())
      : name_(std::move(name)),
        organization_(std::move(organization)),
        failure_(std::move(failure)) {}

  absl::string_view name() const override { return name_; }
  absl::StatusOr<std::unique_ptr<ProviderDescription>> Describe(
      const Caller&, absl::string_view organization) const override {
    ++asked;
    if (!failure_.ok()) return failure_;
    if (organization != organization_) return NotConfigured();
    auto out = std::make_unique<ProviderDescription>();
    out->type = name_;
    out->organization_id = organization_;
    out->version = 7;
    return out;
  }
  absl::StatusOr<std::vector<ProviderTestStep>> Test(
      const Caller&, const ProviderTestRequest& request) const override {
    ++asked;
    if (!failure_.ok()) return failure_;
    if (request.organization_id != organization_) return NotConfigured();
    return std::vector<ProviderTestStep>{
        {"read_file", true, std::string(request.username)}};
  }
  absl::string_view settings_message() const override {
    return google::protobuf::StringValue::descriptor()->full_name();
  }
  absl::StatusOr<std::unique_ptr<ProviderDescription>> Configure(
      const Caller&, absl::string_view organization,
      const google::protobuf::Message& settings) const override {
    configured_with =
        dynamic_cast<const google::protobuf::StringValue&>(settings).value();
    auto out = std::make_unique<ProviderDescription>();
    out->type = name_;
    out->organization_id = std::string(organization);
    out->version = 1;
    return out;
  }
  absl::Status Write(const ProviderDescription&,
                     google::protobuf::Message*) const override {
    ++written;
    return absl::OkStatus();
  }

  mutable int asked = 0;
  mutable int written = 0;
  mutable std::string configured_with;

 private:
  absl::Status NotConfigured() const {
    return absl::NotFoundError(name_ + " is not configured");
  }
  const std::string name_;
  const std::string organization_;
  const absl::Status failure_;
};

struct Registered {
  ProviderRegistry registry;
  StaticFileAdmin* first;
  StaticFileAdmin* second;
};

// Two types in one registry: `first` configured for "org-a", `second`
// (a type no handler names) for "org-b".
Registered TwoTypes(absl::Status first_failure = absl::OkStatus()) {
  Registered r;
  auto first = std::make_unique<StaticFileAdmin>("first", "org-a",
                                                 std::move(first_failure));
  auto second = std::make_unique<StaticFileAdmin>("static", "org-b");
  r.first = first.get();
  r.second = second.get();
  ProviderCapabilities a, b;
  a.admin = std::move(first);
  b.admin = std::move(second);
  r.registry.Add(domain::Origin::kLdap, std::move(a));
  r.registry.Add(domain::Origin::kSaml, std::move(b));
  return r;
}

TEST(ProviderAdminDispatchTest,
     ARegisteredTypeIsDescribedWithoutAnyHandlerNamingIt) {
  Registered r = TwoTypes();
  absl::StatusOr<std::unique_ptr<ProviderDescription>> d =
      DescribeProvider(r.registry, Caller{}, "org-b");
  ASSERT_TRUE(d.ok()) << d.status();
  v1::IdentityProvider shown;
  ASSERT_TRUE(services::ToProto(r.registry, **d, &shown).ok());
  EXPECT_EQ(shown.type(), "static");
  EXPECT_EQ(shown.organization_id(), "org-b");
  EXPECT_EQ(shown.version(), 7);
  EXPECT_FALSE(shown.has_ldap());
  EXPECT_FALSE(shown.has_saml());
  EXPECT_EQ(r.first->asked, 1);  // asked first, not configured there
  EXPECT_EQ(r.second->written, 1) << "the type wrote its own part";
  EXPECT_EQ(r.first->written, 0);
}

constexpr char kOrgB[] = "0b0b0b0b-0000-4000-8000-000000000002";
constexpr absl::string_view kOp = op::kConfigureIdentityProvider;

// An ADMIN of `organization`.
Caller AdminOf(const std::string& organization, Principal* holder) {
  domain::User user;
  user.id = "0a0a0a0a-0000-4000-8000-00000000000a";
  user.organization_id = organization;
  user.primary_role = std::string(kAdmin);
  *holder = PrincipalFor(user);
  return Caller{holder, "test"};
}

// A registry of one type no handler names, configured for kOrgB.
ProviderRegistry OnlyStatic(StaticFileAdmin** admin) {
  ProviderRegistry registry;
  auto only = std::make_unique<StaticFileAdmin>("static", kOrgB);
  *admin = only.get();
  ProviderCapabilities c;
  c.admin = std::move(only);
  registry.Add(domain::Origin::kSaml, std::move(c));
  return registry;
}

// That type's settings: the file its users are read from.
google::protobuf::StringValue UsersFile() {
  google::protobuf::StringValue file;
  file.set_value("users.txt");
  return file;
}

TEST(ProviderAdminDispatchTest,
     ARegisteredTypeIsConfiguredFromItsOwnSettingsMessage) {
  StaticFileAdmin* admin = nullptr;
  ProviderRegistry registry = OnlyStatic(&admin);
  const google::protobuf::StringValue file = UsersFile();
  Principal holder;
  absl::StatusOr<std::unique_ptr<ProviderDescription>> d = ConfigureProvider(
      registry, AdminOf(kOrgB, &holder), kOp, kOrgB, file, "static");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(admin->configured_with, "users.txt");
  v1::IdentityProvider shown;
  ASSERT_TRUE(services::ToProto(registry, **d, &shown).ok());
  EXPECT_EQ(shown.type(), "static");
  EXPECT_EQ(shown.version(), 1);
  EXPECT_EQ(admin->written, 1);
}

// The organization is checked before any type is asked, so a type that
// forgot its own check (as this fake does) still cannot be reached from
// another organization.
TEST(ProviderAdminDispatchTest,
     AnotherOrganizationsAdminIsRefusedBeforeAnyTypeIsAsked) {
  StaticFileAdmin* admin = nullptr;
  ProviderRegistry registry = OnlyStatic(&admin);
  const google::protobuf::StringValue file = UsersFile();
  Principal holder;
  absl::Status s =
      ConfigureProvider(
          registry, AdminOf("0c0c0c0c-0000-4000-8000-000000000003", &holder),
          kOp, kOrgB, file, "static")
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "ConfigureIdentityProvider"))
      << s.message();
  EXPECT_TRUE(admin->configured_with.empty());
  EXPECT_EQ(ConfigureProvider(registry, Caller{}, kOp, kOrgB, file, "static")
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ConfigureProvider(registry, AdminOf(kOrgB, &holder), kOp, "../etc",
                              file, "static")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ProviderAdminDispatchTest,
     SettingsNoRegisteredTypeTakesAreInvalidAndNameTheTypes) {
  Registered r = TwoTypes();
  google::protobuf::Int64Value other;
  Principal holder;
  absl::Status s = ConfigureProvider(r.registry, AdminOf(kOrgB, &holder), kOp,
                                     kOrgB, other, "oidc")
                       .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(s.message(), "oidc: ")) << s.message();
  EXPECT_TRUE(absl::StrContains(s.message(), "first, static")) << s.message();
  EXPECT_TRUE(r.first->configured_with.empty());
  EXPECT_TRUE(r.second->configured_with.empty());
}

TEST(ProviderAdminDispatchTest, ARegisteredTypeIsTestedWithTheCallersRequest) {
  Registered r = TwoTypes();
  absl::StatusOr<std::vector<ProviderTestStep>> steps =
      TestProvider(r.registry, Caller{}, {"org-b", "alice", "secret"});
  ASSERT_TRUE(steps.ok()) << steps.status();
  ASSERT_EQ(steps->size(), 1u);
  EXPECT_EQ((*steps)[0].name, "read_file");
  EXPECT_EQ((*steps)[0].message, "alice");
}

TEST(ProviderAdminDispatchTest,
     TheFirstConfiguredTypeAnswersAndTheRestAreNotAsked) {
  Registered r = TwoTypes();
  absl::StatusOr<std::unique_ptr<ProviderDescription>> d =
      DescribeProvider(r.registry, Caller{}, "org-a");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ((*d)->type, "first");
  EXPECT_EQ(r.second->asked, 0);
}

TEST(ProviderAdminDispatchTest,
     ARefusalStopsTheSearchInsteadOfAskingTheNextType) {
  Registered r = TwoTypes(absl::PermissionDeniedError("not yours"));
  EXPECT_EQ(DescribeProvider(r.registry, Caller{}, "org-b").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      TestProvider(r.registry, Caller{}, {"org-b", "", ""}).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(r.second->asked, 0);
}

TEST(ProviderAdminDispatchTest, NoConfiguredTypeAnswersTheLastNotFound) {
  Registered r = TwoTypes();
  absl::Status s = DescribeProvider(r.registry, Caller{}, "org-c").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "static is not configured");
  EXPECT_EQ(
      DescribeProvider(ProviderRegistry(), Caller{}, "org-c").status().code(),
      absl::StatusCode::kNotFound);
}

TEST(ProviderAdminDispatchTest,
     TheOneTableRegistersTheAdministratorSideOfLdapThenSaml) {
  // The factories only keep the pointers they are given.
  absl::StatusOr<ProviderRegistry> registry =
      BuildProviders({nullptr, nullptr, nullptr, nullptr, nullptr});
  ASSERT_TRUE(registry.ok()) << registry.status();
  std::vector<std::string> names;
  for (const ProviderAdmin* admin : registry->Admins()) {
    names.emplace_back(admin->name());
  }
  EXPECT_THAT(names, ElementsAre("ldap", "saml"));
}

}  // namespace
}  // namespace identity
