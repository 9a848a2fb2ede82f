// What other services pay on every request they serve: ValidateToken,
// ValidateApiKey, CheckPermission and BatchCheckPermissions, answered from
// the cache next to a no-op RPC on the same server, and answered from PostgreSQL (cache off) next to a raw libpqxx
// point select of the same row on the same database. One run, one machine.
#include <iostream>

#include <pqxx/connection>
#include <pqxx/transaction>

#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "bench/bench_support.h"
#include "common/crypto.h"
#include "identity/v1/api_key_service.grpc.pb.h"
#include "identity/v1/auth_service.grpc.pb.h"
#include "identity/v1/organization_service.grpc.pb.h"
#include "identity/v1/user_service.grpc.pb.h"

namespace identity::bench {
namespace {

constexpr char kDriver[] = "validation_bench";
constexpr char kDatabase[] = "bench_validation";

struct Credentials {
  std::string token;
  std::string api_key;
};

// A user of a new organization, logged in, with an API key.
absl::StatusOr<Credentials> Prepare(const testing::IdentitydServer& server) {
  auto channel = server.NewChannel();
  auto auth = v1::AuthService::NewStub(channel);
  v1::AuthenticateRequest login;
  login.set_username(server.options().admin_username);
  login.set_password(server.options().admin_password);
  v1::AuthenticateResponse admin;
  if (!auth->Authenticate(Ctx().get(), login, &admin).ok()) {
    return absl::InternalError("admin login failed");
  }
  v1::CreateOrganizationRequest org_req;
  org_req.set_name("bench");
  v1::Organization org;
  v1::OrganizationService::NewStub(channel)->CreateOrganization(
      Ctx(admin.session_token()).get(), org_req, &org);
  v1::CreateUserRequest user_req;
  user_req.set_organization_id(org.id());
  user_req.set_username("caller@example.com");
  user_req.set_primary_role("BASIC_USER");
  user_req.set_password("Bench-Password-123");
  v1::CreateUserResponse user;
  if (!v1::UserService::NewStub(channel)
           ->CreateUser(Ctx(admin.session_token()).get(), user_req, &user)
           .ok()) {
    return absl::InternalError("CreateUser failed");
  }
  login.set_username("caller@example.com");
  login.set_password("Bench-Password-123");
  v1::AuthenticateResponse session;
  if (!auth->Authenticate(Ctx().get(), login, &session).ok()) {
    return absl::InternalError("user login failed");
  }
  v1::CreateApiKeyRequest key_req;
  key_req.set_name("gateway");
  v1::CreateApiKeyResponse key;
  if (!v1::ApiKeyService::NewStub(channel)
           ->CreateApiKey(Ctx(session.session_token()).get(), key_req, &key)
           .ok()) {
    return absl::InternalError("CreateApiKey failed");
  }
  return Credentials{session.session_token(), key.api_key()};
}

Op ValidateTokens(const testing::IdentitydServer& server,
                  const std::string& name, const std::string& token) {
  auto stubs = Stubs<v1::AuthService>(server);
  return {name, [stubs, token](int t) {
            v1::ValidateTokenRequest req;
            req.set_token(token);
            v1::ValidateTokenResponse resp;
            return (*stubs)[t]->ValidateToken(Ctx().get(), req, &resp).ok();
          }};
}

// What a cache-hit validation costs without its answer: a token of the
// wrong form is refused from memory after the same admission, and the
// reply carries a status instead of a principal.
Op RefusedTokens(const testing::IdentitydServer& server) {
  auto stubs = Stubs<v1::AuthService>(server);
  return {"ValidateToken of a malformed token (refused from memory, no principal)",
          [stubs](int t) {
            v1::ValidateTokenRequest req;
            req.set_token("not-a-token");
            v1::ValidateTokenResponse resp;
            return (*stubs)[t]->ValidateToken(Ctx().get(), req, &resp)
                       .error_code() == grpc::StatusCode::UNAUTHENTICATED;
          }};
}

Op ValidateKeys(const testing::IdentitydServer& server, const std::string& name,
                const std::string& key) {
  auto stubs = Stubs<v1::AuthService>(server);
  return {name, [stubs, key](int t) {
            v1::ValidateApiKeyRequest req;
            req.set_api_key(key);
            v1::ValidateApiKeyResponse resp;
            return (*stubs)[t]->ValidateApiKey(Ctx().get(), req, &resp).ok();
          }};
}

// CheckPermission for the session: one (permission, own organization).
Op CheckPermissions(const testing::IdentitydServer& server,
                    const std::string& token) {
  auto stubs = Stubs<v1::AuthService>(server);
  return {"CheckPermission (cache hit)", [stubs, token](int t) {
            v1::CheckPermissionRequest req;
            req.set_token(token);
            req.set_permission("apps.create");
            v1::CheckPermissionResponse resp;
            return (*stubs)[t]->CheckPermission(Ctx().get(), req, &resp).ok() &&
                   resp.allowed();
          }};
}

// BatchCheckPermissions with 20 pairs, half allowed, half refused (another
// organization), as a page that shows or hides 20 actions would ask.
Op BatchChecks(const testing::IdentitydServer& server, const std::string& token) {
  auto stubs = Stubs<v1::AuthService>(server);
  v1::BatchCheckPermissionsRequest req;
  req.set_token(token);
  for (int i = 0; i < 20; ++i) {
    v1::PermissionCheck* check = req.add_checks();
    check->set_permission(i % 2 == 0 ? "apps.create" : "users.read");
    if (i % 4 == 3) {
      check->set_organization_id("00000000-0000-4000-8000-000000000001");
    }
  }
  return {"BatchCheckPermissions (20 checks, cache hit)", [stubs, req](int t) {
            v1::BatchCheckPermissionsResponse resp;
            return (*stubs)[t]
                       ->BatchCheckPermissions(Ctx().get(), req, &resp)
                       .ok() &&
                   resp.results_size() == 20;
          }};
}

constexpr char kRawSelect[] = "raw libpqxx point select (prepared)";

// The session row by token digest, as a prepared point select.
Op RawSelects(const std::string& url, const std::string& token) {
  auto conns = std::make_shared<std::vector<std::unique_ptr<pqxx::connection>>>();
  for (int t = 0; t < Threads(); ++t) {
    conns->push_back(std::make_unique<pqxx::connection>(url));
    conns->back()->prepare(
        "session", "SELECT s.id, s.expires_at, u.id, u.primary_role FROM "
                   "sessions s JOIN users u ON u.id = s.user_id WHERE "
                   "s.token_digest = $1");
  }
  auto key = std::make_shared<pqxx::binarystring>(crypto::Sha256(token));
  return {kRawSelect, [conns, key](int t) {
            pqxx::read_transaction tx(*(*conns)[t]);
            return tx.exec_prepared("session", *key).size() == 1;
          }};
}

constexpr char kFloor[] = "no-op RPC, then the raw select (by hand, back to back)";

// What an uncached validation cannot avoid: one gRPC round trip to the
// server and one PostgreSQL round trip, here made one after the other by the
// client itself; identityd does both plus its own work.
Op RpcThenSelect(const testing::IdentitydServer& server, const std::string& url,
                 const std::string& token) {
  Op rpc = HealthChecks(server);
  Op select = RawSelects(url, token);
  return {kFloor, [rpc = rpc.run, select = select.run](int t) {
            return rpc(t) && select(t);
          }};
}

int Main(absl::Duration duration) {
  (void)crypto::Init();
  CachedAndUncached servers = StartCachedAndUncached(kDatabase);
  if (!servers.cached || !servers.uncached) return Fail(kDriver, "identityd did not start");
  testing::IdentitydServer* cached = servers.cached.get();
  testing::IdentitydServer* uncached = servers.uncached.get();
  const std::string& url = servers.database_url;
  absl::StatusOr<Credentials> creds = Prepare(*cached);
  if (!creds.ok()) return Fail(kDriver, std::string(creds.status().message()));

  const absl::Duration warmup = absl::Seconds(1);
  std::vector<Row> rows = RowsAgainst(
      RunInterleaved({HealthChecks(*cached),
                      ValidateTokens(*cached, "ValidateToken (cache hit)", creds->token),
                      RefusedTokens(*cached),
                      ValidateKeys(*cached, "ValidateApiKey (cache hit)", creds->api_key),
                      CheckPermissions(*cached, creds->token),
                      BatchChecks(*cached, creds->token)},
                     Threads(), warmup, duration),
      kHealthCheck);
  const std::vector<LoadResult> uncached_results = RunInterleaved(
      {RawSelects(url, creds->token),
       RpcThenSelect(*uncached, url, creds->token),
       ValidateTokens(*uncached, "ValidateToken (cache off: PostgreSQL)", creds->token),
       ValidateKeys(*uncached, "ValidateApiKey (cache off: PostgreSQL)",
                    creds->api_key)},
      Threads(), warmup, duration);
  for (Row& row : RowsAgainst(uncached_results, kRawSelect)) {
    rows.push_back(std::move(row));
  }
  // The uncached validation against the floor above.
  LoadResult against_floor = uncached_results[2];
  against_floor.name += ", against the floor";
  rows.push_back({against_floor, kFloor});
  std::cout << absl::StrFormat(
                   "Credential validation, %d client threads, %s per row "
                   "(in 5 rounds interleaved with its baseline), client and "
                   "servers on this machine\n\n",
                   Threads(), absl::FormatDuration(duration))
            << Table(rows) << "\n";
  PrintTopStatements(kDatabase);
  for (const Row& r : rows) {
    if (r.result.failed > 0) return Fail(kDriver, r.result.name + " failed");
  }
  return 0;
}

}  // namespace
}  // namespace identity::bench

int main(int argc, char** argv) {
  return identity::bench::Main(identity::bench::RowDuration(argc, argv));
}
