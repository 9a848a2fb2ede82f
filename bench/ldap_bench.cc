// LDAP logins through identityd next to plain simple binds against the same
// slapd, in one run on one machine (issue 5's benchmark).
//
// Starts a private PostgreSQL, a slapd seeded with kUsers users and an
// identityd (the build's own binary), then measures:
//   - grpc.health.v1.Health/Check: the cost of any RPC on this server;
//   - raw simple binds as the users, one persistent connection per thread;
//   - the directory work of a login by hand (user search, group search,
//     bind), the floor for a search-then-bind login;
//   - a whole login by hand: the RPC, the directory work, the local user
//     read and the session write, with nothing of identityd's in between;
//     and the least any login with a stored session does (a bind with a
//     known DN instead of the search and the groups);
//   - AuthenticateRequest for the same users through identityd (search with
//     the service account, nested groups, bind as the user, refresh of the
//     local user and a new session in PostgreSQL).
#include <ldap.h>

#include <grpcpp/grpcpp.h>

#include <iostream>

#include <pqxx/connection>
#include <pqxx/nontransaction>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/bench_support.h"
#include "common/crypto.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "identity/v1/auth_service.grpc.pb.h"
#include "identity/v1/organization_service.grpc.pb.h"
#include "tests/support/identityd_server.h"
#include "tests/support/ldap_seed.h"
#include "tests/support/postgres_server.h"
#include "tests/support/slapd_server.h"

