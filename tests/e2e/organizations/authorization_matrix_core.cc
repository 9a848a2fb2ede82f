#include "tests/e2e/organizations/authorization_matrix.h"

namespace identity::testing::matrix {

const char* Name(Actor a) {
  static const char* kNames[] = {"GLOBAL_ADMIN", "ADMIN(A)", "BASIC_USER(A)",
                                 "BILLING_CONTACT(A)", "ADMIN(B)", "anonymous"};
  return kNames[a];
}

std::vector<Row> CoreRows() {
  const std::set<Actor> everyone = {kGlobal, kAdminA, kBasicA, kBillingA,
                                    kAdminB, kAnonymous};
  const std::set<Actor> signed_in = {kGlobal, kAdminA, kBasicA, kBillingA,
                                     kAdminB};
  const std::set<Actor> admins_of_a = {kGlobal, kAdminA};
  auto& orgs = E2eTest::orgs_;
  return {
      {"AuthService/Authenticate", everyone,
       [](const std::string& t, Actor, World& w) {
         v1::AuthenticateRequest r;
         r.set_username(w.users[kBasicA].username());
         r.set_password(E2eTest::kPassword);
         v1::AuthenticateResponse out;
         return E2eTest::auth_->Authenticate(Ctx(t).get(), r, &out);
       }},
      {"AuthService/ValidateToken", everyone,
       [](const std::string& t, Actor, World& w) {
         v1::ValidateTokenRequest r;
         r.set_token(w.tokens[kBasicA]);
         v1::ValidateTokenResponse out;
         return E2eTest::auth_->ValidateToken(Ctx(t).get(), r, &out);
       }},
      {"AuthService/Logout", signed_in,
       [](const std::string&, Actor a, World& w) {
         // A fresh session, so that the actor's main token survives.
         std::string t;
         if (a != kAnonymous) {
           t = E2eTest::Login(w.users[a].username(),
                              a == kGlobal
                                  ? E2eTest::server().options().admin_password
                                  : std::string(E2eTest::kPassword));
         }
         v1::LogoutResponse out;
         return E2eTest::auth_->Logout(Ctx(t).get(), {}, &out);
       }},
      // No SAML provider on this server: admitted callers get NOT_FOUND or
      // UNAUTHENTICATED from the handler, never PERMISSION_DENIED.
      {"AuthService/BeginSamlLogin", everyone,
       [](const std::string& t, Actor, World& w) {
         v1::BeginSamlLoginRequest r;
         r.set_organization(w.a.id());
         v1::BeginSamlLoginResponse out;
         return E2eTest::auth_->BeginSamlLogin(Ctx(t).get(), r, &out);
       }},
      {"AuthService/CompleteSamlLogin", everyone,
       [](const std::string& t, Actor, World&) {
         v1::CompleteSamlLoginRequest r;  // INVALID_ARGUMENT: no response
         r.set_relay_state("unknown");
         v1::AuthenticateResponse out;
         return E2eTest::auth_->CompleteSamlLogin(Ctx(t).get(), r, &out);
       }},
      {"AuthService/GetSamlMetadata", everyone,
       [](const std::string& t, Actor, World& w) {
         v1::GetSamlMetadataRequest r;
         r.set_organization(w.a.id());
         v1::GetSamlMetadataResponse out;
         return E2eTest::auth_->GetSamlMetadata(Ctx(t).get(), r, &out);
       }},
      {"AuthService/ValidateApiKey", everyone,
       [](const std::string& t, Actor, World& w) {
         v1::ValidateApiKeyRequest r;
         r.set_api_key(w.api_key);
         v1::ValidateApiKeyResponse out;
         return E2eTest::auth_->ValidateApiKey(Ctx(t).get(), r, &out);
       }},
      // The credential they check is in the request, not the metadata.
      {"AuthService/CheckPermission", everyone,
       [](const std::string& t, Actor, World& w) {
         v1::CheckPermissionRequest r;
         r.set_token(w.tokens[kBasicA]);
         r.set_permission("apps.create");
         v1::CheckPermissionResponse out;
         return E2eTest::auth_->CheckPermission(Ctx(t).get(), r, &out);
       }},
      {"AuthService/BatchCheckPermissions", everyone,
       [](const std::string& t, Actor, World& w) {
         v1::BatchCheckPermissionsRequest r;
         r.set_api_key(w.api_key);
         r.add_checks()->set_permission("apps.create");
         v1::BatchCheckPermissionsResponse out;
         return E2eTest::auth_->BatchCheckPermissions(Ctx(t).get(), r, &out);
       }},
      // The API key rows act on BASIC_USER(A)'s own keys, which it may manage.
      {"ApiKeyService/CreateApiKey", {kGlobal, kAdminA, kBasicA},
       [](const std::string& t, Actor, World& w) {
         v1::CreateApiKeyRequest r;
         r.set_user_id(w.users[kBasicA].id());
         r.set_name("for basic");
         v1::CreateApiKeyResponse out;
         return v1::ApiKeyService::NewStub(E2eTest::server().NewChannel())
             ->CreateApiKey(Ctx(t).get(), r, &out);
       }},
      {"ApiKeyService/ListApiKeys", {kGlobal, kAdminA, kBasicA},
       [](const std::string& t, Actor, World& w) {
         v1::ListApiKeysRequest r;
         r.set_user_id(w.users[kBasicA].id());
         v1::ListApiKeysResponse out;
         return v1::ApiKeyService::NewStub(E2eTest::server().NewChannel())
             ->ListApiKeys(Ctx(t).get(), r, &out);
       }},
      {"ApiKeyService/RevokeApiKey", {kGlobal, kAdminA, kBasicA},
       [](const std::string& t, Actor, World& w) {
         // A fresh key of BASIC_USER(A) for each call.
         v1::CreateApiKeyRequest make;
         make.set_user_id(w.users[kBasicA].id());
         make.set_name("to revoke");
         v1::CreateApiKeyResponse made;
         auto stub = v1::ApiKeyService::NewStub(E2eTest::server().NewChannel());
         EXPECT_TRUE(stub->CreateApiKey(Ctx(E2eTest::AdminToken()).get(), make,
                                        &made).ok());
         v1::RevokeApiKeyRequest r;
         r.set_id(made.key().id());
         v1::ApiKey out;
         return stub->RevokeApiKey(Ctx(t).get(), r, &out);
       }},
      // BILLING_CONTACT(A) lists its own sessions here, which it may.
      {"AuthService/EnrollTotp", signed_in,
       [](const std::string& t, Actor, World&) {
         // No IDENTITY_SECRET_KEY here: admitted callers get
         // FAILED_PRECONDITION.
         v1::EnrollTotpResponse out;
         return E2eTest::auth_->EnrollTotp(Ctx(t).get(), {}, &out);
       }},
      {"AuthService/ConfirmTotp", signed_in,
       [](const std::string& t, Actor, World&) {
         v1::ConfirmTotpRequest r;
         r.set_code("123456");
         v1::ConfirmTotpResponse out;
         return E2eTest::auth_->ConfirmTotp(Ctx(t).get(), r, &out);
       }},
      {"AuthService/DisableTotp", admins_of_a,
       [](const std::string& t, Actor, World& w) {
         v1::DisableTotpRequest r;
         r.set_user_id(E2eTest::CreateUser(w.a.id(), "BASIC_USER").id());
         v1::DisableTotpResponse out;
         return E2eTest::auth_->DisableTotp(Ctx(t).get(), r, &out);
       }},
      {"AuthService/ListSessions", {kGlobal, kAdminA, kBillingA},
       [](const std::string& t, Actor, World& w) {
         v1::ListSessionsRequest r;
         r.set_user_id(w.users[kBillingA].id());
         v1::ListSessionsResponse out;
         return E2eTest::auth_->ListSessions(Ctx(t).get(), r, &out);
       }},
      {"AuthService/RevokeSession", admins_of_a,
       [](const std::string& t, Actor, World& w) {
         // A fresh session of a fresh user of A for each call.
         v1::User u = E2eTest::CreateUser(w.a.id(), "BASIC_USER");
         v1::ValidateTokenRequest vt;
         vt.set_token(E2eTest::Login(u.username(), E2eTest::kPassword));
         v1::ListSessionsRequest lr;
         lr.set_user_id(u.id());
         v1::ListSessionsResponse list;
         EXPECT_TRUE(E2eTest::auth_->ListSessions(Ctx(E2eTest::AdminToken()).get(),
                                                  lr, &list).ok());
         v1::RevokeSessionRequest r;
         r.set_id(list.sessions(0).id());
         v1::RevokeSessionResponse out;
         return E2eTest::auth_->RevokeSession(Ctx(t).get(), r, &out);
       }},
      {"OrganizationService/CreateOrganization", {kGlobal},
       [&](const std::string& t, Actor, World&) {
         v1::CreateOrganizationRequest r;
         r.set_name(Unique("matrix"));
         v1::Organization out;
         return orgs->CreateOrganization(Ctx(t).get(), r, &out);
       }},
      {"OrganizationService/GetOrganization", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::GetOrganizationRequest r;
         r.set_id(w.a.id());
         v1::Organization out;
         return orgs->GetOrganization(Ctx(t).get(), r, &out);
       }},
      {"OrganizationService/ListOrganizations", {kGlobal, kAdminA, kAdminB},
       [&](const std::string& t, Actor, World&) {
         v1::ListOrganizationsResponse out;
         return orgs->ListOrganizations(Ctx(t).get(), {}, &out);
       }},
      {"OrganizationService/UpdateOrganization", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::UpdateOrganizationRequest r;
         r.set_id(w.a.id());
         v1::Organization out;
         return orgs->UpdateOrganization(Ctx(t).get(), r, &out);
       }},
      {"OrganizationService/DeleteOrganization", {kGlobal},
       [&](const std::string& t, Actor, World&) {
         v1::DeleteOrganizationRequest r;
         r.set_id(E2eTest::CreateOrg().id());
         v1::DeleteOrganizationResponse out;
         return orgs->DeleteOrganization(Ctx(t).get(), r, &out);
       }},
      {"OrganizationService/MoveOrganizationContents", {kGlobal},
       [&](const std::string& t, Actor, World&) {
         v1::MoveOrganizationContentsRequest r;
         r.set_source_organization_id(E2eTest::CreateOrg().id());
         r.set_target_organization_id(E2eTest::CreateOrg().id());
         v1::MoveOrganizationContentsResponse out;
         return orgs->MoveOrganizationContents(Ctx(t).get(), r, &out);
       }},
      // No IDENTITY_SECRET_KEY on this server and no provider configured:
      // admitted callers get FAILED_PRECONDITION or NOT_FOUND.
      {"OrganizationService/ConfigureLdapProvider", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::ConfigureLdapProviderRequest r;
         r.set_organization_id(w.a.id());
         r.mutable_ldap()->add_urls("ldap://127.0.0.1:1");
         r.mutable_ldap()->set_bind_dn("cn=x");
         r.mutable_ldap()->set_bind_password("x");
         r.mutable_ldap()->set_user_base_dn("dc=x");
         r.mutable_ldap()->set_user_filter("(uid={username})");
         v1::IdentityProvider out;
         return orgs->ConfigureLdapProvider(Ctx(t).get(), r, &out);
       }},
      {"OrganizationService/GetIdentityProvider", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::GetIdentityProviderRequest r;
         r.set_organization_id(w.a.id());
         v1::IdentityProvider out;
         return orgs->GetIdentityProvider(Ctx(t).get(), r, &out);
       }},
      {"OrganizationService/TestIdentityProvider", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::TestIdentityProviderRequest r;
         r.set_organization_id(w.a.id());
         v1::TestIdentityProviderResponse out;
         return orgs->TestIdentityProvider(Ctx(t).get(), r, &out);
       }},
      {"OrganizationService/ConfigureSamlProvider", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::ConfigureSamlProviderRequest r;
         r.set_organization_id(w.a.id());
         r.mutable_saml()->set_idp_metadata_xml("<x/>");
         r.mutable_saml()->set_sp_entity_id("https://sp.example.com");
         r.mutable_saml()->set_acs_url("https://sp.example.com/acs");
         v1::IdentityProvider out;
         return orgs->ConfigureSamlProvider(Ctx(t).get(), r, &out);
       }},
      {"OrganizationService/ConfigureIdentityProvider", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::ConfigureIdentityProviderRequest r;
         r.set_organization_id(w.a.id());
         r.mutable_saml()->set_idp_metadata_xml("<x/>");
         r.mutable_saml()->set_sp_entity_id("https://sp.example.com");
         r.mutable_saml()->set_acs_url("https://sp.example.com/acs");
         v1::IdentityProvider out;
         return orgs->ConfigureIdentityProvider(Ctx(t).get(), r, &out);
       }},
      {"OrganizationService/SyncLdapUsers", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::SyncLdapUsersRequest r;
         r.set_organization_id(w.a.id());
         v1::SyncLdapUsersResponse out;
         return orgs->SyncLdapUsers(Ctx(t).get(), r, &out);
       }},
  };
}

}  // namespace identity::testing::matrix
