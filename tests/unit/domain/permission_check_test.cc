#include "domain/permission_check.h"

#include "gtest/gtest.h"
#include "domain/permissions.h"
#include "domain/roles.h"
#include "domain/operations.h"

namespace identity {
namespace {

Principal Make(absl::string_view role, const std::string& org = "org-a") {
  domain::User u;
  u.id = "user-1";
  u.organization_id = org;
  u.primary_role = std::string(role);
  return PrincipalFor(u);
}

Decision Ask(const Principal& p, absl::string_view permission,
             const std::string& org = "") {
  return CheckPermission(op::kCheckPermission, p,
                         {std::string(permission), org});
}

// One implementation: for every operation that needs a permission on an
// organization, asking CheckPermission about that permission and that
// organization gives the answer the operation's own check gives.
TEST(PermissionCheckTest, AgreesWithEveryOperationRuleForEveryRoleAndOrganization) {
  int compared = 0;
  for (const OperationRule& rule : OperationRules()) {
    if (rule.permission.empty()) continue;
    for (const RoleDefinition& role : BuiltInRoles()) {
      const Principal p = Make(role.name);
      for (const std::string org : {"org-a", "org-b"}) {
        const bool rpc = Check(rule.operation, p, Target{org}).ok();
        EXPECT_EQ(Ask(p, rule.permission, org).allowed(), rpc)
            << rule.operation << " as " << role.name << " on " << org;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 300);
}

TEST(PermissionCheckTest, RefusalsSayWhy) {
  const Principal admin = Make(kAdmin);
  EXPECT_TRUE(Ask(admin, "users.read").allowed()) << "empty: its own";
  EXPECT_EQ(Ask(admin, "users.read", "org-b").refusal,
            Refusal::kOtherOrganization);
  EXPECT_EQ(Ask(admin, "organizations.create").refusal, Refusal::kNoPermission);
  const Principal basic = Make(kBasicUser);
  EXPECT_EQ(Ask(basic, "users.read").refusal, Refusal::kNoPermission);
  EXPECT_NE(Ask(basic, "users.read").message.find("users.read"),
            std::string::npos);
  const Principal root = Make(kGlobalAdmin);
  EXPECT_TRUE(Ask(root, "organizations.move", "org-b").allowed());
}

TEST(PermissionCheckTest, AnApiKeyOutsideItsScopeIsKeyScope) {
  Principal key = ScopedToKey(Make(kAdmin), {"users.read"});
  key.api_key_id = "key-1";
  EXPECT_EQ(key.permissions, std::vector<std::string>{"users.read"});
  EXPECT_TRUE(Ask(key, "users.read").allowed());
  EXPECT_EQ(Ask(key, "users.delete").refusal, Refusal::kKeyScope);
  EXPECT_EQ(Ask(key, "organizations.create").refusal, Refusal::kNoPermission)
      << "the owner does not hold it either";
  // The same refusal the RPCs give, as PERMISSION_DENIED.
  absl::Status rpc = Admit(op::kDeleteUser, &key);
  EXPECT_EQ(rpc.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(rpc.message().find("scope"), absl::string_view::npos);
}

// A scope names what the key may do; it never adds to what the owner holds,
// and an empty scope is everything the owner holds.
TEST(PermissionCheckTest, AKeysScopeNarrowsItsOwnersPermissions) {
  const Principal owner = Make(kBasicUser);
  ASSERT_FALSE(owner.Has("users.delete"));
  const Principal key =
      ScopedToKey(owner, {"apps.create", "users.delete"});  // sorted
  EXPECT_EQ(key.permissions, std::vector<std::string>{"apps.create"});
  EXPECT_EQ(key.owner_permissions, owner.permissions);
  EXPECT_FALSE(key.OnlyOwnerHas("apps.create")) << "the key holds it";
  EXPECT_TRUE(key.OnlyOwnerHas("self.read"));
  EXPECT_FALSE(key.OnlyOwnerHas("users.delete")) << "nobody holds it";
  const Principal unscoped = ScopedToKey(owner, {});
  EXPECT_EQ(unscoped.permissions, owner.permissions);
  EXPECT_FALSE(unscoped.OnlyOwnerHas("users.delete"));
}

// Every check of a batch refused by a key's scope says so, the same as one
// check alone; the owner's permissions come with the principal.
TEST(PermissionCheckTest, ABatchOfKeyRefusalsNamesTheScopeInEveryAnswer) {
  Principal key = ScopedToKey(Make(kAdmin), {"users.read"});
  key.api_key_id = "key-1";
  std::vector<PermissionQuery> queries;
  for (int i = 0; i < 100; ++i) {
    queries.push_back({i % 2 == 0 ? "users.delete" : "organizations.create",
                       i % 3 == 0 ? "org-b" : ""});
  }
  const std::vector<Decision> got =
      CheckPermissions(op::kBatchCheckPermissions, key, queries);
  ASSERT_EQ(got.size(), queries.size());
  for (size_t i = 0; i < queries.size(); ++i) {
    EXPECT_EQ(
        got[i].refusal,
        Ask(key, queries[i].permission, queries[i].organization_id).refusal)
        << i;
    EXPECT_EQ(got[i].refusal,
              i % 2 == 0 ? Refusal::kKeyScope : Refusal::kNoPermission)
        << i;
  }
}

TEST(PermissionCheckTest, PendingStepsRefuseChecksAndRpcsAlike) {
  Principal p = Make(kAdmin);
  p.required_actions = {kAcceptTermsOfUse};
  EXPECT_EQ(Ask(p, "users.read").refusal, Refusal::kTermsNotAccepted);
  absl::Status rpc = Admit(op::kListUsers, &p);
  EXPECT_EQ(rpc.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(rpc.message(),
            "this session must first complete: ACCEPT_TERMS_OF_USE (call "
            "AcceptTermsOfUse)");
  EXPECT_TRUE(Admit(op::kAcceptTermsOfUse, &p).ok());
  EXPECT_TRUE(Admit(op::kGetCurrentUser, &p).ok());
  p.required_actions = {kChangePassword, kAcceptTermsOfUse};
  EXPECT_EQ(Ask(p, "self.read").refusal, Refusal::kPasswordChangeRequired);
  p.required_actions = {kEnrollTotp};
  EXPECT_EQ(Ask(p, "self.read").refusal, Refusal::kTotpEnrollmentRequired);
}

TEST(PermissionCheckTest, MalformedQueriesNameTheirField) {
  EXPECT_TRUE(ValidatePermissionQuery("", {"users.read", ""}).ok());
  EXPECT_EQ(ValidatePermissionQuery("", {"", ""}).message(),
            "permission: required");
  absl::Status unknown =
      ValidatePermissionQuery("checks[4].", {"users.reed", ""});
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.message().rfind("checks[4].permission: unknown", 0), 0u);
  absl::Status org = ValidatePermissionQuery("", {"users.read", "org'--"});
  EXPECT_EQ(org.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(org.message().rfind("organization_id", 0), 0u);
  for (absl::string_view p : perm::All()) {
    EXPECT_TRUE(ValidatePermissionQuery("", {std::string(p), ""}).ok()) << p;
  }
}

TEST(PermissionCheckTest,
     OnlyInvalidCredentialsAndUntrustedAddressesAreAnswers) {
  EXPECT_EQ(RefusalOf(absl::UnauthenticatedError("x"))->refusal,
            Refusal::kUnauthenticated);
  EXPECT_EQ(RefusalOf(absl::PermissionDeniedError("x"))->refusal,
            Refusal::kOutsideTrustedIps);
  EXPECT_EQ(RefusalOf(absl::UnavailableError("db")).status().code(),
            absl::StatusCode::kUnavailable)
      << "an outage stays an error";
}

}  // namespace
}  // namespace identity