namespace identity::bench {
namespace {

using testing::SlapdServer;
constexpr int kUsers = 64;

std::string Seed() {
  std::string ldif = testing::kLdapSeed;
  for (int i = 0; i < kUsers; ++i) {
    ldif += absl::StrFormat(
        "\ndn: uid=load%d,ou=people,dc=example,dc=com\nobjectClass: "
        "inetOrgPerson\nuid: load%d\ncn: Load %d\nsn: Load\nmail: "
        "load%d@example.com\nuserPassword: load-password-%d\n",
        i, i, i, i, i);
  }
  return ldif;
}

// Logs in as the bootstrap admin and configures an LDAP provider for a new
// organization; returns the organization id.
std::string ConfigureProvider(const testing::IdentitydServer& server,
                              const SlapdServer& slapd) {
  auto channel = server.NewChannel();
  auto auth = v1::AuthService::NewStub(channel);
  auto orgs = v1::OrganizationService::NewStub(channel);
  v1::AuthenticateRequest login;
  login.set_username(server.options().admin_username);
  login.set_password(server.options().admin_password);
  v1::AuthenticateResponse session;
  if (!auth->Authenticate(Ctx().get(), login, &session).ok()) return "";
  v1::CreateOrganizationRequest create;
  create.set_name("bench");
  v1::Organization org;
  if (!orgs->CreateOrganization(Ctx(session.session_token()).get(), create, &org).ok()) {
    return "";
  }
  v1::ConfigureLdapProviderRequest req;
  req.set_organization_id(org.id());
  v1::LdapConfig* l = req.mutable_ldap();
  l->add_urls(slapd.url());
  l->set_bind_dn(SlapdServer::kReaderDn);
  l->set_bind_password(SlapdServer::kReaderPassword);
  l->set_user_base_dn("ou=people,dc=example,dc=com");
  l->set_user_filter("(uid={username})");
  l->set_email_attribute("mail");
  l->set_display_name_attribute("cn");
  l->set_group_base_dn("ou=groups,dc=example,dc=com");
  l->set_group_member_attribute("member");
  l->set_pool_size(Threads());
  v1::IdentityProvider out;
  if (!orgs->ConfigureLdapProvider(Ctx(session.session_token()).get(), req, &out).ok()) {
    return "";
  }
  return org.id();
}

bool Bind(LDAP* ld, const std::string& dn, const std::string& password) {
  berval cred{static_cast<ber_len_t>(password.size()),
              const_cast<char*>(password.data())};
  return ldap_sasl_bind_s(ld, dn.c_str(), LDAP_SASL_SIMPLE, &cred, nullptr,
                          nullptr, nullptr) == LDAP_SUCCESS;
}

bool Search(LDAP* ld, const char* base, const std::string& filter) {
  LDAPMessage* res = nullptr;
  const int rc = ldap_search_ext_s(ld, base, LDAP_SCOPE_SUBTREE, filter.c_str(),
                                   nullptr, 0, nullptr, nullptr, nullptr, 0, &res);
  ldap_msgfree(res);
  return rc == LDAP_SUCCESS;
}

constexpr char kRawBind[] = "LDAP simple bind (libldap, no identityd)";

// One LDAPv3 connection per client thread; they stay open for the life of
// the process (it ends after the run).
std::shared_ptr<std::vector<LDAP*>> Connections(const SlapdServer& slapd) {
  auto connections = std::make_shared<std::vector<LDAP*>>(Threads(), nullptr);
  for (LDAP*& ld : *connections) {
    ldap_initialize(&ld, slapd.url().c_str());
    const int version = LDAP_VERSION3;
    ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
  }
  return connections;
}

Op RawBinds(const SlapdServer& slapd) {
  auto connections = Connections(slapd);
  auto next = std::make_shared<std::vector<int>>(Threads(), 0);
  return {kRawBind, [connections, next](int t) {
            const int i = ((*next)[t]++ * Threads() + t) % kUsers;
            const std::string dn =
                absl::StrCat("uid=load", i, ",ou=people,dc=example,dc=com");
            return Bind((*connections)[t], dn, absl::StrCat("load-password-", i));
          }};
}

constexpr char kRawLogin[] =
    "search-then-bind by hand (libldap: user search, group search, bind)";

// The directory work of one login done straight with libldap, the least
// a search-then-bind login that refreshes groups on every login can do:
// the searches on a connection bound as the service account, the bind on
// another (identityd's pool does the same). What identityd adds on top of
// it is its own cost plus PostgreSQL's.
Op RawSearchThenBind(const SlapdServer& slapd) {
  auto searchers = Connections(slapd);
  for (LDAP* ld : *searchers) {
    Bind(ld, SlapdServer::kReaderDn, SlapdServer::kReaderPassword);
  }
  auto binders = Connections(slapd);
  auto next = std::make_shared<std::vector<int>>(Threads(), 0);
  return {kRawLogin, [searchers, binders, next](int t) {
            const int i = ((*next)[t]++ * Threads() + t) % kUsers;
            const std::string dn =
                absl::StrCat("uid=load", i, ",ou=people,dc=example,dc=com");
            LDAP* ld = (*searchers)[t];
            return Search(ld, "ou=people,dc=example,dc=com",
                          absl::StrCat("(uid=load", i, ")")) &&
                   Search(ld, "ou=groups,dc=example,dc=com",
                          absl::StrCat("(member=", dn, ")")) &&
                   Bind((*binders)[t], dn, absl::StrCat("load-password-", i));
          }};
}

constexpr char kWholeLogin[] =
    "a whole login by hand (no-op RPC, user search, group search, bind, "
    "user select, session and audit insert)";
constexpr char kBindOnlyLogin[] =
    "the least login by hand (no-op RPC, bind with a known DN, user select, "
    "session and audit insert)";

// Everything an LDAP login with a stored session must do, done by the
// client itself with nothing in between: the RPC, the directory work
// (`directory`: the search-then-bind above, or for the least any login can
// do, a bind with a DN known from an earlier login and no refresh), the
// local user read, and the session with its audit event written in one
// statement. What identityd adds on top of it is its own cost alone.
Op RawWholeLogin(const char* name, const testing::IdentitydServer& server,
                 Op directory, const std::string& database_url) {
  Op rpc = HealthChecks(server);
  auto conns = std::make_shared<std::vector<std::unique_ptr<pqxx::connection>>>();
  for (int t = 0; t < Threads(); ++t) {
    conns->push_back(std::make_unique<pqxx::connection>(database_url));
    conns->back()->prepare(
        "user", "SELECT id, organization_id FROM users WHERE lower(username) = "
                "lower($1)");
    conns->back()->prepare(
        "session",
        "WITH s AS (INSERT INTO sessions (user_id, token_digest, expires_at) "
        "VALUES ($1, $2, now() + interval '1 hour') RETURNING id) "
        "INSERT INTO audit_events (actor_id, action, target_type, target_id, "
        "organization_id, peer) SELECT $1, 'session.create', 'session', "
        "s.id::text, $3, 'bench' FROM s");
  }
  auto next = std::make_shared<std::vector<int>>(Threads(), 0);
  return {name, [rpc = rpc.run, directory = directory.run, conns,
                 next](int t) {
            const int i = ((*next)[t]++ * Threads() + t) % kUsers;
            if (!rpc(t) || !directory(t)) return false;
            pqxx::nontransaction tx(*(*conns)[t]);
            pqxx::result user = tx.exec_prepared("user", absl::StrCat("load", i));
            if (user.size() != 1) return false;
            const pqxx::binarystring digest(crypto::RandomBytes(32));
            tx.exec_prepared("session", user[0][0].c_str(), digest,
                             user[0][1].c_str());
            return true;
          }};
}

Op Logins(const testing::IdentitydServer& server, const std::string& org) {
  auto stubs = Stubs<v1::AuthService>(server);
  auto next = std::make_shared<std::vector<int>>(Threads(), 0);
  return {"Authenticate (LDAP user, via identityd)", [stubs, next, org](int t) {
            const int i = ((*next)[t]++ * Threads() + t) % kUsers;
            v1::AuthenticateRequest req;
            req.set_username(absl::StrCat("load", i));
            req.set_password(absl::StrCat("load-password-", i));
            req.set_organization(org);
            v1::AuthenticateResponse resp;
            return (*stubs)[t]->Authenticate(Ctx().get(), req, &resp).ok();
          }};
}

int Main(absl::Duration duration) {
  (void)crypto::Init();
  std::unique_ptr<SlapdServer> slapd = SlapdServer::Start(Seed());
  if (!slapd) return Fail("ldap_bench", "slapd did not start");
  testing::IdentitydServer::Options options;
  options.database_url = testing::SharedPostgres().CreateDatabase("bench_ldap");
  options.env = {{"IDENTITY_SECRET_KEY",
                  "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU="},
                 {"IDENTITY_LOG_LEVEL", "warning"}};
  auto server = testing::IdentitydServer::Start(options);
  if (!server) return Fail("ldap_bench", "identityd did not start");
  const std::string org = ConfigureProvider(*server, *slapd);
  if (org.empty()) return Fail("ldap_bench", "could not configure the LDAP provider");

  // Every directory user logs in once, so that each has its local user.
  Op login = Logins(*server, org);
  for (int t = 0; t < Threads(); ++t) {
    for (int i = 0; i < kUsers / Threads() + 1; ++i) {
      if (!login.run(t)) return Fail("ldap_bench", "a first login failed");
    }
  }

  const absl::Duration warmup = absl::Seconds(1);
  const std::vector<LoadResult> results = RunInterleaved(
      {HealthChecks(*server), RawBinds(*slapd), RawSearchThenBind(*slapd),
       RawWholeLogin(kWholeLogin, *server, RawSearchThenBind(*slapd),
                     options.database_url),
       RawWholeLogin(kBindOnlyLogin, *server, RawBinds(*slapd),
                     options.database_url),
       login},
      Threads(), warmup, duration);
  std::vector<Row> rows = {{results[0], ""},          {results[1], ""},
                           {results[2], kRawBind},    {results[3], kRawBind},
                           {results[4], kRawBind},    {results[5], kRawBind}};
  // The same login against what it cannot avoid.
  LoadResult again = results[5];
  again.name += ", against the whole login by hand";
  rows.push_back({again, kWholeLogin});
  std::cout << absl::StrFormat(
                   "LDAP logins, %d client threads, %d users, %s per row (in "
                   "5 interleaved rounds), client and servers on this machine\n\n",
                   Threads(), kUsers, absl::FormatDuration(duration))
            << Table(rows);
  PrintTopStatements("bench_ldap");
  for (const Row& row : rows) {
    if (row.result.failed > 0) return Fail("ldap_bench", "some logins failed");
  }
  return 0;
}

}  // namespace
}  // namespace identity::bench

int main(int argc, char** argv) {
  return identity::bench::Main(identity::bench::RowDuration(argc, argv));
}
