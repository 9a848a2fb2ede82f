#include "tests/support/postgres_server.h"

#include <glob.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "tests/support/certificates.h"
#include "tests/support/process.h"

namespace identity::testing {
namespace {

// The newest /usr/lib/postgresql/<version>/bin (Debian's layout).
std::string FindPostgresBin() {
  glob_t g;
  std::vector<std::string> dirs;
  if (glob("/usr/lib/postgresql/*/bin/initdb", 0, nullptr, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) dirs.push_back(g.gl_pathv[i]);
  }
  globfree(&g);
  if (dirs.empty()) return "";
  std::sort(dirs.begin(), dirs.end(), [](const std::string& a, const std::string& b) {
    return std::stoi(a.substr(20)) < std::stoi(b.substr(20));
  });
  std::string initdb = dirs.back();
  return initdb.substr(0, initdb.rfind('/'));
}

}  // namespace

std::vector<std::string> PostgresServer::AsPostgres(
    std::vector<std::string> argv) const {
  if (geteuid() != 0) return argv;
  argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
  return argv;
}

std::unique_ptr<PostgresServer> PostgresServer::Start() {
  std::unique_ptr<PostgresServer> pg(new PostgresServer());
  pg->bin_ = FindPostgresBin();
  if (pg->bin_.empty()) {
    std::cerr << "PostgreSQL server binaries not found under "
                 "/usr/lib/postgresql (install the postgresql package)\n";
    return nullptr;
  }
  pg->dir_ = MakeTempDir("identity-pg-");
  if (geteuid() == 0) {
    passwd* pw = getpwnam("postgres");
    if (pw == nullptr || chown(pg->dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      std::cerr << "cannot hand " << pg->dir_ << " to the postgres user\n";
      return nullptr;
    }
  }
  const std::string log = pg->dir_ + "/initdb.log";
  if (RunCommand(pg->AsPostgres({pg->bin_ + "/initdb", "-D", pg->dir_ + "/data",
                                 "-U", "postgres", "-A", "trust", "-E", "UTF8",
                                 "--locale=C.UTF-8", "--no-sync"}),
                 "") != 0) {
    std::cerr << "initdb failed in " << pg->dir_ << "\n";
    return nullptr;
  }
  // TLS on, with a throwaway CA, so that clients can test verify-full.
  const std::string tls = pg->dir_ + "/tls";
  RunCommand({"mkdir", "-p", tls});
  if (!MakeCertificates(tls)) {
    std::cerr << "openssl failed: " << ReadFile(tls + "/openssl.log") << "\n";
    return nullptr;
  }
  RunCommand({"chmod", "0600", tls + "/server.key"});
  if (geteuid() == 0) RunCommand({"chown", "-R", "postgres:postgres", tls});
  pg->port_ = FreePort();
  if (!pg->PgCtl("start")) return nullptr;
  return pg;
}

bool PostgresServer::PgCtl(const std::string& action) {
  std::vector<std::string> argv = {bin_ + "/pg_ctl", "-D", dir_ + "/data",
                                   "-l", dir_ + "/server.log", "-w", "-t",
                                   "60", action};
  if (action == "start") {
    argv.push_back("-o");
    argv.push_back("-p " + std::to_string(port_) + " -k " + dir_ +
                   " -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=300 -c ssl=on -c ssl_cert_file=" +
                   dir_ + "/tls/server.pem -c ssl_key_file=" + dir_ +
                   "/tls/server.key");
    // For profiling, e.g. "-c shared_preload_libraries=pg_stat_statements".
    if (const char* extra = std::getenv("IDENTITY_TEST_PG_OPTIONS")) {
      argv.back() += std::string(" ") + extra;
    }
  } else {
    argv.push_back("-m");
    argv.push_back("fast");
  }
  int rc = RunCommand(AsPostgres(argv));
  if (rc != 0) {
    std::cerr << "pg_ctl " << action << " failed (" << rc << "); log: "
              << ReadFile(dir_ + "/server.log") << "\n";
    return false;
  }
  running_ = action == "start";
  return true;
}

bool PostgresServer::Stop() { return PgCtl("stop"); }
bool PostgresServer::Restart() { return PgCtl("start"); }

PostgresServer::~PostgresServer() {
  if (running_) PgCtl("stop");
  if (!dir_.empty() && getenv("IDENTITY_KEEP_TEST_DIRS") == nullptr) {
    RunCommand({"rm", "-rf", dir_});
  }
}

std::string PostgresServer::Url(const std::string& database) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" +
         database;
}

int PostgresServer::Psql(const std::string& database, const std::string& sql) {
  return RunCommand({"psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", Url(database),
                     "-c", sql});
}

std::string PostgresServer::QueryValue(const std::string& database,
                                       const std::string& sql) {
  const std::string out = dir_ + "/query.out";
  std::remove(out.c_str());
  if (RunCommand({"psql", "-qtA", "-d", Url(database), "-c", sql, "-o", out}) != 0) {
    return "";
  }
  std::string value = ReadFile(out);
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) {
    value.pop_back();
  }
  return value;
}

std::string PostgresServer::CreateDatabase(const std::string& name) {
  Psql("postgres", "DROP DATABASE IF EXISTS \"" + name + "\"");
  if (Psql("postgres", "CREATE DATABASE \"" + name + "\"") != 0) return "";
  return Url(name);
}

PostgresServer& SharedPostgres() {
  static PostgresServer* server = [] {
    std::unique_ptr<PostgresServer> pg = PostgresServer::Start();
    if (!pg) {
      std::cerr << "could not start PostgreSQL for the tests\n";
      std::abort();
    }
    // Destroyed at exit so the cluster is stopped and removed.
    static std::unique_ptr<PostgresServer> owner = std::move(pg);
    return owner.get();
  }();
  return *server;
}

}  // namespace identity::testing
