// The authorization matrix's UserService rows: each RPC of the service,
// called by every actor, against a user of organization A.
#include "tests/e2e/organizations/authorization_matrix.h"

namespace identity::testing::matrix {

std::vector<Row> UserRows() {
  const std::set<Actor> everyone = {kGlobal, kAdminA, kBasicA, kBillingA,
                                    kAdminB, kAnonymous};
  const std::set<Actor> signed_in = {kGlobal, kAdminA, kBasicA, kBillingA,
                                     kAdminB};
  const std::set<Actor> admins_of_a = {kGlobal, kAdminA};
  auto& users = E2eTest::users_;
  auto victim = [](World& w) {
    return E2eTest::CreateUser(w.a.id(), "BASIC_USER");
  };
  return {
      {"UserService/CreateUser", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::CreateUserRequest r;
         r.set_organization_id(w.a.id());
         r.set_username(Unique("made"));
         r.set_primary_role("BASIC_USER");
         r.set_generate_password(true);
         v1::CreateUserResponse out;
         return users->CreateUser(Ctx(t).get(), r, &out);
       }},
      {"UserService/GetUser", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::GetUserRequest r;
         r.set_id(victim(w).id());
         v1::User out;
         return users->GetUser(Ctx(t).get(), r, &out);
       }},
      {"UserService/GetCurrentUser", signed_in,
       [&](const std::string& t, Actor, World&) {
         v1::User out;
         return users->GetCurrentUser(Ctx(t).get(), {}, &out);
       }},
      {"UserService/ListUsers", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::ListUsersRequest r;
         r.set_organization_id(w.a.id());
         v1::ListUsersResponse out;
         return users->ListUsers(Ctx(t).get(), r, &out);
       }},
      {"UserService/UpdateUser", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::UpdateUserRequest r;
         r.set_id(victim(w).id());
         r.set_display_name("changed");
         v1::User out;
         return users->UpdateUser(Ctx(t).get(), r, &out);
       }},
      {"UserService/DeleteUser", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::DeleteUserRequest r;
         r.set_id(victim(w).id());
         v1::DeleteUserResponse out;
         return users->DeleteUser(Ctx(t).get(), r, &out);
       }},
      {"UserService/EnableUser", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::EnableUserRequest r;
         r.set_id(victim(w).id());
         v1::User out;
         return users->EnableUser(Ctx(t).get(), r, &out);
       }},
      {"UserService/DisableUser", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::DisableUserRequest r;
         r.set_id(victim(w).id());
         v1::User out;
         return users->DisableUser(Ctx(t).get(), r, &out);
       }},
      {"UserService/SetPrimaryRole", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::SetPrimaryRoleRequest r;
         r.set_id(victim(w).id());
         r.set_primary_role("BILLING_CONTACT");
         v1::User out;
         return users->SetPrimaryRole(Ctx(t).get(), r, &out);
       }},
      {"UserService/ChangePassword", signed_in,
       [&](const std::string& t, Actor, World&) {
         // Same as the current one: refused as INVALID_ARGUMENT once admitted.
         v1::ChangePasswordRequest r;
         r.set_current_password(E2eTest::kPassword);
         r.set_new_password(E2eTest::kPassword);
         v1::ChangePasswordResponse out;
         return users->ChangePassword(Ctx(t).get(), r, &out);
       }},
      {"UserService/InviteUser", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         // This server has no mail configured: admitted callers get
         // FAILED_PRECONDITION, and no user is created.
         v1::InviteUserRequest r;
         r.set_organization_id(w.a.id());
         r.set_email(Unique("invite"));
         r.set_primary_role("BASIC_USER");
         v1::User out;
         return users->InviteUser(Ctx(t).get(), r, &out);
       }},
      {"UserService/ResendInvitation", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::ResendInvitationRequest r;
         r.set_user_id(E2eTest::Sql(
             "INSERT INTO users (organization_id, username, email, origin, "
             "primary_role, pending) VALUES ('" + w.a.id() + "', '" +
             Unique("pending") + "', 'p@example.com', 'INTERNAL', "
             "'BASIC_USER', true) RETURNING id"));
         v1::User out;
         return users->ResendInvitation(Ctx(t).get(), r, &out);
       }},
      {"UserService/AcceptInvitation", everyone,
       [&](const std::string& t, Actor, World&) {
         v1::AcceptInvitationRequest r;
         r.set_token("itk_" + std::string(43, 'B'));
         r.set_password(E2eTest::kPassword);
         v1::User out;
         return users->AcceptInvitation(Ctx(t).get(), r, &out);
       }},
      {"UserService/RegisterUser", everyone,
       [&](const std::string& t, Actor, World& w) {
         v1::RegisterUserRequest r;
         r.set_organization_id(w.a.id());
         r.set_email(Unique("register"));
         r.set_password(E2eTest::kPassword);
         v1::User out;
         return users->RegisterUser(Ctx(t).get(), r, &out);
       }},
      {"UserService/VerifyEmail", everyone,
       [&](const std::string& t, Actor, World&) {
         v1::VerifyEmailRequest r;
         r.set_token("itk_" + std::string(43, 'C'));
         v1::User out;
         return users->VerifyEmail(Ctx(t).get(), r, &out);
       }},
      {"UserService/AcceptTermsOfUse", signed_in,
       [&](const std::string& t, Actor, World&) {
         v1::AcceptTermsOfUseRequest r;
         r.set_version("none");
         v1::User out;
         return users->AcceptTermsOfUse(Ctx(t).get(), r, &out);
       }},
      {"UserService/ResetPassword", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::ResetPasswordRequest r;
         r.set_id(victim(w).id());
         r.set_generate_password(true);
         v1::ResetPasswordResponse out;
         return users->ResetPassword(Ctx(t).get(), r, &out);
       }},
      {"UserService/UnlockUser", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::UnlockUserRequest r;
         r.set_id(victim(w).id());
         v1::User out;
         return users->UnlockUser(Ctx(t).get(), r, &out);
       }},
  };
}

}  // namespace identity::testing::matrix
