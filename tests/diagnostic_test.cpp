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

// `# options: max_nodes=2 max_line_bytes=40`: LoadOptions the CLI does not expose.
void set_options(const std::string& path, const std::string& list, patter::LoadOptions& o) {
  static const std::map<std::string, std::size_t patter::LoadOptions::*> names = {
      {"max_file_bytes", &patter::LoadOptions::max_file_bytes},
      {"max_depth", &patter::LoadOptions::max_depth},
      {"max_elements", &patter::LoadOptions::max_elements},
      {"max_includes", &patter::LoadOptions::max_includes},
      {"max_nodes", &patter::LoadOptions::max_nodes},
      {"max_intents", &patter::LoadOptions::max_intents},
      {"max_phrases", &patter::LoadOptions::max_phrases},
      {"max_phrases_per_intent", &patter::LoadOptions::max_phrases_per_intent},
      {"max_patterns", &patter::LoadOptions::max_patterns},
      {"max_variables", &patter::LoadOptions::max_variables},
      {"max_routes_per_node", &patter::LoadOptions::max_routes_per_node},
      {"max_phrase_bytes", &patter::LoadOptions::max_phrase_bytes},
      {"max_line_bytes", &patter::LoadOptions::max_line_bytes},
      {"max_tags", &patter::LoadOptions::max_tags},
  };
  std::istringstream words(list);
  std::string word;
  while (words >> word) {
    const auto eq = word.find('=');
    const auto it = names.find(word.substr(0, eq));
    if (eq == std::string::npos || it == names.end()) {
      ADD_FAILURE() << path << ": unknown option `" << word << "`";
      continue;
    }
    o.*(it->second) = std::stoul(word.substr(eq + 1));
  }
}

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
      if (line.rfind("# options:", 0) == 0) set_options(f.path, line.substr(10), f.options);
    }
    out.push_back(f);
  }
  std::sort(out.begin(), out.end(),
            [](const Fixture& a, const Fixture& b) { return a.path < b.path; });
  return out;
}

}  // namespace

TEST(Diagnostics, EveryCodeHasAFixtureNamedAfterIt) {
  std::map<std::string, std::string> files;
  for (const auto& f : fixtures()) files[f.code] = fs::path(f.path).filename().string();
  for (patter::Code c : patter::all_codes()) {
    const std::string name = patter::code_name(c);
    ASSERT_TRUE(files.count(name))
        << "no fixture for " << name << " (" << patter::code_id(c) << ")";
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
  EXPECT_EQ(patter::format(d),
            "s.yaml:12:9: error[P021]: route target: there is no node `bey`; did you mean `bye`?");
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
  EXPECT_EQ(patter::code_name(patter::Code::too_many_nodes), "P050");
  EXPECT_EQ(patter::code_name(patter::Code::too_many_tags), "P058");
  EXPECT_EQ(patter::all_codes().size(), 66u);
  EXPECT_EQ(patter::code_name(patter::Code::set_unknown_variable), "P060");
  EXPECT_EQ(patter::code_name(patter::Code::branch_loop), "P064");
  EXPECT_EQ(patter::code_name(patter::Code::unknown_global), "P065");
  EXPECT_EQ(patter::code_name(patter::Code::bad_grade_list), "P069");
  EXPECT_EQ(patter::code_name(patter::Code::outside_flow), "P074");
  EXPECT_EQ(patter::code_name(patter::Code::empty_voicemail), "P078");
  EXPECT_EQ(patter::code_name(patter::Code::duplicate_phrase), "P047");
  EXPECT_EQ(patter::code_id(patter::Code::fallback_cut_short), "fallback_cut_short");
}

TEST(Diagnostics, HasErrorsIgnoresWarnings) {
  std::vector<patter::Diagnostic> ds(1);
  ds[0].severity = patter::Severity::warning;
  EXPECT_FALSE(patter::has_errors(ds));
  ds.push_back({});
  EXPECT_TRUE(patter::has_errors(ds));
}
