// The authorization table operators read (docs/authorization.md) must say
// what the code enforces: the RPC that performs each operation of the
// domain's table appears in it exactly once, with its permission.
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "domain/authorizer.h"
#include "services/rpc_operations.h"

namespace identity {
namespace {

// RPC name -> the row's permission column.
std::map<std::string, std::string> ReadmeTable() {
  std::ifstream in(std::string(IDENTITY_SOURCE_DIR) + "/docs/authorization.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const size_t start = readme.find("# Roles and authorization");
  const size_t end = readme.find("\n# ", start + 1);
  std::map<std::string, std::string> rows;
  for (absl::string_view line : absl::StrSplit(
           absl::string_view(readme).substr(start, end - start), '\n')) {
    if (!absl::StartsWith(line, "| ") || absl::StartsWith(line, "| RPC")) continue;
    std::vector<absl::string_view> cells = absl::StrSplit(line, '|');
    if (cells.size() < 4) continue;
    // gRPC's own services (health, reflection) are public by construction
    // and perform no operation of the domain.
    if (absl::StrContains(cells[2], "(grpc.")) continue;
    for (absl::string_view rpc : absl::StrSplit(cells[1], ',')) {
      std::string name(absl::StripAsciiWhitespace(rpc));
      EXPECT_EQ(rows.count(name), 0u) << name << " is in two rows";
      rows[name] = std::string(absl::StripAsciiWhitespace(cells[2]));
    }
  }
  return rows;
}

TEST(ReadmeAuthorizationTest, EveryRuleIsDocumentedWithItsPermission) {
  const std::map<std::string, std::string> readme = ReadmeTable();
  ASSERT_GT(readme.size(), 40u) << "the docs table was found";
  size_t seen = 0;
  for (const OperationRule& rule : OperationRules()) {
    const absl::string_view method = services::RpcMethodOf(rule.operation);
    ASSERT_FALSE(method.empty()) << rule.operation << " has no RPC";
    const std::string name(method.substr(method.rfind('/') + 1));
    auto row = readme.find(name);
    ASSERT_NE(row, readme.end()) << name << " is missing from the docs table";
    ++seen;
    for (absl::string_view permission : {rule.permission, rule.self_permission}) {
      if (permission.empty()) continue;
      // "organizations.create / .delete / .move" documents three rules: each
      // part of the permission must be there.
      for (absl::string_view part : absl::StrSplit(permission, '.')) {
        EXPECT_TRUE(absl::StrContains(row->second, part))
            << name << ": the docs say '" << row->second << "', the code "
            << permission;
      }
    }
    if (rule.permission.empty() && rule.self_permission.empty()) {
      EXPECT_TRUE(absl::StartsWith(row->second, "—"))
          << name << " needs no permission in the code";
    }
  }
  EXPECT_EQ(seen, readme.size()) << "the docs list RPCs the code does not have";
}

}  // namespace
}  // namespace identity
