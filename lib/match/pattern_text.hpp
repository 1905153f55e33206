// The text regex patterns read: the customer's own words, lightly made plain.
//
//   pattern_text("尾号6A8", ...)     // "尾号6A8" itself: case and digits kept
//   pattern_text("$250", ...)        // "$250": symbols kept
//   pattern_text("２５０元", ...)    // "250元", offsets {0,3,6,9,12}: full width made ASCII
//   pattern_text("今年歲數", zh...)  // "今年岁数": Traditional made Simplified (zh)
//
// Phrases match the normalised text, which drops symbols and folds case;
// a capture must keep both ("6A8" compared with a CRM's value). So patterns
// run on this copy, case-insensitively, and where it differs from the
// original `offsets` maps each of its bytes (and its end) back, so a
// capture's span is in the original text. Pure ASCII, the common case for
// English, is returned as is without a copy. Invalid UTF-8 becomes U+FFFD.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "match/pattern_filter.hpp"

namespace patter::detail {

/// `said` itself (and `offsets` emptied), or `light` filled with the plain
/// copy and `offsets` with light.size() + 1 places in `said`. Allocates only
/// when `light` or `offsets` must grow.
std::string_view pattern_text(std::string_view said, bool zh, std::string& light,
                              std::vector<std::uint32_t>& offsets);

/// The characters of what pattern_text(said, zh, ...) returns, added to
/// `bits`, without making the copy: enough to tell whether any pattern
/// needs to run at all.
void pattern_chars(std::string_view said, bool zh, CharBits& bits);

}  // namespace patter::detail
