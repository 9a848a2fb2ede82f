// One LDAP directory reached with libldap: connect (ldap:// with optional
// StartTLS, or ldaps://; several URLs tried in order), bind as the service
// account, search for the user, bind as the user (search-then-bind).
//
// A wrong password, an unknown user and an ambiguous match are results, not
// errors; an unreachable or misconfigured directory is an error.
#ifndef IDENTITY_IDENTITY_LDAP_LDAP_DIRECTORY_H_
#define IDENTITY_IDENTITY_LDAP_LDAP_DIRECTORY_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

typedef struct ldap LDAP;

namespace identity::ldap {

struct DirectoryOptions {
  std::vector<std::string> urls;  // ldap://host:port or ldaps://host:port
  bool start_tls = false;
  std::string ca_file;  // PEM bundle that signs the server's certificate
  std::string bind_dn;
  std::string bind_password;
  std::string user_base_dn;
  std::string user_filter;  // with {username}, e.g. (uid={username})
  std::vector<std::string> attributes;  // returned with the entry
  // When both are set, a login also lists the groups under group_base_dn
  // whose group_member_attribute holds the user's DN.
  std::string group_base_dn;
  std::string group_member_attribute;
  absl::Duration connect_timeout = absl::Seconds(3);
  absl::Duration operation_timeout = absl::Seconds(5);
};

struct Entry {
  std::string dn;
  std::map<std::string, std::vector<std::string>> attributes;  // lower-case names
};

enum class LoginResult {
  kAuthenticated,
  kWrongPassword,
  kUserNotFound,
  kAmbiguous,  // the filter matched several entries: refused
};

struct LoginOutcome {
  LoginResult result;
  Entry entry;                      // for kAuthenticated
  std::vector<std::string> groups;  // group DNs, for kAuthenticated
};

class Directory {
 public:
  explicit Directory(DirectoryOptions options) : options_(std::move(options)) {}

  // INVALID_ARGUMENT for an empty password (an unauthenticated bind must
  // never count as a login) or a bad filter; UNAVAILABLE when no URL answers
  // within the timeouts; FAILED_PRECONDITION when the service account's bind
  // is refused.
  absl::StatusOr<LoginOutcome> Login(absl::string_view username,
                                     absl::string_view password) const;

  // Searches without binding as the user: kAuthenticated here means found.
  absl::StatusOr<LoginOutcome> Find(absl::string_view username) const;

  // Connects and binds as the service account.
  absl::Status Probe() const;

 private:
  // Finds `username` on a connection bound as the service account.
  absl::StatusOr<LoginOutcome> Search(LDAP* ld, absl::string_view username) const;
  // Every group `dn` is in, directly or through nested groups.
  absl::StatusOr<std::vector<std::string>> GroupsOf(LDAP* ld,
                                                    const std::string& dn) const;
  absl::StatusOr<std::vector<std::string>> DirectGroupsOf(
      LDAP* ld, const std::string& dn) const;

  const DirectoryOptions options_;
};

}  // namespace identity::ldap

#endif  // IDENTITY_IDENTITY_LDAP_LDAP_DIRECTORY_H_
