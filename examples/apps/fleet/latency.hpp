// latency.hpp — per-turn latencies, summarised as a median and a 99th percentile.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace fleet {

class Latency {
 public:
  void add(std::chrono::steady_clock::duration d) {
    us_.push_back(static_cast<float>(std::chrono::duration<double, std::micro>(d).count()));
  }
  std::size_t count() const { return us_.size(); }
  /// The q-quantile in microseconds (0 when empty).
  double quantile_us(double q) {
    if (us_.empty()) return 0;
    const std::size_t k =
        std::min(us_.size() - 1, static_cast<std::size_t>(q * static_cast<double>(us_.size())));
    std::nth_element(us_.begin(), us_.begin() + static_cast<std::ptrdiff_t>(k), us_.end());
    return us_[k];
  }
  /// "median 0.84 ms, p99 3.1 ms (60312 turns)"
  std::string summary() {
    auto ms = [](double us) {
      char buf[32];
      std::snprintf(buf, sizeof buf, us < 100 ? "%.3f ms" : "%.2f ms", us / 1000.0);
      return std::string(buf);
    };
    return "median " + ms(quantile_us(0.5)) + ", p99 " + ms(quantile_us(0.99)) + " (" +
           std::to_string(count()) + " turns)";
  }

 private:
  std::vector<float> us_;
};

}  // namespace fleet
