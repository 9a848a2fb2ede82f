#include "tests/support/secret_watch.h"

#include <map>
#include <mutex>
#include <set>

namespace identity::testing {
namespace {

struct Watch {
  std::mutex mu;
  std::set<std::string> secrets;
  std::map<std::string, std::string> logs;
};

Watch& TheWatch() {
  static auto* watch = new Watch();
  return *watch;
}

}  // namespace

void RememberSecret(const std::string& secret) {
  if (secret.size() < 8) return;
  std::lock_guard<std::mutex> lock(TheWatch().mu);
  TheWatch().secrets.insert(secret);
}

void CollectLog(const std::string& name, const std::string& log) {
  std::lock_guard<std::mutex> lock(TheWatch().mu);
  TheWatch().logs[name] += log;
}

std::vector<std::string> SecretsInLogs() {
  std::lock_guard<std::mutex> lock(TheWatch().mu);
  std::vector<std::string> found;
  for (const auto& [name, log] : TheWatch().logs) {
    for (const std::string& secret : TheWatch().secrets) {
      if (log.find(secret) != std::string::npos) {
        found.push_back(name + ": " + secret.substr(0, 4) + "…");
      }
    }
  }
  return found;
}

size_t CollectedLogs() {
  std::lock_guard<std::mutex> lock(TheWatch().mu);
  return TheWatch().logs.size();
}

size_t RememberedSecrets() {
  std::lock_guard<std::mutex> lock(TheWatch().mu);
  return TheWatch().secrets.size();
}

}  // namespace identity::testing
