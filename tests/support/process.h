// Child processes for tests: run a command to completion, or keep a server
// running and stop it.
#ifndef IDENTITY_TESTS_SUPPORT_PROCESS_H_
#define IDENTITY_TESTS_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace identity::testing {

// Runs argv to completion; returns the exit code (-1 if it could not run).
// Output goes to `log_path` (appended) when given, else is discarded.
int RunCommand(const std::vector<std::string>& argv,
               const std::string& log_path = "");

// A port on 127.0.0.1 that was free a moment ago.
int FreePort();

// True when something accepts connections on 127.0.0.1:`port`.
bool PortAccepts(int port);

// GET http://127.0.0.1:<port><path>; the body of a 200 answer, else "".
std::string HttpGet(int port, const std::string& path);

// A fresh directory under $TMPDIR (or /tmp).
std::string MakeTempDir(const std::string& prefix);

class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  // Starts argv with the current environment plus `env`; stdout and stderr
  // go to `log_path`.
  bool Start(const std::vector<std::string>& argv,
             const std::map<std::string, std::string>& env,
             const std::string& log_path);
  // Sends `signal` and waits; returns the exit code, or 128+signal.
  int Stop(int signal);
  // Waits for exit; returns the exit code, or 128+signal.
  int Wait();
  // The child was reaped elsewhere (waitpid by the caller).
  void Forget() { pid_ = -1; }
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

std::string ReadFile(const std::string& path);

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_SUPPORT_PROCESS_H_
