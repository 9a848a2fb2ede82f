#include "application/page_token.h"

#include "gtest/gtest.h"

namespace identity {
namespace {

constexpr char kId[] = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";

TEST(PageTokenTest, RoundTrips) {
  std::string token = EncodePageToken({"alice@example.com", kId}, "filters");
  auto cursor = DecodePageToken(token, "filters");
  ASSERT_TRUE(cursor.ok()) << cursor.status();
  ASSERT_TRUE(cursor->has_value());
  EXPECT_EQ((*cursor)->sort_key, "alice@example.com");
  EXPECT_EQ((*cursor)->id, kId);
}

TEST(PageTokenTest, EmptyTokenIsTheFirstPage) {
  auto cursor = DecodePageToken("", "filters");
  ASSERT_TRUE(cursor.ok());
  EXPECT_FALSE(cursor->has_value());
}

TEST(PageTokenTest, TokenForOtherFiltersIsRefused) {
  std::string token = EncodePageToken({"a", kId}, "org=1");
  auto cursor = DecodePageToken(token, "org=2");
  EXPECT_EQ(cursor.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(cursor.status().message().find("page_token"),
            absl::string_view::npos);
}

TEST(PageTokenTest, GarbageIsRefused) {
  for (const char* bad : {"x", "!!!!", "cDE", "AAAAAAAAAAAAAAAAAAAAAAAA"}) {
    EXPECT_EQ(DecodePageToken(bad, "f").status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  EXPECT_FALSE(DecodePageToken(std::string(5000, 'A'), "f").ok());
}

}  // namespace
}  // namespace identity
