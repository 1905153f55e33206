// The character table as generated at build time by char_table_gen.cpp
// (the definitions live in the build tree, char_table_data.cpp). Only
// char_table.cpp reads it, and the tests that check it against ICU.
#pragma once

#include <cstddef>
#include <cstdint>

namespace patter::detail::char_data {

/// Two levels: kIndex[c >> kBlockShift] names a block of 1 << kBlockShift
/// entries in kBlocks. A stored entry is fate_table()'s entry, except that a
/// single code point is kept as its distance from the character (modulo
/// 2^21): characters that stay themselves, most of them, then make equal
/// blocks, and equal blocks are stored once.
extern const int kBlockShift;
extern const std::uint16_t kIndex[];
extern const std::uint32_t kBlocks[];
extern const std::size_t kBlockCount;

/// Where zh differs from the base table (Traditional to Simplified), in
/// increasing order of character; entries as in fate_table().
extern const std::uint16_t kZhChar[];
extern const std::uint32_t kZhEntry[];
extern const std::size_t kZhCount;

/// What characters that become several code points become, as UTF-8.
extern const char* const kMany[];
extern const std::size_t kManyCount;

/// The ICU version the table was generated with, e.g. "72.1".
extern const char kIcuVersion[];

}  // namespace patter::detail::char_data
