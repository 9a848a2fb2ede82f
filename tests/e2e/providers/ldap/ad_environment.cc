// The domain controller shared by the Active Directory suites of this test
// binary: provisioned and seeded once, stopped at exit.
#include <iostream>

#include "absl/strings/escaping.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/e2e/providers/ldap/ad_fixture.h"

namespace identity::testing {
namespace {

std::unique_ptr<SambaAdServer>& Server() {
  static auto* server = new std::unique_ptr<SambaAdServer>();
  return *server;
}
std::string& Reason() {
  static auto* reason = new std::string("not started");
  return *reason;
}

// unicodePwd: the password in double quotes, UTF-16LE, base64 in LDIF.
std::string UnicodePwd(const std::string& password) {
  std::string utf16;
  for (char c : "\"" + password + "\"") {
    utf16 += c;
    utf16 += '\0';
  }
  return absl::Base64Escape(utf16);
}

std::string Person(const std::string& name, const std::string& display,
                   const std::string& ou = kAdPeople) {
  return "dn: CN=" + name + "," + ou +
         "\nobjectClass: user\nsAMAccountName: " + name +
         "\nuserPrincipalName: " + name + "@corp.example\nmail: " + name +
         "@corp.example\ndisplayName: " + display +
         "\nunicodePwd:: " + UnicodePwd(AdPassword(name)) +
         "\nuserAccountControl: 512\n\n";
}

// Accounts without a password (PASSWD_NOTREQD), for the sync: enabled (544),
// disabled (546), or expired in 2016.
std::string SyncAccount(const std::string& name, int uac,
                        bool expired = false) {
  return "dn: CN=" + name +
         ",OU=SyncState,DC=corp,DC=example\nobjectClass: "
         "user\nsAMAccountName: " +
         name + "\nuserPrincipalName: " + name +
         "@corp.example\nuserAccountControl: " + std::to_string(uac) + "\n" +
         (expired ? "accountExpires: 131000000000000000\n" : "") + "\n";
}

std::string Group(const std::string& name, const std::string& member) {
  return "dn: CN=" + name + "," + kAdGroups +
         "\nobjectClass: group\n"
         "sAMAccountName: " +
         name + "\nmember: " + member + "\n\n";
}

std::string Seed() {
  std::string ldif;
  for (const char* ou : {"People", "Groups", "SyncState", "Bulk"}) {
    ldif += std::string("dn: OU=") + ou +
            ",DC=corp,DC=example\nobjectClass: organizationalUnit\n\n";
  }
  ldif += Person("alice", "Alice Adams") + Person("bob", "Bob Brown") +
          Person("carl", "Carl Clark") + Person("erin", "Erin Evans") +
          Person("liam", "Liam Lewis") + Person("mallory", "Mallory Moss") +
          Person("tina", "Tina Turner");
  ldif += SyncAccount("sara", 544) + SyncAccount("sven", 546) +
          SyncAccount("suzy", 544, /*expired=*/true);
  const std::string groups = kAdGroups;
  ldif += Group("Engineers", std::string("CN=alice,") + kAdPeople) +
          Group("Staff", "CN=Engineers," + groups) +
          Group("Builders", "CN=Engineers," + groups) +
          Group("Admins", "CN=Staff," + groups);
  return ldif;
}

class AdEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    const absl::Time start = absl::Now();
    std::string why;
    Server() = SambaAdServer::Start(&why);
    if (Server() != nullptr && !Server()->BulkAdd(Seed())) {
      why = "seeding the domain failed (see ldbadd.log in its directory)";
      Server().reset();
    }
    Reason() = why;
    std::cerr << "Active Directory domain controller: "
              << (Server() ? "ready" : "unavailable: " + why) << " after "
              << absl::FormatDuration(absl::Now() - start) << "\n";
  }
  void TearDown() override { Server().reset(); }
};

const auto* const kRegistered =
    ::testing::AddGlobalTestEnvironment(new AdEnvironment);

}  // namespace

SambaAdServer* Ad() { return Server().get(); }
const std::string& AdUnavailableReason() { return Reason(); }

}  // namespace identity::testing
