// A closed-loop load driver: several threads each run an operation back to
// back for a fixed time, and the run is summarised as throughput and
// latency percentiles. Every figure it prints is read next to a baseline
// measured the same way in the same run.
#ifndef IDENTITY_BENCH_LOAD_DRIVER_H_
#define IDENTITY_BENCH_LOAD_DRIVER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace identity::bench {

struct LoadResult {
  std::string name;
  double per_second = 0;
  absl::Duration p50;
  absl::Duration p99;
  int64_t ok = 0;
  int64_t failed = 0;
};

// Runs `op(thread_index)` from `threads` threads for `warmup` (not counted)
// and then `duration`. `op` returns false for a failed operation.
LoadResult RunLoad(const std::string& name, int threads, absl::Duration warmup,
                   absl::Duration duration,
                   const std::function<bool(int thread)>& op);

// An operation to measure: `run(thread_index)` returns false for a failure.
struct Op {
  std::string name;
  std::function<bool(int thread)> run;
  int threads = 0;  // 0: RunInterleaved's `threads`
};

// Measures `ops` in turn, `rounds` times over, each for duration / rounds
// after a short warm-up, so that drifts of the machine (client and servers
// share two vCPUs; back-to-back runs of one row differ by up to a third)
// weigh on an operation and its baseline alike. A result sums its rounds.
std::vector<LoadResult> RunInterleaved(const std::vector<Op>& ops, int threads,
                                       absl::Duration warmup,
                                       absl::Duration duration, int rounds = 5);

// One Markdown table: operation, throughput, p50, p99, failures, and the
// throughput ratio to the named baseline row.
struct Row {
  LoadResult result;
  std::string baseline;  // name of another row; empty for a baseline
};
std::string Table(const std::vector<Row>& rows);

}  // namespace identity::bench

#endif  // IDENTITY_BENCH_LOAD_DRIVER_H_
