// Every (caller x permission x same/other organization) asked two ways: of
// CheckPermission (and BatchCheckPermissions), and of the service's own RPC
// that needs that permission on an object of that organization. The two
// must agree, since both are decided by the one authorization function.
// The callers extend those of the authorization matrix with a custom role,
// roles through a group, a scoped API key, a session with a pending step and
// a revoked session.
#include <functional>
#include <map>

#include "absl/strings/match.h"
#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using CheckPermissionMatrixE2eTest = E2eTest;

struct Caller {
  std::string name;
  std::string credential;
  bool is_key = false;
};

// An RPC needing a permission, called with `credential` as the bearer on an
// object of organization `org` that is neither the caller nor an account
// holding any permission (so no rule about an account's holder applies).
using Probe = std::function<grpc::Status(const std::string& credential,
                                         const std::string& org)>;

struct World {
  std::map<std::string, std::string> bare_user;  // by organization id
  int next_name = 0;                             // for roles and groups
};

std::map<std::string, Probe> Probes(World& w) {
  World* wp = &w;
  auto fresh_bare = [](const std::string& org) {
    return E2eTest::CreateUser(org, "BARE").id();
  };
  return {
      {"organizations.create",
       [](const std::string& c, const std::string&) {
         v1::CreateOrganizationRequest r;
         r.set_name(Unique("probe"));
         v1::Organization out;
         return E2eTest::orgs_->CreateOrganization(Ctx(c).get(), r, &out);
       }},
      {"organizations.delete",
       [](const std::string& c, const std::string&) {
         v1::DeleteOrganizationRequest r;
         r.set_id(E2eTest::CreateOrg().id());
         v1::DeleteOrganizationResponse out;
         return E2eTest::orgs_->DeleteOrganization(Ctx(c).get(), r, &out);
       }},
      {"organizations.move",
       [](const std::string& c, const std::string&) {
         v1::MoveOrganizationContentsRequest r;
         r.set_source_organization_id(E2eTest::CreateOrg().id());
         r.set_target_organization_id(E2eTest::CreateOrg().id());
         v1::MoveOrganizationContentsResponse out;
         return E2eTest::orgs_->MoveOrganizationContents(Ctx(c).get(), r, &out);
       }},
      {"organizations.read",
       [wp](const std::string& c, const std::string& org) {
         v1::GetOrganizationRequest r;
         r.set_id(org);
         v1::Organization out;
         return E2eTest::orgs_->GetOrganization(Ctx(c).get(), r, &out);
       }},
      {"organizations.write",
       [wp](const std::string& c, const std::string& org) {
         v1::UpdateOrganizationRequest r;
         r.set_id(org);
         v1::Organization out;
         return E2eTest::orgs_->UpdateOrganization(Ctx(c).get(), r, &out);
       }},
      {"users.create",
       [wp](const std::string& c, const std::string& org) {
         // No mail on this server: an admitted call ends in
         // FAILED_PRECONDITION and creates nobody.
         v1::InviteUserRequest r;
         r.set_organization_id(org);
         r.set_email(Unique("invite") + "@example.com");
         r.set_primary_role("BARE");
         v1::User out;
         return E2eTest::users_->InviteUser(Ctx(c).get(), r, &out);
       }},
      {"users.read",
       [wp](const std::string& c, const std::string& org) {
         v1::GetUserRequest r;
         r.set_id(wp->bare_user[org]);
         v1::User out;
         return E2eTest::users_->GetUser(Ctx(c).get(), r, &out);
       }},
      {"users.update",
       [wp](const std::string& c, const std::string& org) {
         v1::UpdateUserRequest r;
         r.set_id(wp->bare_user[org]);
         r.set_display_name("probed");
         v1::User out;
         return E2eTest::users_->UpdateUser(Ctx(c).get(), r, &out);
       }},
      {"users.delete",
       [fresh_bare](const std::string& c, const std::string& org) {
         v1::DeleteUserRequest r;
         r.set_id(fresh_bare(org));
         v1::DeleteUserResponse out;
         return E2eTest::users_->DeleteUser(Ctx(c).get(), r, &out);
       }},
      {"users.status",
       [wp](const std::string& c, const std::string& org) {
         v1::EnableUserRequest r;
         r.set_id(wp->bare_user[org]);
         v1::User out;
         return E2eTest::users_->EnableUser(Ctx(c).get(), r, &out);
       }},
      {"users.roles",
       [wp](const std::string& c, const std::string& org) {
         v1::SetPrimaryRoleRequest r;
         r.set_id(wp->bare_user[org]);
         r.set_primary_role("BARE");
         v1::User out;
         return E2eTest::users_->SetPrimaryRole(Ctx(c).get(), r, &out);
       }},
      {"users.password.reset",
       [wp](const std::string& c, const std::string& org) {
         v1::ResetPasswordRequest r;
         r.set_id(wp->bare_user[org]);
         r.set_generate_password(true);
         v1::ResetPasswordResponse out;
         return E2eTest::users_->ResetPassword(Ctx(c).get(), r, &out);
       }},
      {"roles.read",
       [wp](const std::string& c, const std::string& org) {
         v1::ListRolesRequest r;
         r.set_organization_id(org);
         v1::ListRolesResponse out;
         return E2eTest::roles_->ListRoles(Ctx(c).get(), r, &out);
       }},
      {"roles.write",
       [wp](const std::string& c, const std::string& org) {
         v1::CreateRoleRequest r;
         r.set_organization_id(org);
         r.set_name("R" + std::to_string(++wp->next_name));
         v1::Role out;
         return E2eTest::roles_->CreateRole(Ctx(c).get(), r, &out);
       }},
      {"groups.read",
       [wp](const std::string& c, const std::string& org) {
         v1::ListGroupsRequest r;
         r.set_organization_id(org);
         v1::ListGroupsResponse out;
         return E2eTest::roles_->ListGroups(Ctx(c).get(), r, &out);
       }},
      {"groups.write",
       [wp](const std::string& c, const std::string& org) {
         v1::CreateGroupRequest r;
         r.set_organization_id(org);
         r.set_name("G" + std::to_string(++wp->next_name));
         v1::Group out;
         return E2eTest::roles_->CreateGroup(Ctx(c).get(), r, &out);
       }},
      {"audit.read",
       [wp](const std::string& c, const std::string& org) {
         v1::ListAuditEventsRequest r;
         r.set_organization_id(org);
         r.set_page_size(1);
         v1::ListAuditEventsResponse out;
         return v1::AuditService::NewStub(E2eTest::server().NewChannel())
             ->ListAuditEvents(Ctx(c).get(), r, &out);
       }},
      {"api_keys.manage",
       [wp](const std::string& c, const std::string& org) {
         v1::ListApiKeysRequest r;
         r.set_organization_id(org);
         v1::ListApiKeysResponse out;
         return v1::ApiKeyService::NewStub(E2eTest::server().NewChannel())
             ->ListApiKeys(Ctx(c).get(), r, &out);
       }},
  };
}

