#include "common/token_buckets.h"

#include "gtest/gtest.h"

namespace identity {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'000'000);

TEST(TokenBuckets, ABurstIsAllowedThenTheKeyWaitsForItsRefill) {
  TokenBuckets buckets({/*per_minute=*/60, /*burst=*/3, /*max_keys=*/1000});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(buckets.Wait("a", kStart), absl::ZeroDuration());
    buckets.Take("a", kStart);
  }
  EXPECT_EQ(buckets.Wait("a", kStart), absl::Seconds(1));
  EXPECT_EQ(buckets.Wait("b", kStart), absl::ZeroDuration()) << "keys apart";
  EXPECT_EQ(buckets.Wait("a", kStart + absl::Seconds(1)), absl::ZeroDuration());
}

TEST(TokenBuckets, ZeroPerMinuteNeverLimitsNorStores) {
  TokenBuckets buckets({0, 1, 1000});
  for (int i = 0; i < 10; ++i) buckets.Take("a", kStart);
  EXPECT_EQ(buckets.Wait("a", kStart), absl::ZeroDuration());
  EXPECT_EQ(buckets.size(), 0u);
}

TEST(TokenBuckets, MemoryStaysBoundedUnderASprayOfFreshKeys) {
  // One a minute: no bucket refills during the spray, so none is full and
  // the oldest ones have to go.
  TokenBuckets buckets({1, 1, 1000});
  const absl::Time end = kStart + absl::Milliseconds(19999);
  for (int i = 0; i < 20000; ++i) {
    buckets.Take("spray-" + std::to_string(i), kStart + absl::Milliseconds(i));
  }
  EXPECT_LE(buckets.size(), 1000u);
  EXPECT_GT(buckets.Wait("spray-19999", end), absl::ZeroDuration())
      << "the newest keys are kept";
  EXPECT_EQ(buckets.Wait("spray-0", end), absl::ZeroDuration())
      << "the oldest were dropped";
}

TEST(TokenBuckets, RefilledBucketsAreDroppedFirst) {
  TokenBuckets buckets({60, 1, 1000});
  for (int i = 0; i < 1000; ++i) buckets.Take(std::to_string(i), kStart);
  // A minute later every bucket is full again: all of them go at once.
  buckets.Take("late", kStart + absl::Minutes(1));
  EXPECT_EQ(buckets.size(), 1u);
}

}  // namespace
}  // namespace identity
