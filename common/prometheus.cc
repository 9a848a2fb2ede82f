#include "common/prometheus.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace identity::prometheus {
namespace {

std::string Escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string Number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return absl::StrFormat("%.17g", v);
}

std::string LabelSet(const Labels& names, const Labels& values,
                     const std::string& extra = "") {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    absl::StrAppend(&out, out.empty() ? "" : ",", names[i], "=\"",
                    Escape(values[i]), "\"");
  }
  if (!extra.empty()) absl::StrAppend(&out, out.empty() ? "" : ",", extra);
  return out.empty() ? "" : absl::StrCat("{", out, "}");
}

}  // namespace

void RenderHeader(std::string* out, const std::string& name,
                  const std::string& help, const std::string& type) {
  absl::StrAppend(out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ",
                  type, "\n");
}

void RenderSample(std::string* out, const std::string& name,
                  const Labels& label_names, const Labels& values,
                  double value) {
  absl::StrAppend(out, name, LabelSet(label_names, values), " ", Number(value),
                  "\n");
}

void RenderGauge(std::string* out, const std::string& name,
                 const std::string& help, double value) {
  RenderHeader(out, name, help, "gauge");
  RenderSample(out, name, {}, {}, value);
}

CounterFamily::Cell* CounterFamily::CellFor(const Labels& values) {
  absl::MutexLock lock(&mu_);
  return &cells_[values];
}

void CounterFamily::Render(std::string* out) const {
  RenderHeader(out, name_, help_, "counter");
  absl::MutexLock lock(&mu_);
  for (const auto& [labels, cell] : cells_) {
    RenderSample(out, name_, label_names_, labels, cell.value());
  }
}

HistogramFamily::Cell* HistogramFamily::CellFor(const Labels& values) {
  absl::MutexLock lock(&mu_);
  return &cells_.try_emplace(values, &bounds_).first->second;
}

void HistogramFamily::Cell::Observe(double value) {
  for (size_t i = 0; i < bounds_->size(); ++i) {
    if (value <= (*bounds_)[i]) {
      buckets_[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  count_.fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, value);
}

void HistogramFamily::Render(std::string* out) const {
  RenderHeader(out, name_, help_, "histogram");
  absl::MutexLock lock(&mu_);
  for (const auto& [labels, cell] : cells_) {
    // Read while observations go on: the count is read last so that the
    // +Inf bucket never falls below a finite one.
    uint64_t cumulative = 0;
    for (size_t i = 0; i < bounds_.size(); ++i) {
      cumulative += cell.buckets_[i].load(std::memory_order_relaxed);
      absl::StrAppend(out, name_, "_bucket",
                      LabelSet(label_names_, labels,
                               absl::StrCat("le=\"", Number(bounds_[i]), "\"")),
                      " ", cumulative, "\n");
    }
    const double sum = cell.sum_.load(std::memory_order_relaxed);
    const uint64_t count =
        std::max(cumulative, cell.count_.load(std::memory_order_relaxed));
    absl::StrAppend(out, name_, "_bucket",
                    LabelSet(label_names_, labels, "le=\"+Inf\""), " ",
                    count, "\n");
    absl::StrAppend(out, name_, "_sum", LabelSet(label_names_, labels), " ",
                    Number(sum), "\n");
    absl::StrAppend(out, name_, "_count", LabelSet(label_names_, labels), " ",
                    count, "\n");
  }
}

CounterFamily* Registry::AddCounter(std::string name, std::string help,
                                    Labels labels) {
  absl::MutexLock lock(&mu_);
  counters_.push_back(std::make_unique<CounterFamily>(
      std::move(name), std::move(help), std::move(labels)));
  return counters_.back().get();
}

HistogramFamily* Registry::AddHistogram(std::string name, std::string help,
                                        Labels labels,
                                        std::vector<double> bounds) {
  absl::MutexLock lock(&mu_);
  histograms_.push_back(std::make_unique<HistogramFamily>(
      std::move(name), std::move(help), std::move(labels), std::move(bounds)));
  return histograms_.back().get();
}

void Registry::AddCollector(std::function<void(std::string*)> collect) {
  absl::MutexLock lock(&mu_);
  collectors_.push_back(std::move(collect));
}

std::string Registry::Render() const {
  std::string out;
  absl::MutexLock lock(&mu_);
  for (const auto& c : counters_) c->Render(&out);
  for (const auto& h : histograms_) h->Render(&out);
  for (const auto& collect : collectors_) collect(&out);
  return out;
}

}  // namespace identity::prometheus
