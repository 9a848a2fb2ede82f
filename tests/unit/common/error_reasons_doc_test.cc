// The error reasons programs act on are a contract: the table in
// docs/api.md ("Error reasons") lists exactly the reasons the code can produce,
// each with its status code, and every reason in common/error_reasons.h is used
// by the code that makes an error.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/error_reasons.h"
#include "gtest/gtest.h"

namespace identity {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Reason -> code, from the rows "| `REASON` | CODE | meaning |" of the
// reasons table in docs/api.md's errors section.
std::map<std::string, std::string> DocumentedReasons() {
  const std::string doc =
      Read(std::string(IDENTITY_SOURCE_DIR) + "/docs/api.md");
  const size_t start = doc.find("\n## Error reasons");
  EXPECT_NE(start, std::string::npos) << "docs/api.md lists the reasons";
  const size_t end = doc.find("\n#", start + 1);
  std::map<std::string, std::string> rows;
  for (absl::string_view line : absl::StrSplit(
           absl::string_view(doc).substr(start, end - start), '\n')) {
    if (!absl::StartsWith(line, "| `")) continue;
    std::vector<absl::string_view> cells = absl::StrSplit(line, '|');
    if (cells.size() < 4) continue;
    std::string reason(absl::StripAsciiWhitespace(cells[1]));
    reason =
        std::string(absl::StripSuffix(absl::StripPrefix(reason, "`"), "`"));
    EXPECT_EQ(rows.count(reason), 0u) << reason << " is in two rows";
    rows[reason] = std::string(absl::StripAsciiWhitespace(cells[2]));
  }
  return rows;
}

TEST(ErrorReasonsDocTest, TheDocsListExactlyTheReasonsWithTheirCodes) {
  std::map<std::string, std::string> documented = DocumentedReasons();
  ASSERT_GT(documented.size(), 30u) << "the reasons table was found";
  for (const reason::KnownReason& r : reason::KnownReasons()) {
    const std::string name(r.reason);
    auto row = documented.find(name);
    if (row == documented.end()) {
      ADD_FAILURE() << name << " is missing from docs/api.md";
      continue;
    }
    EXPECT_EQ(row->second, absl::StatusCodeToString(r.code))
        << name << ": the docs give another code";
    documented.erase(row);
  }
  for (const auto& [name, code] : documented) {
    ADD_FAILURE() << "docs/api.md lists " << name
                  << ", which the code does not produce";
  }
}

// `name` occurs in `code` as a whole identifier (kFoo, not kFooBar).
bool Uses(const std::string& code, const std::string& name) {
  for (size_t at = code.find(name); at != std::string::npos;
       at = code.find(name, at + 1)) {
    const char next = code[at + name.size()];
    if (!absl::ascii_isalnum(static_cast<unsigned char>(next)) && next != '_') {
      return true;
    }
  }
  return false;
}

// Every reason constant is used where an error is made, outside its
// declaration: a listed reason the code cannot produce is a broken promise.
TEST(ErrorReasonsDocTest, EveryReasonIsMadeSomewhere) {
  const std::string dir = IDENTITY_SOURCE_DIR;
  const std::string header = Read(dir + "/common/error_reasons.h");
  std::map<std::string, std::string> constants;  // kName -> REASON
  const std::regex decl(R"re((k[A-Za-z]+) =\s*"([A-Z_]+)")re");
  for (std::sregex_iterator it(header.begin(), header.end(), decl), end;
       it != end; ++it) {
    constants[(*it)[1]] = (*it)[2];
  }
  ASSERT_EQ(constants.size(), reason::KnownReasons().size())
      << "every constant is in KnownReasons() and nothing else is";
  std::string code;
  for (const char* layer :
       {"common", "domain", "storage", "application", "providers", "adapters",
        "services", "server"}) {
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(dir + "/" + layer)) {
      const std::string path = entry.path().string();
      if (!absl::EndsWith(path, ".cc") && !absl::EndsWith(path, ".h")) continue;
      if (absl::StrContains(path, "common/error_reasons.")) continue;
      code += Read(path);
    }
  }
  for (const auto& [constant, name] : constants) {
    EXPECT_TRUE(Uses(code, "reason::" + constant))
        << name << " (" << constant << ") is never attached to an error";
  }
}

}  // namespace
}  // namespace identity
