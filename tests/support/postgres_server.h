// A private PostgreSQL cluster for tests: initdb in a temporary directory,
// listening on a free loopback port, run as the unprivileged `postgres` user
// when the tests run as root (initdb refuses root). Removed when destroyed.
#ifndef IDENTITY_TESTS_SUPPORT_POSTGRES_SERVER_H_
#define IDENTITY_TESTS_SUPPORT_POSTGRES_SERVER_H_

#include <memory>
#include <string>
#include <vector>

namespace identity::testing {

class PostgresServer {
 public:
  // Null (with the reason on stderr) if the cluster could not start.
  static std::unique_ptr<PostgresServer> Start();
  ~PostgresServer();

  // A URL for `database` as the superuser.
  std::string Url(const std::string& database) const;
  // Creates a fresh, empty database and returns its URL.
  std::string CreateDatabase(const std::string& name);
  // Runs SQL through psql; returns the exit code.
  int Psql(const std::string& database, const std::string& sql);
  // The first column of the first row of `sql`, as text ("" on error).
  std::string QueryValue(const std::string& database, const std::string& sql);

  // Stop and start again on the same port and data (database restarts).
  bool Stop();
  bool Restart();

  int port() const { return port_; }
  // The CA that signs the server's TLS certificate (for 127.0.0.1).
  std::string ca_file() const { return dir_ + "/tls/ca.pem"; }
  const std::string& dir() const { return dir_; }

 private:
  PostgresServer() = default;
  std::vector<std::string> AsPostgres(std::vector<std::string> argv) const;
  bool PgCtl(const std::string& action);

  std::string dir_;
  std::string bin_;
  int port_ = 0;
  bool running_ = false;
};

// A process-wide server for test binaries, started on first use.
PostgresServer& SharedPostgres();

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_SUPPORT_POSTGRES_SERVER_H_
