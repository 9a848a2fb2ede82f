// Prometheus text-format metrics (exposition format 0.0.4): labelled
// counters and histograms that any layer can update cheaply, and collectors
// that render gauges read at scrape time (pool usage, cache sizes).
#ifndef IDENTITY_COMMON_PROMETHEUS_H_
#define IDENTITY_COMMON_PROMETHEUS_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace identity::prometheus {

using Labels = std::vector<std::string>;  // values, in the family's order

// Adds `by` to a double without a lock (C++17 has no fetch_add for it).
inline void AtomicAdd(std::atomic<double>& to, double by) {
  double was = to.load(std::memory_order_relaxed);
  while (!to.compare_exchange_weak(was, was + by, std::memory_order_relaxed)) {
  }
}

class CounterFamily {
 public:
  // One labelled series. A hot path resolves it once (CellFor) and then
  // counts without a lock, a label allocation or a map search per count.
  class Cell {
   public:
    void Inc(double by = 1) { AtomicAdd(value_, by); }
    double value() const { return value_.load(std::memory_order_relaxed); }

   private:
    std::atomic<double> value_{0};
  };

  CounterFamily(std::string name, std::string help, Labels label_names)
      : name_(std::move(name)), help_(std::move(help)),
        label_names_(std::move(label_names)) {}
  void Inc(const Labels& values, double by = 1) { CellFor(values)->Inc(by); }
  // The series for `values`, created at first use; it lives as long as the
  // family.
  Cell* CellFor(const Labels& values);
  void Render(std::string* out) const;

 private:
  const std::string name_, help_;
  const Labels label_names_;
  mutable absl::Mutex mu_;
  std::map<Labels, Cell> cells_ ABSL_GUARDED_BY(mu_);
};

class HistogramFamily {
 public:
  // One labelled series, as CounterFamily::Cell.
  class Cell {
   public:
    explicit Cell(const std::vector<double>* bounds)
        : bounds_(bounds),
          buckets_(new std::atomic<uint64_t>[bounds->size()]()) {}
    void Observe(double value);

   private:
    friend class HistogramFamily;
    const std::vector<double>* bounds_;
    std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // not cumulative
    std::atomic<uint64_t> count_{0};
    std::atomic<double> sum_{0};
  };

  // `bounds`: upper bounds of the buckets, ascending (+Inf is added).
  HistogramFamily(std::string name, std::string help, Labels label_names,
                  std::vector<double> bounds)
      : name_(std::move(name)), help_(std::move(help)),
        label_names_(std::move(label_names)), bounds_(std::move(bounds)) {}
  void Observe(const Labels& values, double value) {
    CellFor(values)->Observe(value);
  }
  Cell* CellFor(const Labels& values);
  void Render(std::string* out) const;

 private:
  const std::string name_, help_;
  const Labels label_names_;
  const std::vector<double> bounds_;
  mutable absl::Mutex mu_;
  std::map<Labels, Cell> cells_ ABSL_GUARDED_BY(mu_);
};

// Appends one gauge sample with its HELP and TYPE lines.
void RenderGauge(std::string* out, const std::string& name,
                 const std::string& help, double value);
// Appends a HELP/TYPE header, then samples with RenderSample.
void RenderHeader(std::string* out, const std::string& name,
                  const std::string& help, const std::string& type);
void RenderSample(std::string* out, const std::string& name,
                  const Labels& label_names, const Labels& values,
                  double value);

class Registry {
 public:
  CounterFamily* AddCounter(std::string name, std::string help, Labels labels);
  HistogramFamily* AddHistogram(std::string name, std::string help,
                                Labels labels, std::vector<double> bounds);
  // Called at every scrape to append gauges read from elsewhere.
  void AddCollector(std::function<void(std::string* out)> collect);
  std::string Render() const;

 private:
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<CounterFamily>> counters_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<HistogramFamily>> histograms_ ABSL_GUARDED_BY(mu_);
  std::vector<std::function<void(std::string*)>> collectors_ ABSL_GUARDED_BY(mu_);
};

}  // namespace identity::prometheus

#endif  // IDENTITY_COMMON_PROMETHEUS_H_
