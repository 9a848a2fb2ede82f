// Trusted IP ranges for API keys behind a load balancer: the client address
// comes from x-forwarded-for only when the direct peer is a trusted proxy,
// and an IPv4 client seen in its IPv6-mapped form meets the IPv4 ranges.
#include "tests/e2e/e2e_fixture.h"
#include "tests/support/secret_watch.h"

namespace identity::testing {
namespace {

std::string NewKey(const std::string& owner_token) {
  v1::CreateApiKeyRequest req;
  req.set_name("gateway key");
  v1::CreateApiKeyResponse out;
  auto stub = v1::ApiKeyService::NewStub(E2eTest::server().NewChannel());
  grpc::Status s = stub->CreateApiKey(Ctx(owner_token).get(), req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  RememberSecret(out.api_key());
  return out.api_key();
}

void SetRanges(const std::string& org_id,
               const std::vector<std::string>& ranges) {
  v1::UpdateOrganizationRequest req;
  req.set_id(org_id);
  for (const std::string& r : ranges) {
    req.mutable_trusted_ip_ranges()->add_values(r);
  }
  v1::Organization out;
  grpc::Status s = E2eTest::orgs_->UpdateOrganization(
      Ctx(E2eTest::AdminToken()).get(), req, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
}

// GetCurrentUser with the key as bearer credential, as if forwarded by a
// proxy that wrote `forwarded_for` ("" for no header).
grpc::Status CallWithKey(const std::string& key,
                         const std::string& forwarded_for) {
  std::unique_ptr<grpc::ClientContext> ctx = Ctx(key);
  if (!forwarded_for.empty())
    ctx->AddMetadata("x-forwarded-for", forwarded_for);
  v1::User me;
  return E2eTest::users_->GetCurrentUser(ctx.get(), {}, &me);
}

// The default: no proxy is trusted, so the header is the caller's own words.
using ClientAddressE2eTest = E2eTest;

TEST_F(ClientAddressE2eTest, ForgedForwardedForDoesNotPassTheTrustedRanges) {
  v1::Organization org = CreateOrg();
  v1::User owner = CreateUser(org.id(), "BASIC_USER");
  const std::string key = NewKey(Login(owner.username(), kPassword));
  SetRanges(org.id(), {"10.0.0.0/8"});
  grpc::Status forged = CallWithKey(key, "10.0.0.5");
  EXPECT_EQ(forged.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(forged.error_message().find("127.0.0.1"), std::string::npos)
      << forged.error_message();
}

TEST_F(ClientAddressE2eTest, MappedIpv4ClientIpMeetsTheIpv4Ranges) {
  v1::Organization org = CreateOrg();
  v1::User owner = CreateUser(org.id(), "BASIC_USER");
  const std::string key = NewKey(Login(owner.username(), kPassword));
  SetRanges(org.id(), {"10.0.0.0/8"});
  auto validate = [&](const std::string& ip) {
    v1::ValidateApiKeyRequest req;
    req.set_api_key(key);
    req.set_client_ip(ip);
    v1::ValidateApiKeyResponse resp;
    return auth_->ValidateApiKey(Ctx().get(), req, &resp);
  };
  grpc::Status mapped = validate("::ffff:10.1.2.3");
  EXPECT_TRUE(mapped.ok()) << mapped.error_message();
  EXPECT_EQ(validate("::ffff:192.0.2.1").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

// A second identityd on the suite's database, listening on [::1]: the
// peer is then "ipv6:%5B::1%5D:<port>" (gRPC 1.51 writes it as a URI).
TEST_F(ClientAddressE2eTest, Ipv6PeerIsMatchedAgainstTheRanges) {
  IdentitydServer::Options options = server().options();
  options.listen_host = "[::1]";
  std::unique_ptr<IdentitydServer> v6 = IdentitydServer::Start(options);
  ASSERT_NE(v6, nullptr);
  v1::Organization org = CreateOrg();
  v1::User owner = CreateUser(org.id(), "BASIC_USER");
  const std::string key = NewKey(Login(owner.username(), kPassword));
  auto users = v1::UserService::NewStub(v6->NewChannel());
  auto orgs = v1::OrganizationService::NewStub(v6->NewChannel());
  auto call = [&] {
    v1::User me;
    return users->GetCurrentUser(Ctx(key).get(), {}, &me);
  };
  // Ranges are changed through the same replica, which drops its cached
  // key at once (another replica's change arrives within a second).
  auto set_ranges = [&](const std::string& range) {
    v1::UpdateOrganizationRequest req;
    req.set_id(org.id());
    req.mutable_trusted_ip_ranges()->add_values(range);
    v1::Organization out;
    ASSERT_TRUE(
        orgs->UpdateOrganization(Ctx(AdminToken()).get(), req, &out).ok());
  };
  set_ranges("::1/128");
  grpc::Status inside = call();
  EXPECT_TRUE(inside.ok()) << inside.error_message();
  set_ranges("10.0.0.0/8");
  grpc::Status outside = call();
  EXPECT_EQ(outside.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << outside.error_message();
  EXPECT_NE(outside.error_message().find("client IP ::1 "), std::string::npos)
      << outside.error_message();
}

// This suite's server trusts 127.0.0.1, the test's own address, as its
// load balancer.
class TrustedProxyE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    ExtraEnv() = {{"IDENTITY_TRUSTED_PROXIES", "127.0.0.1/32, 192.0.2.0/24"}};
    E2eTest::SetUpTestSuite();
  }
};

// Before: every call through the proxy came from the proxy's own address,
// so an organization trusting its internal range let the whole internet in.
TEST_F(TrustedProxyE2eTest, ApiKeyThroughTheProxyIsCheckedAgainstTheClient) {
  v1::Organization org = CreateOrg();
  v1::User owner = CreateUser(org.id(), "BASIC_USER");
  const std::string key = NewKey(Login(owner.username(), kPassword));
  SetRanges(org.id(), {"127.0.0.0/8", "203.0.113.0/24"});

  grpc::Status outside = CallWithKey(key, "198.51.100.7");
  EXPECT_EQ(outside.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(outside.error_message().find("198.51.100.7"), std::string::npos)
      << outside.error_message();
  EXPECT_TRUE(CallWithKey(key, "203.0.113.9").ok());
  EXPECT_TRUE(CallWithKey(key, "203.0.113.9, 192.0.2.20").ok())
      << "a second trusted proxy in the chain is skipped";
  EXPECT_TRUE(CallWithKey(key, "").ok())
      << "no header: the proxy is the caller";
}

TEST_F(TrustedProxyE2eTest, ClientCannotPrependATrustedAddress) {
  v1::Organization org = CreateOrg();
  v1::User owner = CreateUser(org.id(), "BASIC_USER");
  const std::string key = NewKey(Login(owner.username(), kPassword));
  SetRanges(org.id(), {"203.0.113.0/24"});
  EXPECT_EQ(CallWithKey(key, "203.0.113.9, 198.51.100.7").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CallWithKey(key, "unknown").error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "an unreadable entry is an unknown client, not the proxy";
}

TEST_F(TrustedProxyE2eTest, AuditShowsTheClientAndTheProxy) {
  v1::Organization org = CreateOrg();
  v1::User owner = CreateUser(org.id(), "BASIC_USER");
  v1::AuthenticateRequest req;
  req.set_username(owner.username());
  req.set_password(kPassword);
  std::unique_ptr<grpc::ClientContext> ctx = Ctx();
  ctx->AddMetadata("x-forwarded-for", "203.0.113.44");
  v1::AuthenticateResponse resp;
  ASSERT_TRUE(auth_->Authenticate(ctx.get(), req, &resp).ok());
  RememberSecret(resp.session_token());
  const std::string audited =
      Sql("SELECT peer FROM audit_events WHERE action = 'session.create' AND "
          "actor_id = '" +
          owner.id() + "' ORDER BY id DESC LIMIT 1");
  EXPECT_EQ(audited.rfind("203.0.113.44 via ipv4:127.0.0.1:", 0), 0u)
      << audited;
  const std::string session =
      Sql("SELECT peer FROM sessions WHERE user_id = '" + owner.id() + "'");
  EXPECT_EQ(session, audited);
}

}  // namespace
}  // namespace identity::testing
