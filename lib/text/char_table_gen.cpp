// Writes the character table (char_table_data.hpp) as C++ source, from what
// ICU says about every BMP character. Run by the build: a process that loads
// a script then reads a constant table instead of spending ~80 ms asking
// ICU's transliterator about 20,000 Han characters.
//
//   patter_char_table_gen OUT.cpp
#include <unicode/uclean.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "text/char_icu.hpp"

namespace {

using patter::detail::kFateCpMask;
using patter::detail::kFateMany;

/// The stored form of entry `e` of character `c`: a distance, not a code
/// point, so that runs of unchanged characters look alike.
std::uint32_t relative(std::uint32_t e, std::uint32_t c) {
  if (e & kFateMany) return e;
  return (e & ~kFateCpMask) | (((e & kFateCpMask) - c) & kFateCpMask);
}

struct TwoLevel {
  int shift = 0;
  std::vector<std::uint16_t> index;
  std::vector<std::uint32_t> blocks;

  std::size_t bytes() const { return index.size() * 2 + blocks.size() * 4; }
};

TwoLevel split(const std::vector<std::uint32_t>& stored, int shift) {
  TwoLevel t;
  t.shift = shift;
  const std::size_t size = std::size_t{1} << shift;
  std::map<std::vector<std::uint32_t>, std::uint16_t> seen;
  for (std::size_t at = 0; at < stored.size(); at += size) {
    std::vector<std::uint32_t> block(stored.begin() + at, stored.begin() + at + size);
    auto [it, fresh] = seen.emplace(block, static_cast<std::uint16_t>(seen.size()));
    if (fresh) t.blocks.insert(t.blocks.end(), block.begin(), block.end());
    t.index.push_back(it->second);
  }
  return t;
}

/// The block size that makes the table smallest.
TwoLevel smallest(const std::vector<std::uint32_t>& base) {
  std::vector<std::uint32_t> stored(base.size());
  for (std::uint32_t c = 0; c < base.size(); ++c) stored[c] = relative(base[c], c);
  TwoLevel best = split(stored, 4);
  for (int shift = 5; shift <= 10; ++shift) {
    TwoLevel t = split(stored, shift);
    if (t.bytes() < best.bytes()) best = std::move(t);
  }
  return best;
}

template <class T>
void write_array(std::ostream& out, const char* decl, const std::vector<T>& v) {
  out << decl << " = {";
  for (std::size_t i = 0; i < v.size(); ++i) {
    out << (i % 8 == 0 ? "\n    " : " ") << "0x" << std::hex << static_cast<std::uint32_t>(v[i])
        << std::dec << ",";
  }
  out << "\n};\n";
}

/// A C++ string literal of `s`, every byte in octal so no escape runs on.
std::string literal(const std::string& s) {
  std::string out = "\"";
  char buf[8];
  for (unsigned char b : s) {
    std::snprintf(buf, sizeof buf, "\\%03o", b);
    out += buf;
  }
  return out + "\"";
}

void write(std::ostream& out, const patter::detail::IcuFates& f) {
  const TwoLevel t = smallest(f.base);
  std::vector<std::uint16_t> zh_char;
  std::vector<std::uint32_t> zh_entry;
  for (std::uint32_t c = 0; c < f.zh.size(); ++c) {
    if (f.zh[c] == f.base[c]) continue;
    zh_char.push_back(static_cast<std::uint16_t>(c));
    zh_entry.push_back(f.zh[c]);
  }
  const std::size_t zh_count = zh_char.size();
  std::vector<std::string> many = f.many;
  const std::size_t many_count = many.size();
  // One unused entry at the end of each list: C++ has no empty arrays.
  zh_char.push_back(0);
  zh_entry.push_back(0);
  many.emplace_back();
  const std::string version = patter::detail::icu_version();
  out << "// Generated at build time by lib/text/char_table_gen.cpp from ICU " << version
      << ": do not edit.\n"
      << "// " << t.bytes() + zh_count * 6 << " bytes of tables, blocks of " << (1 << t.shift)
      << " characters.\n"
      << "#include \"text/char_table_data.hpp\"\n\n"
      << "namespace patter::detail::char_data {\n\n"
      << "const char kIcuVersion[] = \"" << version << "\";\n"
      << "const int kBlockShift = " << t.shift << ";\n"
      << "const std::size_t kBlockCount = " << t.blocks.size() / (std::size_t{1} << t.shift)
      << ";\n";
  write_array(out, "const std::uint16_t kIndex[]", t.index);
  write_array(out, "const std::uint32_t kBlocks[]", t.blocks);
  out << "const std::size_t kZhCount = " << zh_count << ";\n";
  write_array(out, "const std::uint16_t kZhChar[]", zh_char);
  write_array(out, "const std::uint32_t kZhEntry[]", zh_entry);
  out << "const std::size_t kManyCount = " << many_count << ";\n"
      << "const char* const kMany[] = {\n";
  for (const std::string& s : many) out << "    " << literal(s) << ",\n";
  out << "};\n\n}  // namespace patter::detail::char_data\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT.cpp\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    write(out, patter::detail::icu_fates());
    if (!out.flush()) {
      std::fprintf(stderr, "%s: cannot write %s\n", argv[0], partial.c_str());
      return 1;
    }
  }
  // Renamed only when whole, so an interrupted build never leaves half a table.
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    std::fprintf(stderr, "%s: cannot rename %s to %s\n", argv[0], partial.c_str(), path.c_str());
    return 1;
  }
  u_cleanup();  // ICU's caches, freed so leak checkers in sanitizer builds stay quiet
  return 0;
}
