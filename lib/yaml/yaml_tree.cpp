#include "yaml/yaml_tree.hpp"

#include "text/utf8.hpp"
#include "yaml/expansion.hpp"
#include "yaml/fast_yaml.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <unordered_map>

namespace patter::detail {
namespace {

struct Abort {
  YamlError error;
};

// Columns from yaml-cpp count bytes; authors' editors count characters.
std::uint32_t char_column(std::string_view text, const YAML::Mark& m) {
  if (m.pos < 0 || static_cast<std::size_t>(m.pos) > text.size()) return m.column + 1;
  std::size_t start = static_cast<std::size_t>(m.pos);
  while (start > 0 && text[start - 1] != '\n') --start;
  std::uint32_t col = 1;
  for (std::size_t i = start; i < static_cast<std::size_t>(m.pos); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++col;
  return col;
}

// yaml-cpp quotes single bytes of the text in some messages ("unknown escape
// character: " and the first byte of `\嗯`), cutting a character in two;
// what reaches the author stays UTF-8, a cut character becoming U+FFFD.
std::string utf8_message(const std::string& msg) {
  if (find_invalid_utf8(msg) == std::string_view::npos) return msg;
  std::string out;
  for (std::size_t i = 0; i < msg.size();) append_utf8(out, decode_utf8(msg, i));
  return out;
}

class Builder final : public YAML::EventHandler {
 public:
  Builder(YamlTree& tree, std::string_view text, std::size_t max_depth, std::size_t max_elements,
          std::size_t max_expanded_bytes)
      : tree_(tree),
        text_(text),
        max_depth_(max_depth),
        budget_(max_expanded_bytes, max_elements) {}

  bool saw_root() const { return saw_root_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    add(make(YamlNode::Kind::null, mark), anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      add(make(YamlNode::Kind::null, mark), 0);
      return;
    }
    budget_.alias(tree_, it->second);
    check(mark);
    attach(it->second);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    std::uint32_t id = make(YamlNode::Kind::scalar, mark);
    tree_.nodes_[id].value = tree_.own(value);
    budget_.bytes(value.size());
    check(mark);
    tree_.nodes_[id].quoted = (tag == "!");
    if (mark.pos >= 0 && static_cast<std::size_t>(mark.pos) < text_.size() &&
        (text_[mark.pos] == '"' || text_[mark.pos] == '\''))
      tree_.nodes_[id].inner = 1;
    add(id, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(make(YamlNode::Kind::sequence, mark), anchor, mark);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(make(YamlNode::Kind::map, mark), anchor, mark);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    std::uint32_t id;
    std::vector<std::uint32_t> items;
  };

  // Refuses at `mark` once the document, aliases written out, is past a budget.
  void check(const YAML::Mark& mark) const {
    const Expansion::Over over = budget_.over();
    if (over == Expansion::Over::none) return;
    throw Abort{
        {over == Expansion::Over::bytes ? YamlError::Kind::too_large : YamlError::Kind::too_many,
         static_cast<std::uint32_t>(mark.line + 1), char_column(text_, mark), ""}};
  }
  std::uint32_t make(YamlNode::Kind kind, const YAML::Mark& mark) {
    budget_.element();
    check(mark);
    YamlNode n;
    n.kind = kind;
    n.line = static_cast<std::uint32_t>(mark.line + 1);
    n.column = char_column(text_, mark);
    tree_.nodes_.push_back(std::move(n));
    return static_cast<std::uint32_t>(tree_.nodes_.size() - 1);
  }
  void add(std::uint32_t id, YAML::anchor_t anchor) {
    if (anchor != 0) anchors_[anchor] = id;
    attach(id);
  }
  void attach(std::uint32_t id) {
    if (stack_.empty()) {
      if (!saw_root_) {
        tree_.root_ = id;
        saw_root_ = true;
      }
    } else {
      stack_.back().items.push_back(id);
    }
  }
  void open(std::uint32_t id, YAML::anchor_t anchor, const YAML::Mark& mark) {
    if (stack_.size() + 1 > max_depth_) {
      throw Abort{{YamlError::Kind::too_deep, static_cast<std::uint32_t>(mark.line + 1),
                   char_column(text_, mark), ""}};
    }
    if (anchor != 0) {
      anchors_[anchor] = id;
      budget_.open(id);
    }
    attach(id);
    stack_.push_back({id, {}});
  }
  void close() {
    Open o = std::move(stack_.back());
    stack_.pop_back();
    YamlNode& n = tree_.nodes_[o.id];
    n.first = static_cast<std::uint32_t>(tree_.children_.size());
    n.size = static_cast<std::uint32_t>(o.items.size());
    tree_.children_.insert(tree_.children_.end(), o.items.begin(), o.items.end());
    budget_.close(o.id);
  }

  YamlTree& tree_;
  std::string_view text_;
  std::size_t max_depth_;
  Expansion budget_;
  bool saw_root_ = false;
  std::vector<Open> stack_;
  std::unordered_map<YAML::anchor_t, std::uint32_t> anchors_;
};

}  // namespace

bool YamlTree::parse(std::string_view text, std::size_t max_depth, std::size_t max_elements,
                     YamlError& error, std::size_t max_expanded_bytes) {
  if (fast_parse_yaml(text, max_depth, max_elements, *this, max_expanded_bytes)) return true;
  return parse_with_yaml_cpp(text, max_depth, max_elements, error, max_expanded_bytes);
}

bool YamlTree::parse_with_yaml_cpp(std::string_view text, std::size_t max_depth,
                                   std::size_t max_elements, YamlError& error,
                                   std::size_t max_expanded_bytes) {
  nodes_.clear();
  children_.clear();
  owned_.clear();
  nodes_.reserve(text.size() / 16 + 8);
  children_.reserve(text.size() / 16 + 8);
  std::istringstream in{std::string(text)};
  Builder builder(*this, text, max_depth, max_elements, max_expanded_bytes);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
  } catch (const Abort& a) {
    error = a.error;
    return false;
  } catch (const YAML::DeepRecursion& e) {
    error = {YamlError::Kind::too_deep, static_cast<std::uint32_t>(e.mark.line + 1),
             char_column(text, e.mark), ""};
    return false;
  } catch (const YAML::Exception& e) {
    error = {YamlError::Kind::syntax, static_cast<std::uint32_t>(e.mark.line + 1),
             char_column(text, e.mark), utf8_message(e.msg)};
    if (e.mark.is_null()) error.line = error.column = 0;
    return false;
  }
  if (!builder.saw_root() || nodes_[root_].kind == YamlNode::Kind::null) {
    error = {YamlError::Kind::empty, 1, 1, ""};
    return false;
  }
  return true;
}

std::string_view describe(const YamlNode& n) {
  switch (n.kind) {
    case YamlNode::Kind::null: return "nothing";
    case YamlNode::Kind::scalar: return "a single value";
    case YamlNode::Kind::sequence: return "a list";
    case YamlNode::Kind::map: return "a map";
  }
  return "something else";
}

}  // namespace patter::detail
