// Configuring and testing an organization's LDAP provider against a real
// slapd.
#include <functional>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "tests/e2e/providers/ldap/ldap_fixture.h"

namespace identity::testing {
namespace {

class LdapProviderE2eTest : public LdapE2eTest {
 protected:
  static v1::ConfigureLdapProviderRequest Config(const std::string& org) {
    return ProviderConfig(org,
                          "(&(objectClass=inetOrgPerson)(uid={username}))");
  }

  // A new organization whose provider is the test directory.
  static v1::Organization ConfiguredOrg() {
    v1::Organization org = CreateOrg();
    v1::IdentityProvider provider;
    grpc::Status s = orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(),
                                                  Config(org.id()), &provider);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return org;
  }

  static std::vector<v1::TestStep> Test(const std::string& org,
                                        const std::string& user = "",
                                        const std::string& password = "") {
    v1::TestIdentityProviderRequest req;
    req.set_organization_id(org);
    req.set_username(user);
    req.set_password(password);
    v1::TestIdentityProviderResponse resp;
    grpc::Status s =
        orgs_->TestIdentityProvider(Ctx(AdminToken()).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.steps().begin(), resp.steps().end()};
  }
};

TEST_F(LdapProviderE2eTest, ConfiguredProviderIsReadBackWithoutItsSecret) {
  v1::Organization org = ConfiguredOrg();
  v1::IdentityProvider provider;
  v1::GetIdentityProviderRequest get;
  get.set_organization_id(org.id());
  ASSERT_TRUE(
      orgs_->GetIdentityProvider(Ctx(AdminToken()).get(), get, &provider).ok());
  EXPECT_EQ(provider.type(), "ldap");
  EXPECT_TRUE(provider.has_bind_password());
  EXPECT_TRUE(provider.ldap().bind_password().empty());
  EXPECT_EQ(provider.ldap().username_attribute(), "uid") << "the default";
  EXPECT_EQ(provider.ldap().group_role_mappings(0).add_on_roles(0),
            "CONTROL_CENTER");
  EXPECT_EQ(provider.DebugString().find(SlapdServer::kReaderPassword),
            std::string::npos);
  EXPECT_EQ(Sql("SELECT position(convert_to('" +
                std::string(SlapdServer::kReaderPassword) +
                "', 'UTF8') in decode(document->>'bind_password_box', "
                "'base64')) FROM identity_provider_settings "
                "WHERE type = 'ldap' AND organization_id = '" +
                org.id() + "'"),
            "0")
      << "stored sealed";
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE action = "
                "'identity_provider.configure' AND details::text LIKE '%" +
                std::string(SlapdServer::kReaderPassword) + "%'"),
            "0");
}

