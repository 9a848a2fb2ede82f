#include "common/time_zones.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace identity {
namespace {

// The same directory absl (cctz) loads zones from.
std::string ZoneDirectory() {
  const char* dir = std::getenv("TZDIR");
  return dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo";
}

// The names in tzdata.zi, zic's input: "Z <name> ..." declares a zone,
// "L <target> <name>" a link (old names such as US/Eastern).
struct ZoneList {
  std::string path;
  bool readable = false;
  absl::flat_hash_set<std::string> names;
};

const ZoneList& LoadZoneList() {
  static const ZoneList* const list = [] {
    auto* l = new ZoneList;
    l->path = ZoneDirectory() + "/tzdata.zi";
    std::ifstream in(l->path);
    l->readable = static_cast<bool>(in);
    std::string line;
    while (std::getline(in, line)) {
      std::vector<absl::string_view> f =
          absl::StrSplit(line, ' ', absl::SkipEmpty());
      if (f.size() >= 2 && f[0] == "Z") l->names.emplace(f[1]);
      if (f.size() >= 3 && f[0] == "L") l->names.emplace(f[2]);
    }
    l->readable = l->readable && !l->names.empty();
    return l;
  }();
  return *list;
}

// Letters, digits and "/_+-" in parts that do not start with a dot: never a
// path that leaves the zone directory or names one of its other files.
bool HasZoneNameShape(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (absl::string_view part : absl::StrSplit(name, '/')) {
    if (part.empty() || part[0] == '.' || part[0] == '-') return false;
    for (char c : part) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) &&
          c != '_' && c != '+' && c != '-') {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

absl::Status CheckTimeZoneName(absl::string_view name) {
  if (!HasZoneNameShape(name)) {
    return absl::InvalidArgumentError("not an IANA time zone name");
  }
  const ZoneList& list = LoadZoneList();
  if (!list.readable) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this server has no time zone list (", list.path,
        " is missing: install tzdata)"));
  }
  if (!list.names.contains(name)) {
    return absl::InvalidArgumentError("not in the IANA time zone list");
  }
  return absl::OkStatus();
}

}  // namespace identity
