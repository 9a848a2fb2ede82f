// How to reach and search one LDAP directory: what an organization's stored
// provider configuration becomes once its bind password is unsealed.
#ifndef IDENTITY_PROVIDERS_LDAP_LDAP_DIRECTORY_OPTIONS_H_
#define IDENTITY_PROVIDERS_LDAP_LDAP_DIRECTORY_OPTIONS_H_

#include <string>
#include <vector>

#include "absl/time/time.h"

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
  // The attribute holding an entry's stable identifier; empty: detected
  // (ServerInfo).
  std::string id_attribute;
  absl::Duration connect_timeout = absl::Seconds(3);
  absl::Duration operation_timeout = absl::Seconds(5);
  int pool_size = 4;  // connections kept per replica
};

enum class ServerType { kActiveDirectory, kLdap };

// What a directory's root DSE says about it, read once per pool.
struct ServerInfo {
  ServerType type = ServerType::kLdap;
  // The configured id_attribute, else objectGUID for Active Directory and
  // entryUUID (RFC 4530) for others.
  std::string id_attribute;
};

// "active_directory" or "ldap".
inline const char* ServerTypeName(ServerType type) {
  return type == ServerType::kActiveDirectory ? "active_directory" : "ldap";
}

}  // namespace identity::ldap

#endif  // IDENTITY_PROVIDERS_LDAP_LDAP_DIRECTORY_OPTIONS_H_