// ConfigureIdentityProvider takes any provider type's settings: with `ldap`
// set it is ConfigureLdapProvider; with none set it says what to send.
TEST_F(LdapProviderE2eTest, ConfigureIdentityProviderIsTheTypedCallForAnyType) {
  v1::Organization org = CreateOrg();
  v1::ConfigureIdentityProviderRequest req;
  req.set_organization_id(org.id());
  *req.mutable_ldap() = Config(org.id()).ldap();
  v1::IdentityProvider configured;
  grpc::Status s = orgs_->ConfigureIdentityProvider(Ctx(AdminToken()).get(),
                                                    req, &configured);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(configured.type(), "ldap");
  EXPECT_EQ(configured.organization_id(), org.id());
  EXPECT_TRUE(configured.has_bind_password());
  EXPECT_TRUE(configured.ldap().bind_password().empty());

  v1::GetIdentityProviderRequest get;
  get.set_organization_id(org.id());
  v1::IdentityProvider read;
  ASSERT_TRUE(
      orgs_->GetIdentityProvider(Ctx(AdminToken()).get(), get, &read).ok());
  EXPECT_EQ(read.ldap().DebugString(), configured.ldap().DebugString());
  EXPECT_EQ(read.version(), configured.version());

  // A NUL inside the chosen type's settings is refused by name, before the
  // type is asked.
  v1::ConfigureIdentityProviderRequest nul = req;
  nul.mutable_ldap()->set_user_filter(std::string("(uid={username})\0x", 18));
  s = orgs_->ConfigureIdentityProvider(Ctx(AdminToken()).get(), nul,
                                       &configured);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "ldap.user_filter: "))
      << s.error_message();

  v1::ConfigureIdentityProviderRequest empty;
  empty.set_organization_id(org.id());
  s = orgs_->ConfigureIdentityProvider(Ctx(AdminToken()).get(), empty,
                                       &configured);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "settings: "))
      << s.error_message();
  // An ADMIN of another organization is refused by the organization, and
  // the refusal names the call made.
  v1::Organization other = CreateOrg();
  const std::string stranger =
      Login(CreateUser(other.id(), "ADMIN").username(), kPassword);
  s = orgs_->ConfigureIdentityProvider(Ctx(stranger).get(), req, &configured);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(absl::StrContains(s.error_message(),
                                "denied for ConfigureIdentityProvider"))
      << s.error_message();
  v1::ConfigureLdapProviderRequest typed = Config(org.id());
  s = orgs_->ConfigureLdapProvider(Ctx(stranger).get(), typed, &configured);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(
      absl::StrContains(s.error_message(), "denied for ConfigureLdapProvider"))
      << s.error_message();
  // The same permission as the typed call: a basic user may not.
  const std::string basic =
      Login(CreateUser(org.id(), "BASIC_USER").username(), kPassword);
  s = orgs_->ConfigureIdentityProvider(Ctx(basic).get(), req, &configured);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

// After a rollback, the settings a newer version wrote (a schema this one
// does not know) stay as they are: configuring is refused, not a silent
// rewrite that would drop what this version cannot read.
TEST_F(LdapProviderE2eTest, SettingsANewerVersionWroteAreNotOverwritten) {
  v1::Organization org = ConfiguredOrg();
  v1::IdentityProvider provider;
  const std::string row =
      "FROM identity_provider_settings WHERE type = "
      "'ldap' AND organization_id = '" +
      org.id() + "'";
  Sql("UPDATE identity_provider_settings SET schema_version = 2, document = "
      "document || '{\"from_the_future\": true}' WHERE type = 'ldap' AND "
      "organization_id = '" +
      org.id() + "' RETURNING 1");
  ASSERT_EQ(Sql("SELECT schema_version " + row), "2");

  grpc::Status s = orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(),
                                                Config(org.id()), &provider);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << s.error_message();
  EXPECT_NE(s.error_message().find("newer server"), std::string::npos)
      << s.error_message();
  EXPECT_EQ(Sql("SELECT schema_version " + row), "2");
  EXPECT_EQ(Sql("SELECT document->>'from_the_future' " + row), "true");
}

// A login is an anonymous call: when this server cannot read the
// organization's stored settings (a newer version wrote them, mid-rollback),
// the caller is refused as for any directory error and learns nothing of the
// settings, their schema or why; the administrator is told what to do.
TEST_F(LdapProviderE2eTest,
       ALoginThatMeetsUnreadableSettingsLearnsNothingOfThem) {
  v1::Organization org = ConfiguredOrg();
  v1::IdentityProvider provider;
  // A username is known in one organization once it logged in: this is the
  // only test of the suite that logs alice in, so she is this org's.
  ASSERT_TRUE(LdapLogin("alice", "alice-password", org.id()).ok());
  ASSERT_EQ(Sql("SELECT organization_id FROM users WHERE username = 'alice'"),
            org.id());
  Sql("UPDATE identity_provider_settings SET schema_version = 2 WHERE type = "
      "'ldap' AND organization_id = '" +
      org.id() + "' RETURNING 1");

  // The change reaches the cached settings within a second.
  grpc::Status s;
  for (int i = 0; i < 50; ++i) {
    s = LdapLogin("alice", "alice-password", org.id());
    if (!s.ok()) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << s.error_message();
  for (const std::string& said : {s.error_message(), s.error_details()}) {
    for (absl::string_view secret :
         {absl::string_view("schema"), absl::string_view("newer"),
          absl::string_view("version"), absl::string_view("settings"),
          absl::string_view(org.id())}) {
      EXPECT_FALSE(absl::StrContains(said, secret)) << said;
    }
  }
  v1::GetIdentityProviderRequest get;
  get.set_organization_id(org.id());
  s = orgs_->GetIdentityProvider(Ctx(AdminToken()).get(), get, &provider);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "newer server"))
      << s.error_message();
}

