// Logins through responses shaped like those of the IdPs organizations run
// (Entra ID, AD FS, Okta, Google Workspace, and urn:oid: attribute names
// with FriendlyName), each made by the test IdP with keys it makes, against
// a provider configured the way docs/providers/saml.md says.
#include "absl/strings/match.h"
#include "tests/e2e/providers/saml/saml_fixture.h"

namespace identity::testing {
namespace {

constexpr char kPersistent[] =
    "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
constexpr char kEmail[] =
    "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
constexpr char kUnspecified[] =
    "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
constexpr char kTransient[] =
    "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
constexpr char kClaims[] =
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";

class SamlIdpsE2eTest : public SamlE2eTest {
 protected:
  // An organization whose provider `adjust` configured; only the group
  // mapping named by `admins` gives ADMIN.
  static v1::Organization Org(
      const TestIdp& idp, const std::string& admins,
      const std::function<void(v1::SamlConfig*)>& adjust) {
    v1::Organization org = CreateOrg();
    v1::ConfigureSamlProviderRequest req = Config(org.id(), idp);
    req.mutable_saml()->clear_group_role_mappings();
    v1::GroupRoleMapping* m = req.mutable_saml()->add_group_role_mappings();
    m->set_group(admins);
    m->set_primary_role("ADMIN");
    adjust(req.mutable_saml());
    v1::IdentityProvider out;
    grpc::Status s =
        orgs_->ConfigureSamlProvider(Ctx(AdminToken()).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return org;
  }
  static std::string ExternalId(const v1::User& user) {
    return Sql("SELECT external_id FROM users WHERE id = '" + user.id() + "'");
  }
};

// Entra ID: the Assertion signed only, SAML as the default namespace,
// claim URIs, groups as object IDs, NameID the UPN as emailAddress.
TEST_F(SamlIdpsE2eTest, EntraIdDefaultsLogIn) {
  TestIdp idp = MakeIdp("entra");
  const std::string group = "5f0c2c54-0c1e-4c1a-9a51-5e2b9e6c3f10";
  v1::Organization org = Org(idp, group, [](v1::SamlConfig* s) {
    s->set_name_id_format(kEmail);
    s->set_username_attribute(std::string(kClaims) + "name");
    s->set_email_attribute(std::string(kClaims) + "emailaddress");
    s->set_display_name_attribute(
        "http://schemas.microsoft.com/identity/claims/displayname");
    s->set_groups_attribute(
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups");
  });
  v1::AuthenticateResponse login;
  grpc::Status s = Complete(
      IdpAnswer(
          org.name(), idp, "adele@contoso.example",
          {std::string(kClaims) + "name=adele@contoso.example",
           std::string(kClaims) + "emailaddress=adele.vance@contoso.example",
           "http://schemas.microsoft.com/identity/claims/displayname=Adele "
           "Vance",
           "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups=" +
               group,
           "http://schemas.microsoft.com/identity/claims/objectidentifier="
           "2f9a0a8c-4d55-4b6f-8a43-0a3a1f2c9d11"},
          "",
          {"IDP_SIGN=assertion", "IDP_STYLE=default-ns",
           std::string("IDP_FORMAT=") + kEmail,
           std::string("IDP_EXPECT_FORMAT=") + kEmail}),
      &login);
  ASSERT_TRUE(s.ok()) << s.error_message() << " / " << LastRefusal();
  EXPECT_EQ(login.user().username(), "adele@contoso.example");
  EXPECT_EQ(login.user().email(), "adele.vance@contoso.example");
  EXPECT_EQ(login.user().display_name(), "Adele Vance");
  EXPECT_EQ(login.user().primary_role(), "ADMIN") << "group by object ID";
}

// AD FS: the Assertion signed only, a transient NameID; the account is
// linked by the UPN claim, the one stable value.
TEST_F(SamlIdpsE2eTest, AdfsTransientNameIdsLinkByTheUsernameAttribute) {
  TestIdp idp = MakeIdp("adfs");
  v1::Organization org =
      Org(idp, "CORP\\Identity Admins", [](v1::SamlConfig* s) {
        s->set_name_id_format(kTransient);
        s->set_username_attribute(std::string(kClaims) + "upn");
        s->set_email_attribute(std::string(kClaims) + "emailaddress");
        s->set_display_name_attribute("");
        s->set_groups_attribute("http://schemas.xmlsoap.org/claims/Group");
      });
  const std::vector<std::string> attrs = {
      std::string(kClaims) + "upn=amir@corp.example",
      std::string(kClaims) + "emailaddress=amir@corp.example",
      "http://schemas.xmlsoap.org/claims/Group=CORP\\Identity Admins",
      "http://schemas.xmlsoap.org/claims/Group=CORP\\Domain Users"};
  const std::vector<std::string> env = {
      "IDP_STYLE=default-ns", std::string("IDP_FORMAT=") + kTransient,
      std::string("IDP_EXPECT_FORMAT=") + kTransient};
  v1::AuthenticateResponse first, second;
  grpc::Status s =
      Complete(IdpAnswer(org.name(), idp, "_t1", attrs, "", env), &first);
  ASSERT_TRUE(s.ok()) << s.error_message() << " / " << LastRefusal();
  s = Complete(IdpAnswer(org.name(), idp, "_t2", attrs, "", env), &second);
  ASSERT_TRUE(s.ok()) << s.error_message() << " / " << LastRefusal();
  EXPECT_EQ(second.user().id(), first.user().id())
      << "a new transient NameID, same user";
  EXPECT_EQ(ExternalId(first.user()), "amir@corp.example");
  EXPECT_EQ(first.user().primary_role(), "ADMIN");
}

// Okta: prefixed SAML, the Assertion signed, plain attribute names, and no
// NameID preference (no NameIDPolicy in the request).
TEST_F(SamlIdpsE2eTest, OktaPlainAttributeNamesLogIn) {
  TestIdp idp = MakeIdp("okta");
  v1::Organization org = Org(idp, "Everyone-Admins", [](v1::SamlConfig* s) {
    s->set_name_id_format(kUnspecified);
    s->set_username_attribute("email");
    s->set_email_attribute("email");
    s->set_display_name_attribute("displayName");
    s->set_groups_attribute("groups");
  });
  v1::AuthenticateResponse login;
  grpc::Status s = Complete(
      IdpAnswer(
          org.name(), idp, "00u1abcd2EFGH3ijk4x7",
          {"email=oscar@okta.example", "displayName=Oscar O",
           "groups=Everyone-Admins", "groups=Everyone"},
          "",
          {std::string("IDP_FORMAT=") + kUnspecified, "IDP_EXPECT_FORMAT="}),
      &login);
  ASSERT_TRUE(s.ok()) << s.error_message() << " / " << LastRefusal();
  EXPECT_EQ(login.user().username(), "oscar@okta.example");
  EXPECT_EQ(ExternalId(login.user()), "00u1abcd2EFGH3ijk4x7");
  EXPECT_EQ(login.user().primary_role(), "ADMIN");
}

// Google Workspace: the Response signed, the NameID the primary email.
TEST_F(SamlIdpsE2eTest, GoogleWorkspaceSignedResponseLogsIn) {
  TestIdp idp = MakeIdp("google");
  v1::Organization org =
      Org(idp, "admins@google.example", [](v1::SamlConfig* s) {
        s->set_name_id_format(kEmail);
        s->set_username_attribute("");
        s->set_email_attribute("email");
        s->set_display_name_attribute("");
        s->set_groups_attribute("groups");
      });
  v1::AuthenticateResponse login;
  grpc::Status s = Complete(
      IdpAnswer(org.name(), idp, "gina@google.example",
                {"email=gina@google.example", "groups=admins@google.example"},
                "", {"IDP_SIGN=response", std::string("IDP_FORMAT=") + kEmail}),
      &login);
  ASSERT_TRUE(s.ok()) << s.error_message() << " / " << LastRefusal();
  EXPECT_EQ(login.user().username(), "gina@google.example");
  EXPECT_EQ(login.user().primary_role(), "ADMIN");
}

// eduPerson / X.500 attributes are named urn:oid:...; their FriendlyName
// matches only when the provider asks for it.
TEST_F(SamlIdpsE2eTest, UrnOidAttributesMatchOnFriendlyNameOnlyWhenAsked) {
  TestIdp idp = MakeIdp("oid");
  const std::vector<std::string> attrs = {
      "urn:oid:0.9.2342.19200300.100.1.3|mail=olga@uni.example",
      "urn:oid:1.3.6.1.4.1.5923.1.5.1.1|isMemberOf=staff-admins"};
  for (bool friendly : {false, true}) {
    v1::Organization org = Org(idp, "staff-admins", [&](v1::SamlConfig* s) {
      s->set_username_attribute("");
      s->set_email_attribute("mail");
      s->set_display_name_attribute("");
      s->set_groups_attribute("isMemberOf");
      s->set_match_friendly_names(friendly);
    });
    v1::AuthenticateResponse login;
    // Usernames (the NameID here) are unique across organizations.
    grpc::Status s = Complete(
        IdpAnswer(org.name(), idp, friendly ? "olga-f" : "olga-n", attrs),
        &login);
    ASSERT_TRUE(s.ok()) << s.error_message() << " / " << LastRefusal();
    EXPECT_EQ(login.user().email(), friendly ? "olga@uni.example" : "")
        << friendly;
    EXPECT_EQ(login.user().primary_role(), friendly ? "ADMIN" : "BASIC_USER")
        << friendly;
  }
  // By Name, no setting needed.
  v1::Organization org = Org(idp, "staff-admins", [](v1::SamlConfig* s) {
    s->set_username_attribute("");
    s->set_email_attribute("urn:oid:0.9.2342.19200300.100.1.3");
    s->set_groups_attribute("urn:oid:1.3.6.1.4.1.5923.1.5.1.1");
  });
  v1::AuthenticateResponse login;
  ASSERT_TRUE(
      Complete(IdpAnswer(org.name(), idp, "olga-by-name", attrs), &login).ok())
      << LastRefusal();
  EXPECT_EQ(login.user().primary_role(), "ADMIN");
}

TEST_F(SamlIdpsE2eTest, NameIdFormatsAreCheckedWhenConfiguredAndAtLogin) {
  TestIdp idp = MakeIdp("formats");
  v1::Organization org = CreateOrg();
  for (const auto& [format, username, field] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"urn:example:whatever", "user.email", "saml.name_id_format"},
           {kTransient, "", "saml.username_attribute"}}) {
    v1::ConfigureSamlProviderRequest req = Config(org.id(), idp);
    req.mutable_saml()->set_name_id_format(format);
    req.mutable_saml()->set_username_attribute(username);
    v1::IdentityProvider out;
    grpc::Status s =
        orgs_->ConfigureSamlProvider(Ctx(AdminToken()).get(), req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << format;
    EXPECT_TRUE(absl::StartsWith(s.error_message(), field))
        << s.error_message();
  }
  // A provider configured for persistent NameIDs that receives a transient
  // one: it would make a new account at every login.
  v1::Organization persistent = SamlOrg(idp);
  grpc::Status s =
      Complete(IdpAnswer(persistent.name(), idp, "_t9",
                         {"user.email=tess@formats.example.com"}, "",
                         {std::string("IDP_FORMAT=") + kTransient,
                          std::string("IDP_EXPECT_FORMAT=") + kPersistent}));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(LastRefusal(), "transient NameID cannot link"))
      << LastRefusal();
}

}  // namespace
}  // namespace identity::testing
