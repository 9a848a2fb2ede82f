#include "domain/validation.h"

#include <malloc.h>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace identity {
namespace {

void ExpectInvalid(absl::Status s, absl::string_view field) {
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().substr(0, field.size() + 1), std::string(field) + ":")
      << s.message();
}

TEST(ValidationTest, Ids) {
  EXPECT_TRUE(ValidateId("id", "1b4e28ba-2fa1-11d2-883f-0016d3cca427").ok());
  ExpectInvalid(ValidateId("id", ""), "id");
  ExpectInvalid(ValidateId("id", "1b4e28ba"), "id");
  ExpectInvalid(ValidateId("organization_id", "'; DROP TABLE users;--"),
                "organization_id");
}

TEST(ValidationTest, Usernames) {
  EXPECT_TRUE(ValidateUsername("alice@example.com").ok());
  EXPECT_TRUE(ValidateUsername("jürgen").ok());
  ExpectInvalid(ValidateUsername("ab"), "username");
  ExpectInvalid(ValidateUsername("has space"), "username");
  ExpectInvalid(ValidateUsername(std::string(255, 'a')), "username");
  ExpectInvalid(ValidateUsername("bad\x01name"), "username");
  ExpectInvalid(ValidateUsername("bad\xff\xfeutf8"), "username");
}

TEST(ValidationTest, Emails) {
  EXPECT_TRUE(ValidateEmail("", false).ok());
  ExpectInvalid(ValidateEmail("", true), "email");
  EXPECT_TRUE(ValidateEmail("a@b.io", true).ok());
  ExpectInvalid(ValidateEmail("no-at-sign", false), "email");
  ExpectInvalid(ValidateEmail("a@nodot", false), "email");
}

// Only names the system's zone list ships: a file path, a directory of the
// zoneinfo tree, cctz's fixed-offset spelling or "localtime" all load with
// absl::LoadTimeZone but are not IANA zone names.
TEST(ValidationTest, TimeZoneThatIsAPathOrNotInTheZoneListIsRefused) {
  for (const char* ok : {"Europe/Berlin", "UTC", "America/New_York",
                         "US/Eastern", "Asia/Kolkata", "Etc/GMT+5"}) {
    EXPECT_TRUE(ValidateTimeZone(ok).ok()) << ok;
  }
  for (const char* bad :
       {"Mars/Olympus", "/usr/share/zoneinfo/Europe/Berlin", "/etc/localtime",
        "localtime", "Europe/../UTC", "../zoneinfo/UTC", "posix/Europe/Berlin",
        "right/UTC", "Fixed/UTC+01:00:00", "zone.tab", "tzdata.zi",
        "posixrules", "Europe/Berlin\n", "europe/berlin", "Europe//Berlin"}) {
    ExpectInvalid(ValidateTimeZone(bad), "time_zone");
  }
}

// absl::LoadTimeZone remembers every name it was asked about, failures too:
// a caller who sends a new unknown name each time would grow the server's
// memory without bound.
TEST(ValidationTest, UnknownTimeZoneNamesDoNotGrowMemory) {
  auto in_use = [] { return mallinfo2().uordblks; };
  for (int i = 0; i < 100; ++i) {
    ValidateTimeZone(absl::StrCat("Mars/Warmup", i)).IgnoreError();
  }
  const size_t before = in_use();
  for (int i = 0; i < 20000; ++i) {
    ExpectInvalid(ValidateTimeZone(absl::StrCat(
                      "Mars/Olympus_Mons_", i, "_", std::string(40, 'x'))),
                  "time_zone");
  }
  const size_t after = in_use();
  EXPECT_LT(after, before + 256 * 1024)
      << "heap grew by " << (after - before) << " bytes";
}

TEST(ValidationTest, ProfileFields) {
  EXPECT_TRUE(ValidateTimeZone("Europe/Berlin").ok());
  EXPECT_TRUE(ValidateTimeZone("").ok());
  ExpectInvalid(ValidateTimeZone("Mars/Olympus"), "time_zone");
  EXPECT_TRUE(ValidateImageUrl("https://cdn.example.com/a.png").ok());
  ExpectInvalid(ValidateImageUrl("javascript:alert(1)"), "image_url");
  ExpectInvalid(ValidateDisplayName(std::string(201, 'x')), "display_name");
  ExpectInvalid(ValidateOrganizationName(""), "name");
  ExpectInvalid(ValidateOrganizationName(" padded "), "name");
  ExpectInvalid(ValidatePrimaryRole("ROOT"), "primary_role");
}

TEST(ValidationTest, PageSize) {
  int size = 0;
  EXPECT_TRUE(ValidatePageSize(0, 50, &size).ok());
  EXPECT_EQ(size, 50);
  EXPECT_TRUE(ValidatePageSize(500, 50, &size).ok());
  ExpectInvalid(ValidatePageSize(501, 50, &size), "page_size");
  ExpectInvalid(ValidatePageSize(-1, 50, &size), "page_size");
}

}  // namespace
}  // namespace identity