// Refused by authorization: no valid credential, a pending step, or a
// missing permission. Anything else (OK, NOT_FOUND, FAILED_PRECONDITION for
// missing mail...) came from the handler after admission.
bool Refused(const grpc::Status& s) {
  return s.error_code() == grpc::StatusCode::PERMISSION_DENIED ||
         s.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
         (s.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
          absl::StartsWith(s.error_message(), "this session must first"));
}

v1::CheckPermissionRequest Question(const Caller& c, const std::string& perm,
                                    const std::string& org) {
  v1::CheckPermissionRequest req;
  if (c.is_key) {
    req.set_api_key(c.credential);
  } else {
    req.set_token(c.credential);
  }
  req.set_permission(perm);
  req.set_organization_id(org);
  return req;
}

void MakeRole(const std::string& org, const std::string& name,
              const std::vector<std::string>& permissions) {
  v1::CreateRoleRequest r;
  r.set_organization_id(org);
  r.set_name(name);
  for (const std::string& p : permissions) r.add_permissions(p);
  v1::Role out;
  ASSERT_TRUE(
      E2eTest::roles_->CreateRole(Ctx(E2eTest::AdminToken()).get(), r, &out)
          .ok());
}

std::vector<Caller> MakeCallers(const v1::Organization& a) {
  auto login = [&](const std::string& role) {
    return E2eTest::Login(E2eTest::CreateUser(a.id(), role).username(),
                          E2eTest::kPassword);
  };
  std::vector<Caller> callers = {{"GLOBAL_ADMIN", E2eTest::AdminToken()},
                                 {"ADMIN", login("ADMIN")},
                                 {"BASIC_USER", login("BASIC_USER")},
                                 {"BILLING_CONTACT", login("BILLING_CONTACT")},
                                 {"SUPPORT (custom)", login("SUPPORT")}};
  // BASIC_USER with more roles through a group: an add-on and a custom role.
  const v1::User grouped = E2eTest::CreateUser(a.id(), "BASIC_USER");
  v1::CreateGroupRequest g;
  g.set_organization_id(a.id());
  g.set_name("Readers");
  g.add_roles("CONTROL_CENTER");
  g.add_roles("ROLE_READER");
  v1::Group group;
  EXPECT_TRUE(
      E2eTest::roles_->CreateGroup(Ctx(E2eTest::AdminToken()).get(), g, &group)
          .ok());
  v1::AddGroupMemberRequest add;
  add.set_group_id(group.id());
  add.set_user_id(grouped.id());
  EXPECT_TRUE(
      E2eTest::roles_
          ->AddGroupMember(Ctx(E2eTest::AdminToken()).get(), add, &group)
          .ok());
  callers.push_back({"BASIC_USER + group",
                     E2eTest::Login(grouped.username(), E2eTest::kPassword)});
  // An ADMIN's key scoped to three permissions.
  v1::CreateApiKeyRequest k;
  k.set_name("scoped");
  for (const char* p : {"users.read", "roles.read", "apps.create"})
    k.add_permissions(p);
  v1::CreateApiKeyResponse key;
  EXPECT_TRUE(v1::ApiKeyService::NewStub(E2eTest::server().NewChannel())
                  ->CreateApiKey(Ctx(callers[1].credential).get(), k, &key)
                  .ok());
  callers.push_back({"ADMIN's scoped API key", key.api_key(), true});
  // An ADMIN that has not accepted the Terms of Use, and a logged-out ADMIN.
  const v1::User pending = E2eTest::CreateUser(a.id(), "ADMIN");
  E2eTest::Sql("UPDATE users SET must_accept_terms = true WHERE id = '" +
               pending.id() + "'");
  callers.push_back({"ADMIN pending Terms of Use",
                     E2eTest::Login(pending.username(), E2eTest::kPassword)});
  const std::string gone = login("ADMIN");
  v1::LogoutResponse out;
  EXPECT_TRUE(E2eTest::auth_->Logout(Ctx(gone).get(), {}, &out).ok());
  callers.push_back({"revoked ADMIN session", gone});
  return callers;
}