TEST_F(LdapProviderE2eTest, TestReportsEachStepForTheAdministrator) {
  v1::Organization org = ConfiguredOrg();
  v1::IdentityProvider provider;
  std::vector<v1::TestStep> steps = Test(org.id(), "alice", "alice-password");
  ASSERT_EQ(steps.size(), 4u);
  for (const auto& s : steps)
    EXPECT_TRUE(s.ok()) << s.name() << ": " << s.message();
  EXPECT_EQ(steps[1].name(), "detect_server");
  EXPECT_EQ(steps[1].message(), "ldap; stable id attribute entryUUID");
  EXPECT_NE(steps[2].message().find("uid=alice,ou=eng"), std::string::npos);

  steps = Test(org.id(), "alice", "wrong");
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_FALSE(steps[3].ok());
  EXPECT_EQ(steps[3].message(), "wrong password");
  EXPECT_EQ(Test(org.id(), "nobody", "x").back().message(), "user not found");
  EXPECT_EQ(Test(org.id(), "twin").back().message(), "several entries matched");
  EXPECT_EQ(Test(org.id()).size(), 2u)
      << "without a username only the bind and the detection run";

  // An update without a password keeps the stored one.
  v1::ConfigureLdapProviderRequest update = Config(org.id());
  update.mutable_ldap()->clear_bind_password();
  ASSERT_TRUE(
      orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), update, &provider)
          .ok());
  EXPECT_EQ(provider.version(), 2);
  EXPECT_TRUE(Test(org.id())[0].ok());

  update.mutable_ldap()->set_bind_password("not-the-reader-secret");
  ASSERT_TRUE(
      orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), update, &provider)
          .ok());
  steps = Test(org.id());
  EXPECT_FALSE(steps[0].ok());
  EXPECT_NE(steps[0].message().find("service account"), std::string::npos);
  EXPECT_EQ(steps[0].message().find("not-the-reader"), std::string::npos);
}

// An administrator who may configure the provider must not be able to
// point it at a server of their own and receive the service account's
// stored password there.
TEST_F(LdapProviderE2eTest, TheStoredBindPasswordIsNeverSentToANewDestination) {
  v1::Organization org = ConfiguredOrg();
  v1::IdentityProvider provider;
  const std::vector<
      std::pair<std::string, std::function<void(v1::LdapConfig*)>>>
      changes = {
          {"urls",
           [](v1::LdapConfig* l) {
             l->clear_urls();
             l->add_urls("ldap://127.0.0.1:1/");
           }},
          {"bind_dn",
           [](v1::LdapConfig* l) {
             l->set_bind_dn("cn=someone,dc=example,dc=com");
           }},
          {"start_tls", [](v1::LdapConfig* l) { l->set_start_tls(true); }},
          {"ca_certificate_pem",
           [&](v1::LdapConfig* l) {
             l->set_ca_certificate_pem(slapd_->ca_pem());
           }},
      };
  for (const auto& [field, change] : changes) {
    v1::ConfigureLdapProviderRequest update = Config(org.id());
    update.mutable_ldap()->clear_bind_password();
    change(update.mutable_ldap());
    grpc::Status s = orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(),
                                                  update, &provider);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << field;
    EXPECT_NE(s.error_message().find("bind_password"), std::string::npos)
        << s.error_message();
    EXPECT_NE(s.error_message().find(field), std::string::npos)
        << s.error_message();
    update.mutable_ldap()->set_bind_password(SlapdServer::kReaderPassword);
    EXPECT_TRUE(
        orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), update, &provider)
            .ok())
        << field << ": given again, the change is taken";
    ASSERT_TRUE(orgs_
                    ->ConfigureLdapProvider(Ctx(AdminToken()).get(),
                                            Config(org.id()), &provider)
                    .ok());
  }
  EXPECT_EQ(Sql("SELECT document->'urls'->>0 FROM identity_provider_settings "
                "WHERE type = 'ldap' AND organization_id = '" +
                org.id() + "'"),
            slapd_->url());
}

