// Every secret a test run used (passwords, tokens, API keys, bind
// passwords), and every identityd log it produced, so that the end of the
// run can check that no log line ever held a secret.
#ifndef IDENTITY_TESTS_SUPPORT_SECRET_WATCH_H_
#define IDENTITY_TESTS_SUPPORT_SECRET_WATCH_H_

#include <string>
#include <vector>

namespace identity::testing {

// Remembers a secret (ignored when shorter than 8 bytes: too likely to
// appear by chance).
void RememberSecret(const std::string& secret);
// Keeps a server's whole log, under a name for the report.
void CollectLog(const std::string& name, const std::string& log);
// "<log name>: <first bytes of the secret>…" for each secret found in a log.
std::vector<std::string> SecretsInLogs();
// How many logs and secrets were collected (for the report).
size_t CollectedLogs();
size_t RememberedSecrets();

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_SUPPORT_SECRET_WATCH_H_
