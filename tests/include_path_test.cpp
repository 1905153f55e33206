// Where includes may come from: the script's folder and the library
// folders, regular files only, libraries found by name; a refused include
// names its path and the allowed folders and never quotes the file.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <patter/patter.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>

namespace fs = std::filesystem;

namespace {

const char* kSecret = "the-host-password-is-hunter2";

std::string script_including(const std::string& what) {
  return "patter: 1\nid: inc\nlocale: en-US\ninclude: [\"" + what +
         "\"]\nstart: a\nnodes:\n  a:\n    say: hi\n    routes: [{intent: yes, to: b}]\n"
         "  b: {say: bye, hangup: completed}\n";
}

const char* kLibrary = "patter: 1\nlibrary: mine\nlocale: en-US\nintents:\n  yes: [yes, sure]\n";

class IncludePath : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("patter-include-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "scripts" / "sub");
    fs::create_directories(root_ / "libs");
    write(root_ / "secret.yaml", std::string(kSecret) + ": [1]\n");
    write(root_ / "libs" / "mine.yaml", kLibrary);
    ::unsetenv("PATTER_PATH");
  }
  void TearDown() override {
    ::unsetenv("PATTER_PATH");
    fs::remove_all(root_);
  }
  static void write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }
  // Loads scripts/main.yaml including `what`.
  patter::LoadResult load(const std::string& what, const patter::LoadOptions& o = {}) {
    const fs::path main = root_ / "scripts" / "main.yaml";
    write(main, script_including(what));
    return patter::load_file(main.string(), o);
  }
  static std::string dump(const patter::LoadResult& r) {
    std::string out;
    for (const auto& d : r.diagnostics) out += patter::format(d) + "\n";
    return out;
  }
  // The one include error, which must not quote the secret.
  static patter::Diagnostic refusal(const patter::LoadResult& r) {
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(dump(r).find(kSecret), std::string::npos) << dump(r);
    for (const auto& d : r.diagnostics)
      if (d.code == patter::Code::include_error) return d;
    ADD_FAILURE() << "no P029 in:\n" << dump(r);
    return r.diagnostics.at(0);
  }
  fs::path root_;
};