TEST_F(LdapProviderE2eTest, TlsVerifiesTheServerAgainstTheConfiguredCa) {
  v1::Organization org = CreateOrg();
  v1::ConfigureLdapProviderRequest req = Config(org.id());
  v1::IdentityProvider provider;
  for (bool start_tls : {false, true}) {
    req.mutable_ldap()->clear_urls();
    req.mutable_ldap()->add_urls(start_tls ? slapd_->url()
                                           : slapd_->ldaps_url());
    req.mutable_ldap()->set_start_tls(start_tls);
    req.mutable_ldap()->set_ca_certificate_pem(slapd_->ca_pem());
    ASSERT_TRUE(
        orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), req, &provider)
            .ok());
    std::vector<v1::TestStep> steps = Test(org.id(), "alice", "alice-password");
    ASSERT_EQ(steps.size(), 4u) << (start_tls ? "StartTLS" : "LDAPS");
    EXPECT_TRUE(steps[3].ok()) << steps[0].message();

    // Without the CA the server's certificate is not trusted.
    req.mutable_ldap()->clear_ca_certificate_pem();
    ASSERT_TRUE(
        orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), req, &provider)
            .ok());
    EXPECT_FALSE(Test(org.id())[0].ok()) << (start_tls ? "StartTLS" : "LDAPS");
  }
}

TEST_F(LdapProviderE2eTest, AnUnreachableDirectoryIsReportedNotFatal) {
  v1::Organization org = ConfiguredOrg();
  v1::IdentityProvider provider;
  ASSERT_TRUE(slapd_->Stop());
  std::vector<v1::TestStep> steps = Test(org.id(), "alice", "alice-password");
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_FALSE(steps[0].ok());
  EXPECT_NE(steps[0].message().find("unavailable"), std::string::npos);
  EXPECT_TRUE(TryLogin(server().options().admin_username,
                       server().options().admin_password)
                  .ok())
      << "the internal fallback admin logs in while the directory is down";
  ASSERT_TRUE(slapd_->Restart());
  EXPECT_TRUE(Test(org.id())[0].ok());
}

TEST_F(LdapProviderE2eTest, BadSettingsAreNamed) {
  v1::Organization org = CreateOrg();
  struct Case {
    std::string field;
    std::function<void(v1::LdapConfig*)> spoil;
  };
  std::vector<Case> cases = {
      {"ldap.urls", [](auto* l) { l->set_urls(0, "http://example.com"); }},
      {"ldap.urls", [](auto* l) { l->clear_urls(); }},
      {"ldap.bind_dn", [](auto* l) { l->clear_bind_dn(); }},
      {"ldap.user_filter", [](auto* l) { l->set_user_filter("(uid=alice)"); }},
      {"ldap.default_role", [](auto* l) { l->set_default_role("NOPE"); }},
      {"ldap.group_role_mappings.add_on_roles",
       [](auto* l) {
         l->mutable_group_role_mappings(0)->add_add_on_roles("ADMIN");
       }},
      {"ldap.pool_size", [](auto* l) { l->set_pool_size(1000); }},
      {"ldap.bind_password", [](auto* l) { l->clear_bind_password(); }},
  };
  for (const Case& c : cases) {
    v1::ConfigureLdapProviderRequest req = Config(org.id());
    c.spoil(req.mutable_ldap());
    v1::IdentityProvider out;
    grpc::Status s =
        orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_EQ(s.error_message().rfind(c.field + ":", 0), 0u)
        << c.field << " -> " << s.error_message();
  }
  EXPECT_EQ(Sql("SELECT count(*) FROM identity_provider_settings WHERE "
                "type = 'ldap' AND organization_id = '" +
                org.id() + "'"),
            "0");
}

}  // namespace
}  // namespace identity::testing
