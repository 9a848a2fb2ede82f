#include "bench/load_driver.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace identity::bench {
namespace {

struct ThreadTally {
  std::vector<absl::Duration> latencies;
  int64_t failed = 0;
};

struct Tally {
  std::vector<absl::Duration> latencies;
  int64_t failed = 0;
  absl::Duration elapsed;
};

std::string Millis(absl::Duration d) {
  return absl::StrFormat("%.2f ms", absl::ToDoubleMilliseconds(d));
}

// Runs `op` from `threads` threads for `warmup` (not counted), then
// `duration`, adding what it measured to `into`.
void Measure(int threads, absl::Duration warmup, absl::Duration duration,
             const std::function<bool(int thread)>& op, Tally* into) {
  std::vector<ThreadTally> tallies(threads);
  std::atomic<bool> measuring{false};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      while (!stop.load(std::memory_order_relaxed)) {
        const absl::Time start = absl::Now();
        const bool ok = op(t);
        if (!measuring.load(std::memory_order_relaxed)) continue;
        if (ok) {
          tallies[t].latencies.push_back(absl::Now() - start);
        } else {
          ++tallies[t].failed;
        }
      }
    });
  }
  absl::SleepFor(warmup);
  measuring = true;
  const absl::Time begin = absl::Now();
  absl::SleepFor(duration);
  measuring = false;
  into->elapsed += absl::Now() - begin;
  stop = true;
  for (std::thread& w : workers) w.join();
  for (ThreadTally& t : tallies) {
    into->latencies.insert(into->latencies.end(), t.latencies.begin(),
                           t.latencies.end());
    into->failed += t.failed;
  }
}

LoadResult Summarize(const std::string& name, Tally& tally) {
  LoadResult r;
  r.name = name;
  r.failed = tally.failed;
  r.ok = static_cast<int64_t>(tally.latencies.size());
  r.per_second = r.ok / absl::ToDoubleSeconds(tally.elapsed);
  std::vector<absl::Duration>& all = tally.latencies;
  if (!all.empty()) {
    std::sort(all.begin(), all.end());
    r.p50 = all[all.size() / 2];
    r.p99 = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return r;
}

}  // namespace

LoadResult RunLoad(const std::string& name, int threads, absl::Duration warmup,
                   absl::Duration duration,
                   const std::function<bool(int thread)>& op) {
  Tally tally;
  Measure(threads, warmup, duration, op, &tally);
  return Summarize(name, tally);
}

std::vector<LoadResult> RunInterleaved(const std::vector<Op>& ops, int threads,
                                       absl::Duration warmup,
                                       absl::Duration duration, int rounds) {
  std::vector<Tally> tallies(ops.size());
  for (int round = 0; round < rounds; ++round) {
    for (size_t i = 0; i < ops.size(); ++i) {
      Measure(ops[i].threads > 0 ? ops[i].threads : threads,
              round == 0 ? warmup : warmup / 4, duration / rounds, ops[i].run,
              &tallies[i]);
    }
  }
  std::vector<LoadResult> results;
  for (size_t i = 0; i < ops.size(); ++i) {
    results.push_back(Summarize(ops[i].name, tallies[i]));
  }
  return results;
}

std::string Table(const std::vector<Row>& rows) {
  std::string out =
      "| operation | ops/s | p50 | p99 | failed | ratio to baseline |\n"
      "|---|---:|---:|---:|---:|---|\n";
  for (const Row& row : rows) {
    std::string ratio = "baseline";
    for (const Row& base : rows) {
      if (!row.baseline.empty() && base.result.name == row.baseline &&
          base.result.per_second > 0) {
        ratio = absl::StrFormat("%.2f of %s", row.result.per_second /
                                                  base.result.per_second,
                                row.baseline);
      }
    }
    const LoadResult& r = row.result;
    out += absl::StrFormat("| %s | %.0f | %s | %s | %d | %s |\n", r.name,
                           r.per_second, Millis(r.p50), Millis(r.p99),
                           r.failed, ratio);
  }
  return out;
}

}  // namespace identity::bench
