#include "text/suggest.hpp"

#include "text/utf8.hpp"

#include <algorithm>
#include <cstdint>

namespace patter::detail {
namespace {
std::u32string decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) out.push_back(decode_utf8(s, i));
  return out;
}
}  // namespace

std::size_t edit_distance(std::string_view as, std::string_view bs) {
  const std::u32string a = decode(as), b = decode(bs);
  const std::size_t n = a.size(), m = b.size();
  if (n > 64 || m > 64) return std::max(n, m);  // names are short; bound the work
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[m];
}

std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_d = SIZE_MAX;
  const std::size_t len = decode(word).size();
  if (len < 3) return best;  // one or two letters: any suggestion would be a guess
  const std::size_t limit = std::max<std::size_t>(1, len / 3);
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d && d <= limit) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  if (auto c = closest(word, candidates)) return "did you mean `" + *c + "`?";
  return {};
}

}  // namespace patter::detail
