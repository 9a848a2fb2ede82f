// Transport security with throwaway certificates: TLS and mutual TLS on the
// gRPC port (with certificate rotation), the plaintext probe port, and
// verify-full TLS to PostgreSQL.
#include <grpcpp/create_channel.h>

#include <thread>

#include "absl/strings/match.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/support/certificates.h"

namespace identity::testing {
namespace {

class TlsE2eTest : public E2eTest {
 protected:
  static void SetUpTestSuite() {
    E2eTest::SetUpTestSuite();
    certs_ = MakeTempDir("identity-tls-");
    other_ = MakeTempDir("identity-tls-");
    ASSERT_TRUE(MakeCertificates(certs_, "gateway"));
    ASSERT_TRUE(MakeCertificates(other_, "intruder")) << "a second, unrelated CA";
  }

  static std::shared_ptr<grpc::ChannelCredentials> Tls(
      const std::string& ca_dir, const std::string& client_dir = "") {
    grpc::SslCredentialsOptions o;
    o.pem_root_certs = ReadFile(ca_dir + "/ca.pem");
    if (!client_dir.empty()) {
      o.pem_private_key = ReadFile(client_dir + "/client.key");
      o.pem_cert_chain = ReadFile(client_dir + "/client.pem");
    }
    return grpc::SslCredentials(o);
  }
  // Options for a server on the suite's database with these settings.
  static IdentitydServer::Options With(std::map<std::string, std::string> env,
                                       std::shared_ptr<grpc::ChannelCredentials> creds) {
    IdentitydServer::Options o = server().options();
    for (auto& [k, v] : env) o.env[k] = v;
    o.credentials = std::move(creds);
    return o;
  }
  static bool Healthy(const std::string& address,
                      std::shared_ptr<grpc::ChannelCredentials> creds) {
    auto stub = grpc::health::v1::Health::NewStub(grpc::CreateChannel(address, creds));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    grpc::health::v1::HealthCheckResponse resp;
    return stub->Check(&ctx, {}, &resp).ok() &&
           resp.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  }