TEST_F(IncludePath, APathOutsideTheAllowedFoldersIsRefusedWithoutQuotingIt) {
  const patter::Diagnostic d = refusal(load("../secret.yaml"));
  EXPECT_EQ(d.where.line, 4u);  // at the include
  EXPECT_NE(d.message.find("secret.yaml"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("outside the folders"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find((root_ / "scripts").string()), std::string::npos) << d.message;
  EXPECT_NE(d.hint.find("PATTER_PATH"), std::string::npos) << d.hint;
  // The same file is fine from a folder the host allows.
  patter::LoadOptions o;
  o.include_folders = {root_.string()};
  const patter::LoadResult allowed = load("../secret.yaml", o);
  EXPECT_NE(dump(allowed).find(kSecret), std::string::npos);  // read, then found wrong
}

TEST_F(IncludePath, AnAbsolutePathOutsideIsRefused) {
  refusal(load("/etc/passwd"));
}

TEST_F(IncludePath, ASymbolicLinkOutOfTheFoldersIsRefused) {
  fs::create_symlink(root_ / "secret.yaml", root_ / "scripts" / "innocent.yaml");
  const patter::Diagnostic d = refusal(load("innocent.yaml"));
  EXPECT_NE(d.message.find("outside the folders"), std::string::npos) << d.message;
  // A link that stays inside is followed.
  write(root_ / "scripts" / "sub" / "real.yaml", kLibrary);
  fs::create_symlink(root_ / "scripts" / "sub" / "real.yaml", root_ / "scripts" / "link.yaml");
  const patter::LoadResult r = load("link.yaml");
  EXPECT_TRUE(r.ok()) << dump(r);
}

TEST_F(IncludePath, DevZeroIsRefusedAtOnce) {
  EXPECT_NE(refusal(load("/dev/zero")).message.find("outside the folders"), std::string::npos);
  // Even from an allowed folder: it is not a regular file, so not a byte is read.
  patter::LoadOptions o;
  o.include_folders = {"/dev"};
  const patter::Diagnostic d = refusal(load("/dev/zero", o));
  EXPECT_NE(d.message.find("not a regular file"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("/dev/zero"), std::string::npos) << d.message;
}

TEST_F(IncludePath, AFifoIsRefusedAtOnceAndAFolderToo) {
  const fs::path fifo = root_ / "scripts" / "pipe.yaml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto loading = std::async(std::launch::async, [&] { return load("pipe.yaml"); });
  if (loading.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    std::ofstream unblock(fifo);  // a writer lets a blocked reader go on
    FAIL() << "loading waited on a FIFO";
  }
  const patter::LoadResult r = loading.get();
  EXPECT_NE(refusal(r).message.find("not a regular file"), std::string::npos) << dump(r);
  EXPECT_NE(refusal(load("sub/")).message.find("folder"), std::string::npos);
}

TEST_F(IncludePath, ALibraryIsFoundByNameInTheIncludeFolders) {
  patter::LoadOptions o;
  o.include_folders = {(root_ / "nowhere").string(), (root_ / "libs").string()};
  const patter::LoadResult r = load("mine", o);
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.script->files().at(1), (root_ / "libs" / "mine.yaml").string());
}

TEST_F(IncludePath, PatterPathIsALibraryPath) {
  ::setenv("PATTER_PATH", ((root_ / "nowhere").string() + ":" + (root_ / "libs").string()).c_str(),
           1);
  const patter::LoadResult r = load("mine");
  ASSERT_TRUE(r.ok()) << dump(r);
  const std::vector<std::string> path = patter::library_path();
  ASSERT_GE(path.size(), 2u);
  EXPECT_EQ(path[1], (root_ / "libs").string());
  // A host that wants only its own folders turns the default path off.
  patter::LoadOptions own;
  own.default_library_path = false;
  const patter::Diagnostic d = refusal(load("mine", own));
  EXPECT_NE(d.message.find("no library folder to look for `mine`"), std::string::npos) << d.message;
}

TEST_F(IncludePath, AMissingLibraryNamesTheFoldersLookedIn) {
  patter::LoadOptions o;
  o.include_folders = {(root_ / "libs").string()};
  const patter::Diagnostic d = refusal(load("common.xx-XX", o));
  EXPECT_NE(d.message.find("no library `common.xx-XX`"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find((root_ / "libs").string()), std::string::npos) << d.message;
  EXPECT_NE(d.hint.find("common.xx-XX.yaml"), std::string::npos) << d.hint;
}

TEST(IncludeByName, TheBundledLibrariesAreFoundFromAStringToo) {
  std::string text = script_including("common.en-US");
  text.replace(text.find("intent: yes"), 11, "intent: ask_price");
  const patter::LoadResult r = patter::load_string(text, "inline.yaml");
  ASSERT_TRUE(r.ok()) << (r.diagnostics.empty() ? "" : patter::format(r.diagnostics[0]));
  EXPECT_TRUE(r.script->find_intent("ask_price").has_value());
}

TEST(IncludeByName, WithNoLibraryFolderANameIsRefused) {
  patter::LoadOptions none;
  none.default_library_path = false;
  const patter::LoadResult r = patter::load_string(script_including("mine"), "main.yaml", none);
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.at(0).code, patter::Code::include_error);
  EXPECT_NE(r.diagnostics[0].message.find("no library folder to look for `mine`"),
            std::string::npos)
      << r.diagnostics[0].message;
}

TEST(IncludeByName, AReadFileHookIsAskedForEachLibraryFolder) {
  patter::LoadOptions o;
  o.include_folders = {"first", "second"};
  o.default_library_path = false;
  std::vector<std::string> asked;
  o.read_file = [&](const std::string& p) -> std::optional<std::string> {
    asked.push_back(p);
    if (p == "second/mine.yaml") return std::string(kLibrary);
    return std::nullopt;
  };
  const patter::LoadResult r = patter::load_string(script_including("mine"), "main.yaml", o);
  ASSERT_TRUE(r.ok()) << (r.diagnostics.empty() ? "" : patter::format(r.diagnostics[0]));
  EXPECT_EQ(asked, (std::vector<std::string>{"first/mine.yaml", "second/mine.yaml"}));
}

}  // namespace