TEST_F(CheckPermissionMatrixE2eTest,
       CheckPermissionAgreesWithTheServicesOwnRpcs) {
  const v1::Organization a = CreateOrg(), b = CreateOrg();
  World w;
  for (const v1::Organization* org : {&a, &b}) {
    MakeRole(org->id(), "BARE", {});
    w.bare_user[org->id()] = CreateUser(org->id(), "BARE").id();
  }
  MakeRole(a.id(), "SUPPORT",
           {"users.read", "users.status", "groups.read", "audit.read",
            "billing.read"});
  MakeRole(a.id(), "ROLE_READER", {"roles.read"});
  v1::UpdateOrganizationRequest terms;
  terms.set_id(a.id());
  terms.set_terms_of_use_version("2026-12");
  v1::Organization updated;
  ASSERT_TRUE(
      orgs_->UpdateOrganization(Ctx(AdminToken()).get(), terms, &updated).ok());

  const std::vector<Caller> callers = MakeCallers(a);
  const std::map<std::string, Probe> probes = Probes(w);
  v1::ListRolesResponse catalog;
  ASSERT_TRUE(roles_->ListRoles(Ctx(AdminToken()).get(), {}, &catalog).ok());
  std::vector<std::string> permissions;  // GLOBAL_ADMIN holds every one
  for (const v1::Role& role : catalog.roles()) {
    if (role.name() == "GLOBAL_ADMIN") {
      permissions.assign(role.permissions().begin(), role.permissions().end());
    }
  }
  ASSERT_GT(permissions.size(), 20u);

  int compared_with_rpcs = 0, allowed = 0;
  for (const Caller& caller : callers) {
    v1::BatchCheckPermissionsRequest batch;
    if (caller.is_key) {
      batch.set_api_key(caller.credential);
    } else {
      batch.set_token(caller.credential);
    }
    std::vector<v1::CheckPermissionResponse> singles;
    for (const std::string& perm : permissions) {
      for (const v1::Organization* org : {&a, &b}) {
        const std::string where = caller.name + " / " + perm + " / " +
                                  (org == &a ? "same" : "other") +
                                  " organization";
        v1::CheckPermissionResponse cp;
        grpc::Status s = auth_->CheckPermission(
            Ctx().get(), Question(caller, perm, org->id()), &cp);
        ASSERT_TRUE(s.ok()) << where << ": " << s.error_message();
        singles.push_back(cp);
        v1::PermissionCheck* pair = batch.add_checks();
        pair->set_permission(perm);
        pair->set_organization_id(org->id());
        allowed += cp.allowed();

        auto probe = probes.find(perm);
        if (probe == probes.end()) {
          // No RPC of this service needs it (a platform or self.*
          // permission): the principal's own list decides, in its
          // organization, or anywhere for a global role.
          const v1::Principal& p = cp.principal();
          const bool holds =
              std::find(p.permissions().begin(), p.permissions().end(), perm) !=
              p.permissions().end();
          const bool global = std::find(p.roles().begin(), p.roles().end(),
                                        "GLOBAL_ADMIN") != p.roles().end();
          EXPECT_EQ(cp.allowed(),
                    holds && (global || p.organization_id() == org->id()))
              << where;
          continue;
        }
        ++compared_with_rpcs;
        grpc::Status rpc = probe->second(caller.credential, org->id());
        EXPECT_EQ(!Refused(rpc), cp.allowed())
            << where << ": the RPC answered " << rpc.error_code() << " "
            << rpc.error_message() << "; CheckPermission " << cp.reason() << " "
            << cp.message();
        if (rpc.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
          EXPECT_EQ(cp.reason(),
                    v1::CheckPermissionResponse::UNAUTHENTICATED_CREDENTIAL)
              << where;
        }
        if (rpc.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
            !cp.allowed()) {
          EXPECT_EQ(cp.reason(),
                    v1::CheckPermissionResponse::TERMS_NOT_ACCEPTED)
              << where;
        }
      }
    }
    // The batch answers exactly as the single checks, in order.
    v1::BatchCheckPermissionsResponse answers;
    ASSERT_TRUE(
        auth_->BatchCheckPermissions(Ctx().get(), batch, &answers).ok());
    ASSERT_EQ(answers.results_size(), static_cast<int>(singles.size()));
    for (size_t i = 0; i < singles.size(); ++i) {
      EXPECT_EQ(answers.results(i).allowed(), singles[i].allowed())
          << caller.name << " " << i;
      EXPECT_EQ(answers.results(i).reason(), singles[i].reason())
          << caller.name << " " << i;
    }
  }
  EXPECT_GT(compared_with_rpcs, 300);
  EXPECT_GT(allowed, 80) << "the matrix allows as well as refuses";
}

}  // namespace
}  // namespace identity::testing
