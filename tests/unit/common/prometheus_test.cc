// Counters and histograms: series resolved once and updated without a lock
// add up to what the exposition shows, from any number of threads.
#include "common/prometheus.h"

#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace identity::prometheus {
namespace {

TEST(PrometheusTest, CellsAndLabelledIncrementsAreOneSeries) {
  Registry registry;
  CounterFamily* requests =
      registry.AddCounter("rpc_total", "Calls.", {"method", "code"});
  CounterFamily::Cell* ok = requests->CellFor({"a/B", "OK"});
  ok->Inc();
  requests->Inc({"a/B", "OK"});
  EXPECT_EQ(requests->CellFor({"a/B", "OK"}), ok) << "the same series";
  const std::string text = registry.Render();
  EXPECT_TRUE(absl::StrContains(text, "rpc_total{method=\"a/B\",code=\"OK\"} 2\n"))
      << text;
}

TEST(PrometheusTest, ConcurrentCountsAreNotLost) {
  Registry registry;
  CounterFamily* counter = registry.AddCounter("c_total", "C.", {"k"});
  HistogramFamily* latency =
      registry.AddHistogram("d_seconds", "D.", {"k"}, {0.001, 0.01});
  CounterFamily::Cell* cell = counter->CellFor({"x"});
  HistogramFamily::Cell* series = latency->CellFor({"x"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25000; ++i) {
        cell->Inc();
        series->Observe(t % 2 == 0 ? 0.0009765625 : 0.5);  // exact in binary
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const std::string text = registry.Render();
  EXPECT_TRUE(absl::StrContains(text, "c_total{k=\"x\"} 100000\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "d_seconds_bucket{k=\"x\",le=\"0.001\"} 50000\n"))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "d_seconds_bucket{k=\"x\",le=\"0.01\"} 50000\n"))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "d_seconds_bucket{k=\"x\",le=\"+Inf\"} 100000\n"))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "d_seconds_count{k=\"x\"} 100000\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "d_seconds_sum{k=\"x\"} 25048.828125\n")) << text;
}

}  // namespace
}  // namespace identity::prometheus