  static inline std::string certs_, other_;
};

TEST_F(TlsE2eTest, TlsServesOnlyClientsThatTrustItsCaAndRotatesWithoutRestart) {
  const std::string live = MakeTempDir("identity-tls-");
  RunCommand({"cp", certs_ + "/server.pem", certs_ + "/server.key", live});
  const int probe_port = FreePort();
  auto s = IdentitydServer::Start(With(
      {{"IDENTITY_TLS_CERT_FILE", live + "/server.pem"},
       {"IDENTITY_TLS_KEY_FILE", live + "/server.key"},
       {"IDENTITY_TLS_RELOAD_SECONDS", "1"},
       {"IDENTITY_HEALTH_LISTEN_ADDRESS", "127.0.0.1:" + std::to_string(probe_port)}},
      Tls(certs_)));
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(Healthy(s->address(), Tls(certs_)));
  EXPECT_FALSE(Healthy(s->address(), grpc::InsecureChannelCredentials()))
      << "no plaintext on the TLS port";
  EXPECT_FALSE(Healthy(s->address(), Tls(other_))) << "an unknown CA is refused";
  EXPECT_TRUE(Healthy("127.0.0.1:" + std::to_string(probe_port),
                      grpc::InsecureChannelCredentials()))
      << "the probe port answers kubelet in plaintext";
  EXPECT_TRUE(absl::StrContains(s->log(), "\"tls\":\"on\""));

  // A renewed certificate (here: from the other CA) is served without a restart.
  RunCommand({"cp", other_ + "/server.pem", other_ + "/server.key", live});
  bool rotated = false;
  for (int i = 0; i < 50 && !rotated; ++i) {
    rotated = Healthy(s->address(), Tls(other_));
    if (!rotated) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(rotated);
}

TEST_F(TlsE2eTest, MutualTlsAdmitsOnlyCallersWithACertificateItsCaSigned) {
  auto s = IdentitydServer::Start(With(
      {{"IDENTITY_TLS_CERT_FILE", certs_ + "/server.pem"},
       {"IDENTITY_TLS_KEY_FILE", certs_ + "/server.key"},
       {"IDENTITY_TLS_CLIENT_CA_FILE", certs_ + "/ca.pem"}},
      Tls(certs_, certs_)));
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(Healthy(s->address(), Tls(certs_, certs_)));
  EXPECT_FALSE(Healthy(s->address(), Tls(certs_))) << "no client certificate";
  // A client certificate from another CA, for a server it does trust.
  grpc::SslCredentialsOptions o;
  o.pem_root_certs = ReadFile(certs_ + "/ca.pem");
  o.pem_private_key = ReadFile(other_ + "/client.key");
  o.pem_cert_chain = ReadFile(other_ + "/client.pem");
  EXPECT_FALSE(Healthy(s->address(), grpc::SslCredentials(o)));
  EXPECT_TRUE(absl::StrContains(s->log(), "\"tls\":\"mutual\""));
  v1::ValidateTokenRequest req;
  req.set_token("not-a-token");
  v1::ValidateTokenResponse resp;
  (void)v1::AuthService::NewStub(s->NewChannel())->ValidateToken(Ctx().get(), req, &resp);
  EXPECT_TRUE(absl::StrContains(s->log(), "\"client_cert\":\"gateway\""))
      << "the access log names the calling service";
}

TEST_F(TlsE2eTest, BadTlsSettingsStopTheStart) {
  for (const auto& [var, value] : std::vector<std::pair<std::string, std::string>>{
           {"IDENTITY_TLS_CERT_FILE", certs_ + "/server.pem"},  // key missing
           {"IDENTITY_TLS_CLIENT_CA_FILE", certs_ + "/ca.pem"},  // no server cert
           {"IDENTITY_TLS_KEY_FILE", "/nonexistent/key.pem"}}) {
    IdentitydServer::Options o = With({{var, value}}, nullptr);
    o.env["IDENTITY_DB_STARTUP_TIMEOUT_SECONDS"] = "1";
    std::string dir = MakeTempDir("badtls-");
    ChildProcess p;
    std::map<std::string, std::string> env = {
        {"IDENTITY_DATABASE_URL", o.database_url},
        {"IDENTITY_LISTEN_ADDRESS", "127.0.0.1:" + std::to_string(FreePort())},
        {"IDENTITY_METRICS_ADDRESS",
         "127.0.0.1:" + std::to_string(FreePort())}};
    for (const auto& [k, v] : o.env) env[k] = v;
    ASSERT_TRUE(p.Start({IdentitydPath()}, env, dir + "/log"));
    EXPECT_EQ(p.Wait(), 2) << var;
    EXPECT_TRUE(absl::StrContains(ReadFile(dir + "/log"), "IDENTITY_TLS_")) << var;
  }
}

TEST_F(TlsE2eTest, TheDatabaseConnectionVerifiesTheServerCertificate) {
  const std::string verified = server().options().database_url +
                               "?sslmode=verify-full&sslrootcert=" +
                               SharedPostgres().ca_file();
  IdentitydServer::Options o = server().options();
  o.database_url = verified;
  auto s = IdentitydServer::Start(o);
  ASSERT_NE(s, nullptr) << "verify-full against the database's CA";
  EXPECT_EQ(Sql("SELECT bool_and(ssl) FROM pg_stat_ssl JOIN pg_stat_activity "
                "USING (pid) WHERE datname = current_database() AND "
                "application_name LIKE 'identityd%'"),
            "t");
  s.reset();

  o.database_url = server().options().database_url +
                   "?sslmode=verify-full&sslrootcert=" + other_ + "/ca.pem";
  o.env["IDENTITY_DB_STARTUP_TIMEOUT_SECONDS"] = "1";
  EXPECT_EQ(IdentitydServer::Start(o), nullptr)
      << "a database certificate from an unknown CA is refused";
}

}  // namespace
}  // namespace identity::testing
