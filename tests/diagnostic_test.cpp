// Every diagnostic code has a fixture in tests/fixtures named after it
// (P021-unknown_node.yaml) whose header says where the diagnostic must point:
//   # expect: P021 17:26
//   # options: max_elements=150      (optional LoadOptions overrides)
#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;

namespace {

struct Fixture {
  std::string path;
  std::string code;  // "P021"
  std::uint32_t line = 0, column = 0;
  patter::LoadOptions options;
};

std::vector<Fixture> fixtures() {
  std::vector<Fixture> out;
  for (const auto& e : fs::directory_iterator(PATTER_FIXTURES_DIR)) {
    const std::string name = e.path().filename().string();
    if (name.size() < 5 || name[0] != 'P') continue;
    Fixture f;
    f.path = e.path().string();
    f.code = name.substr(0, 4);
    if (e.is_directory()) {  // P001: something that is not a readable file
      out.push_back(f);
      continue;
    }
    std::ifstream in(f.path, std::ios::binary);
    std::string line;
    while (std::getline(in, line) && line.rfind("#", 0) == 0) {
      std::smatch m;
      if (std::regex_search(line, m, std::regex(R"(expect: (P\d{3}) (\d+):(\d+))"))) {
        EXPECT_EQ(m[1].str(), f.code) << f.path << ": header and file name disagree";
        f.line = static_cast<std::uint32_t>(std::stoul(m[2]));
        f.column = static_cast<std::uint32_t>(std::stoul(m[3]));
      }
      if (std::regex_search(line, m, std::regex(R"(max_file_bytes=(\d+))")))
        f.options.max_file_bytes = std::stoul(m[1]);
      if (std::regex_search(line, m, std::regex(R"(max_elements=(\d+))")))
        f.options.max_elements = std::stoul(m[1]);
    }
    out.push_back(f);
  }
  std::sort(out.begin(), out.end(), [](const Fixture& a, const Fixture& b) { return a.path < b.path; });
  return out;
}

}  // namespace

TEST(Diagnostics, EveryCodeHasAFixtureNamedAfterIt) {
  std::map<std::string, std::string> files;
  for (const auto& f : fixtures()) files[f.code] = fs::path(f.path).filename().string();
  for (patter::Code c : patter::all_codes()) {
    const std::string name = patter::code_name(c);
    ASSERT_TRUE(files.count(name)) << "no fixture for " << name << " (" << patter::code_id(c) << ")";
    EXPECT_EQ(files[name], name + "-" + std::string(patter::code_id(c)) + ".yaml");
  }
}

TEST(Diagnostics, EachFixtureGivesItsCodeAtItsPlace) {
  const auto all = fixtures();
  ASSERT_GE(all.size(), patter::all_codes().size());
  for (const Fixture& f : all) {
    SCOPED_TRACE(f.path);
    const patter::LoadResult r = patter::load_file(f.path, f.options);
    const patter::Diagnostic* hit = nullptr;
    for (const auto& d : r.diagnostics)
      if (patter::code_name(d.code) == f.code) hit = &d;
    ASSERT_NE(hit, nullptr) << "expected " << f.code;
    EXPECT_EQ(hit->where.file, f.path);
    EXPECT_EQ(hit->where.line, f.line);
    EXPECT_EQ(hit->where.column, f.column);
    EXPECT_FALSE(hit->message.empty());
    if (hit->severity == patter::Severity::error) {
      EXPECT_FALSE(r.ok()) << "an error must withhold the script";
    } else {
      EXPECT_TRUE(r.ok()) << "a warning or note must not withhold the script";
      EXPECT_FALSE(patter::has_errors(r.diagnostics));
    }
  }
}

TEST(Diagnostics, FormatIsCompilerStyle) {
  patter::Diagnostic d;
  d.where = {"s.yaml", 12, 9};
  d.code = patter::Code::unknown_node;
  d.message = "route target: there is no node `bey`";
  d.hint = "did you mean `bye`?";
  EXPECT_EQ(patter::format(d), "s.yaml:12:9: error[P021]: route target: there is no node `bey`; did you mean `bye`?");
  d.where = {"s.yaml", 0, 0};
  d.hint.clear();
  d.severity = patter::Severity::warning;
  EXPECT_EQ(patter::format(d), "s.yaml: warning[P021]: route target: there is no node `bey`");
}

TEST(Diagnostics, CodesAreStable) {
  EXPECT_EQ(patter::code_name(patter::Code::io_error), "P001");
  EXPECT_EQ(patter::code_name(patter::Code::unknown_node), "P021");
  EXPECT_EQ(patter::code_name(patter::Code::trap_cycle), "P042");
  EXPECT_EQ(patter::code_id(patter::Code::trap_cycle), "trap_cycle");
  EXPECT_EQ(patter::all_codes().size(), 31u);
  EXPECT_EQ(patter::code_id(patter::Code::fallback_cut_short), "fallback_cut_short");
}

TEST(Diagnostics, HasErrorsIgnoresWarnings) {
  std::vector<patter::Diagnostic> ds(1);
  ds[0].severity = patter::Severity::warning;
  EXPECT_FALSE(patter::has_errors(ds));
  ds.push_back({});
  EXPECT_TRUE(patter::has_errors(ds));
}
