#include "yaml/fast_yaml.hpp"

#include "text/utf8.hpp"
#include "yaml/expansion.hpp"

#include <string>
#include <unordered_map>

namespace patter::detail {
namespace {

struct Unsupported {};

class FastParser {
 public:
  FastParser(std::string_view text, std::size_t max_depth, std::size_t max_elements,
             std::size_t max_expanded_bytes, YamlTree& tree)
      : t_(text),
        n_(text.size()),
        max_depth_(max_depth),
        budget_(max_expanded_bytes, max_elements),
        tree_(tree) {}

  void document() {
    skip_blank_lines();
    if (at_end()) bail();
    if (starts_with("---") && (p_ + 3 == n_ || is_space_or_eol(t_[p_ + 3]))) {
      p_ += 3;
      end_of_line();
      skip_blank_lines();
      if (at_end()) bail();
    }
    if (t_[p_] == '%') bail();
    tree_.root_ = block_node(-1, 0);
    if (!at_end() && starts_with("...") && (p_ + 3 == n_ || is_space_or_eol(t_[p_ + 3]))) {
      p_ += 3;
      end_of_line();
      skip_blank_lines();
    }
    if (!at_end()) bail();
  }

 private:
  [[noreturn]] static void bail() { throw Unsupported{}; }

  bool at_end() const { return p_ >= n_; }
  bool starts_with(std::string_view s) const { return t_.substr(p_, s.size()) == s; }
  static bool is_space_or_eol(char c) { return c == ' ' || c == '\n' || c == '\r'; }
  bool eol_at(std::size_t q) const {
    return q >= n_ || t_[q] == '\n' || (t_[q] == '\r' && q + 1 < n_ && t_[q + 1] == '\n');
  }
  long column() const { return static_cast<long>(p_ - line_start_); }

  void newline_at_p() {  // p_ at '\n' or "\r\n"
    if (t_[p_] == '\r') ++p_;
    ++p_;
    ++line_;
    line_start_ = p_;
  }

  // After a value: spaces, an optional comment, then the end of the line.
  void end_of_line() {
    while (p_ < n_ && t_[p_] == ' ') ++p_;
    if (p_ < n_ && t_[p_] == '#') {
      if (p_ != line_start_ && t_[p_ - 1] != ' ') bail();  // "a#b" is not a comment
      while (p_ < n_ && t_[p_] != '\n') ++p_;
      return_at_newline();
      return;
    }
    if (p_ >= n_) return;
    if (!eol_at(p_)) bail();
    newline_at_p();
  }

  void return_at_newline() {
    if (p_ < n_) newline_at_p();
  }

  // Skips blank and comment-only lines; stops at the first content character.
  void skip_blank_lines() {
    while (p_ < n_) {
      std::size_t q = p_;
      while (q < n_ && t_[q] == ' ') ++q;
      if (q < n_ && t_[q] == '\t') bail();
      if (q >= n_) {
        p_ = q;
        return;
      }
      if (t_[q] == '#') {
        while (q < n_ && t_[q] != '\n') ++q;
        p_ = q;
        if (p_ < n_) newline_at_p();
        continue;
      }
      if (eol_at(q)) {
        p_ = q;
        newline_at_p();
        continue;
      }
      if (t_[q] == '\r') bail();
      p_ = q;
      return;
    }
  }

  // ---- nodes ----------------------------------------------------------------
  // yaml-cpp marks an anchored node at its `&`.
  // Past a budget yaml-cpp reads the text again and says where.
  void check_budget() const {
    if (budget_.over() != Expansion::Over::none) bail();
  }
  // A scalar's value is known: its bytes count.
  void value_set(std::uint32_t id) {
    budget_.bytes(tree_.nodes_[id].value.size());
    check_budget();
  }

  std::uint32_t make(YamlNode::Kind kind, std::size_t at) {
    budget_.element();
    check_budget();
    YamlNode node;
    node.kind = kind;
    node.line = line_ + 1;
    std::size_t from = line_start_;
    if (!pending_anchor_.empty()) {
      at = anchor_pos_;
      from = anchor_line_start_;
      node.line = anchor_line_ + 1;
    }
    // Columns count characters; continue from the last mark on this line.
    std::size_t i = from;
    std::uint32_t col = 1;
    if (col_cache_line_start_ == from && col_cache_pos_ <= at) {
      i = col_cache_pos_;
      col = col_cache_col_;
    }
    for (; i < at; ++i)
      if ((static_cast<unsigned char>(t_[i]) & 0xC0) != 0x80) ++col;
    col_cache_line_start_ = from;
    col_cache_pos_ = at;
    col_cache_col_ = col;
    node.column = col;
    tree_.nodes_.push_back(std::move(node));
    const auto id = static_cast<std::uint32_t>(tree_.nodes_.size() - 1);
    if (!pending_anchor_.empty()) {
      anchors_[pending_anchor_] = id;
      pending_anchor_.clear();
      if (kind == YamlNode::Kind::map || kind == YamlNode::Kind::sequence) budget_.open(id);
    }
    return id;
  }
  void close(std::uint32_t id, std::size_t scratch_from) {
    YamlNode& node = tree_.nodes_[id];
    node.first = static_cast<std::uint32_t>(tree_.children_.size());
    node.size = static_cast<std::uint32_t>(scratch_.size() - scratch_from);
    tree_.children_.insert(tree_.children_.end(),
                           scratch_.begin() + static_cast<long>(scratch_from), scratch_.end());
    scratch_.resize(scratch_from);
    budget_.close(id);
  }
  void enter(int depth) {
    if (static_cast<std::size_t>(depth) + 1 > max_depth_) bail();
  }

  bool document_marker() const {
    return column() == 0 && (starts_with("---") || starts_with("...")) &&
           (p_ + 3 == n_ || is_space_or_eol(t_[p_ + 3]));
  }

  bool seq_indicator() const {
    return p_ < n_ && t_[p_] == '-' && (p_ + 1 == n_ || is_space_or_eol(t_[p_ + 1]));
  }

  std::string read_anchor_name() {
    anchor_pos_ = p_;
    anchor_line_ = line_;
    anchor_line_start_ = line_start_;
    const std::size_t start = ++p_;
    while (p_ < n_ && !is_space_or_eol(t_[p_]) && t_[p_] != ',' && t_[p_] != ']' && t_[p_] != '}' &&
           t_[p_] != '[' && t_[p_] != '{' && t_[p_] != '\t')
      ++p_;
    if (p_ == start) bail();
    return std::string(t_.substr(start, p_ - start));
  }

  std::uint32_t alias() {
    const std::string name = read_anchor_name();
    auto it = anchors_.find(name);
    if (it == anchors_.end()) bail();
    budget_.alias(tree_, it->second);
    check_budget();
    return it->second;
  }

  // Does the current line start a `key: value` pair?
  bool mapping_key_here() const {
    std::size_t q = p_;
    const char c = t_[q];
    if (c == '"' || c == '\'') {
      for (++q; q < n_ && t_[q] != '\n'; ++q) {
        if (c == '"' && t_[q] == '\\') {
          ++q;
          continue;
        }
        if (t_[q] == c) {
          if (c == '\'' && q + 1 < n_ && t_[q + 1] == '\'') {
            ++q;
            continue;
          }
          ++q;
          while (q < n_ && t_[q] == ' ') ++q;
          return q < n_ && t_[q] == ':' && (q + 1 == n_ || is_space_or_eol(t_[q + 1]));
        }
      }
      return false;
    }
    // A plain key may not start with an indicator (`-?:` are fine before text).
    if (c == '[' || c == '{' || c == ']' || c == '}' || c == ',' || c == '#' || c == '?' ||
        c == '&' || c == '*' || c == '!' || c == '|' || c == '>' || c == '%' || c == '@' ||
        c == '`')
      return false;
    if ((c == '-' || c == ':') && (q + 1 >= n_ || is_space_or_eol(t_[q + 1]))) return false;
    for (; q < n_ && t_[q] != '\n'; ++q) {
      if (t_[q] == '#' && q > p_ && t_[q - 1] == ' ') return false;
      if (t_[q] == ':' && (q + 1 == n_ || is_space_or_eol(t_[q + 1]))) return true;
    }
    return false;
  }

  // A block node whose first character is at column > parent.
  std::uint32_t block_node(long parent, int depth) {
    if (column() <= parent) bail();
    if (t_[p_] == '&') {
      pending_anchor_ = read_anchor_name();
      while (p_ < n_ && t_[p_] == ' ') ++p_;
      if (eol_at(p_) || t_[p_] == '#') {
        end_of_line();
        skip_blank_lines();
        if (at_end() || column() <= parent) bail();
      } else if (seq_indicator() || mapping_key_here()) {
        bail();  // `&a key: value` anchors the key, not the map: rare, yaml-cpp's to read
      }
    }
    if (seq_indicator()) return block_sequence(column(), depth);
    if (mapping_key_here()) return block_mapping(column(), depth);
    const std::uint32_t id = inline_value(depth);
    finish_inline();
    return id;
  }

  std::uint32_t block_mapping(long indent, int depth) {
    enter(depth);
    const long outer = owner_indent_;
    const std::uint32_t map = make(YamlNode::Kind::map, p_);
    const std::size_t from = scratch_.size();
    while (true) {
      scratch_.push_back(key());
      while (p_ < n_ && t_[p_] == ' ') ++p_;
      if (p_ >= n_ || t_[p_] != ':') bail();
      ++p_;
      owner_indent_ = indent;
      scratch_.push_back(mapping_value(indent, depth));
      if (at_end() || column() < indent || document_marker()) break;
      if (column() > indent) bail();
      if (seq_indicator() || !mapping_key_here()) bail();
    }
    owner_indent_ = outer;
    close(map, from);
    return map;
  }

  std::uint32_t key() {
    const char c = t_[p_];
    if (c == '"' || c == '\'') return quoted();
    const std::size_t start = p_;
    std::size_t end = p_;
    while (!(t_[end] == ':' && (end + 1 == n_ || is_space_or_eol(t_[end + 1])))) {
      if (t_[end] == '\t' || (t_[end] == '?' && end + 1 < n_ && t_[end + 1] == ' ')) bail();
      ++end;
    }
    p_ = end;
    return plain_scalar(start, end);
  }

  std::uint32_t mapping_value(long indent, int depth) {
    while (p_ < n_ && t_[p_] == ' ') ++p_;
    if (p_ < n_ && t_[p_] == '\t') bail();
    if (p_ < n_ && t_[p_] == '&') {
      pending_anchor_ = read_anchor_name();
      while (p_ < n_ && t_[p_] == ' ') ++p_;
    }
    if (eol_at(p_) || t_[p_] == '#') {
      end_of_line();
      skip_blank_lines();
      if (!at_end() && column() > indent && !document_marker())
        return block_node(indent, depth + 1);
      if (!at_end() && column() == indent && seq_indicator())
        return block_sequence(indent, depth + 1);
      if (!pending_anchor_.empty()) bail();
      // An empty value: yaml-cpp marks it where the next token starts.
      return make(YamlNode::Kind::null, p_);
    }
    const std::uint32_t id = inline_value(depth);
    finish_inline();
    return id;
  }

  std::uint32_t block_sequence(long indent, int depth) {
    enter(depth);
    const long outer = owner_indent_;
    const std::uint32_t seq = make(YamlNode::Kind::sequence, p_);
    const std::size_t from = scratch_.size();
    while (true) {
      ++p_;  // '-'
      while (p_ < n_ && t_[p_] == ' ') ++p_;
      if (p_ < n_ && t_[p_] == '\t') bail();
      if (eol_at(p_) || t_[p_] == '#') {
        end_of_line();
        skip_blank_lines();
        if (!at_end() && column() > indent)
          scratch_.push_back(block_node(indent, depth + 1));
        else
          bail();  // an empty item: rare, leave it to yaml-cpp
      } else {
        const long item_col = column();
        if (t_[p_] == '&') bail();
        if (seq_indicator())
          scratch_.push_back(block_sequence(item_col, depth + 1));
        else if (mapping_key_here())
          scratch_.push_back(block_mapping(item_col, depth + 1));
        else {
          owner_indent_ = indent;
          scratch_.push_back(inline_value(depth));
          finish_inline();
        }
      }
      if (at_end() || column() < indent || document_marker()) break;
      if (column() > indent) bail();
      if (!seq_indicator()) break;
    }
    owner_indent_ = outer;
    close(seq, from);
    return seq;
  }

  // After an inline value: the rest of its line, then on to the next content.
  // A block scalar has already read its lines.
  void finish_inline() {
    if (block_scalar_done_) {
      block_scalar_done_ = false;
      return;
    }
    end_of_line();
    skip_blank_lines();
  }

  // A value that starts and (outside flow collections) ends on this line.
  std::uint32_t inline_value(int depth) {
    const char c = t_[p_];
    switch (c) {
      case '*': return alias();
      case '[': return flow_sequence(depth + 1);
      case '{': return flow_mapping(depth + 1);
      case '"':
      case '\'': return quoted();
      case '|':
      case '>': return block_scalar();
      case '!':
      case '%':
      case '@':
      case '`':
      case '&':
      case ',':
      case ']':
      case '}': bail();
      case '-':
      case '?':
      case ':':
        if (p_ + 1 == n_ || is_space_or_eol(t_[p_ + 1])) bail();
        break;
      default: break;
    }
    const std::size_t start = p_;
    std::size_t end = p_;
    while (end < n_ && t_[end] != '\n' && !(t_[end] == '#' && t_[end - 1] == ' ')) {
      if (t_[end] == '\t' || (t_[end] == '\r' && !eol_at(end))) bail();
      if (t_[end] == ':' && (end + 1 == n_ || is_space_or_eol(t_[end + 1]))) bail();
      ++end;
    }
    p_ = end;
    return plain_scalar(start, end);
  }

  // `|` literal and `>` folded text, with `-` / `+` chomping. Explicit
  // indentation digits and more-indented lines in folded text are left to
  // yaml-cpp.
  std::uint32_t block_scalar() {
    const bool literal = t_[p_] == '|';
    const std::uint32_t id = make(YamlNode::Kind::scalar, p_);
    ++p_;
    char chomp = 'c';
    if (p_ < n_ && (t_[p_] == '-' || t_[p_] == '+')) chomp = t_[p_++];
    if (p_ < n_ && t_[p_] != ' ' && !eol_at(p_)) bail();
    end_of_line();
    // Collect the lines.
    std::vector<std::string_view> lines;  // content without indentation; empty for blank lines
    long indent = -1;
    std::size_t max_leading_blank = 0;
    bool last_newline = false;
    while (p_ < n_) {
      std::size_t q = p_;
      while (q < n_ && t_[q] == ' ') ++q;
      const std::size_t spaces = q - p_;
      if (q >= n_ || eol_at(q)) {  // blank line
        if (indent < 0) max_leading_blank = std::max(max_leading_blank, spaces);
        lines.emplace_back();
        p_ = q;
        if (p_ < n_) newline_at_p();
        continue;
      }
      if (indent < 0) {
        if (static_cast<long>(spaces) <= owner_indent_) break;
        indent = static_cast<long>(spaces);
        if (max_leading_blank > spaces) bail();
      }
      if (static_cast<long>(spaces) < indent) break;
      std::size_t e = q;
      while (e < n_ && t_[e] != '\n') ++e;
      if (e > p_ && t_[e - 1] == '\r') bail();
      if (!literal && static_cast<long>(spaces) > indent) bail();
      if (!literal && (t_[q] == '\t')) bail();
      lines.push_back(t_.substr(p_ + static_cast<std::size_t>(indent),
                                e - p_ - static_cast<std::size_t>(indent)));
      if (lines.back().empty()) bail();  // never: a content line has a character
      p_ = e;
      last_newline = p_ < n_;
      if (p_ < n_) newline_at_p();
    }
    if (p_ >= n_ && (n_ == 0 || t_[n_ - 1] != '\n'))
      bail();  // unterminated last line: rare, yaml-cpp decides
    // Trailing blank lines belong to chomping, not content.
    std::size_t content = lines.size();
    while (content > 0 && lines[content - 1].empty()) --content;
    const std::size_t trailing = lines.size() - content;
    std::string out;
    for (std::size_t i = 0; i < content; ++i) {
      if (literal) {
        out.append(lines[i]);
        if (i + 1 < content) out += '\n';
      } else if (lines[i].empty()) {
        out += '\n';
      } else {
        if (i > 0 && !lines[i - 1].empty()) out += ' ';
        out.append(lines[i]);
      }
    }
    if (content > 0 && chomp != '-' && (last_newline || trailing > 0)) out += '\n';
    if (chomp == '+') out.append(trailing + (content == 0 ? 0 : 0), '\n');
    YamlNode& node = tree_.nodes_[id];
    node.value = tree_.own(std::move(out));
    node.quoted = true;
    value_set(id);
    skip_blank_lines();
    block_scalar_done_ = true;
    return id;
  }

  std::uint32_t plain_scalar(std::size_t start, std::size_t end) {
    while (end > start && (t_[end - 1] == ' ' || t_[end - 1] == '\r')) --end;
    const std::string_view v = t_.substr(start, end - start);
    if (v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL") {
      return make(YamlNode::Kind::null, start);
    }
    const std::uint32_t id = make(YamlNode::Kind::scalar, start);
    tree_.nodes_[id].value = v;
    value_set(id);
    return id;
  }

  std::uint32_t quoted() {
    const char q = t_[p_];
    const std::size_t start = p_;
    std::string out;
    bool copied = false;  // while false the text is exactly its source bytes
    auto begin_copy = [&] {
      if (!copied) out.assign(t_.substr(start + 1, p_ - start - 1));
      copied = true;
    };
    for (++p_;; ++p_) {
      if (p_ >= n_ || t_[p_] == '\n' || t_[p_] == '\r') bail();  // multi-line: yaml-cpp folds those
      const char c = t_[p_];
      if (c == q) {
        if (q == '\'' && p_ + 1 < n_ && t_[p_ + 1] == '\'') {
          begin_copy();
          out += '\'';
          ++p_;
          continue;
        }
        ++p_;
        break;
      }
      if (q == '"' && c == '\\') {
        begin_copy();
        if (++p_ >= n_) bail();
        escape(out);
        continue;
      }
      if (copied) out += c;
    }
    // An anchored scalar is placed at its `&`, as yaml-cpp does; then the
    // text does not start one column in.
    const bool anchored = !pending_anchor_.empty();
    const std::uint32_t id = make(YamlNode::Kind::scalar, start);
    YamlNode& node = tree_.nodes_[id];
    node.value = copied ? tree_.own(std::move(out)) : t_.substr(start + 1, p_ - start - 2);
    node.quoted = true;
    node.inner = anchored ? 0 : 1;
    value_set(id);
    return id;
  }

  void escape(std::string& out) {
    auto hex = [&](int digits) {
      std::uint32_t cp = 0;
      for (int i = 0; i < digits; ++i) {
        if (++p_ >= n_) bail();
        const char h = t_[p_];
        cp <<= 4;
        if (h >= '0' && h <= '9')
          cp |= static_cast<std::uint32_t>(h - '0');
        else if (h >= 'a' && h <= 'f')
          cp |= static_cast<std::uint32_t>(h - 'a' + 10);
        else if (h >= 'A' && h <= 'F')
          cp |= static_cast<std::uint32_t>(h - 'A' + 10);
        else
          bail();
      }
      return cp;
    };
    switch (t_[p_]) {
      case '\\': out += '\\'; return;
      case '"': out += '"'; return;
      case '/': out += '/'; return;
      case ' ': out += ' '; return;
      case 'n': out += '\n'; return;
      case 't':
      case '\t': out += '\t'; return;
      case 'r': out += '\r'; return;
      case '0': out += '\0'; return;
      case 'a': out += '\a'; return;
      case 'b': out += '\b'; return;
      case 'e': out += '\x1b'; return;
      case 'f': out += '\f'; return;
      case 'v': out += '\v'; return;
      case 'x': utf8(out, hex(2)); return;
      case 'u': utf8(out, hex(4)); return;
      case 'U': utf8(out, hex(8)); return;
      default: bail();  // \N, \_, \L, \P and line continuations: rare, leave to yaml-cpp
    }
  }

  static void utf8(std::string& out, std::uint32_t cp) {
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) bail();
    append_utf8(out, cp);
  }

  // ---- flow collections -------------------------------------------------------
  void flow_space() {
    bool crossed = false;
    while (p_ < n_) {
      const char c = t_[p_];
      if (c == ' ') {
        ++p_;
      } else if (c == '\n' || (c == '\r' && eol_at(p_))) {
        newline_at_p();
        crossed = true;
      } else if (c == '#' && p_ > 0 && (t_[p_ - 1] == ' ' || t_[p_ - 1] == '\n')) {
        while (p_ < n_ && t_[p_] != '\n') ++p_;
      } else if (c == '\t' || c == '\r') {
        bail();
      } else {
        // A flow collection's later lines must stay inside the block that holds it.
        if (crossed && c != ']' && c != '}' && column() <= owner_indent_) bail();
        return;
      }
    }
  }

  std::uint32_t flow_item(int depth) {
    const char c = t_[p_];
    if (c == '[') return flow_sequence(depth + 1);
    if (c == '{') return flow_mapping(depth + 1);
    if (c == '"' || c == '\'') return quoted();
    if (c == '*') return alias();
    if (c == '&') {
      pending_anchor_ = read_anchor_name();
      flow_space();
      if (p_ >= n_) bail();
      return flow_item(depth);
    }
    if (c == '|' || c == '>' || c == '!' || c == '%' || c == '@' || c == '`' || c == '#' ||
        c == ',' || c == ']' || c == '}' || c == '?')
      bail();
    if ((c == '-' || c == ':') &&
        (p_ + 1 == n_ || is_space_or_eol(t_[p_ + 1]) || t_[p_ + 1] == ','))
      bail();
    const std::size_t start = p_;
    std::size_t end = p_;
    while (end < n_) {
      const char d = t_[end];
      if (d == ',' || d == '[' || d == ']' || d == '{' || d == '}' || d == '\n') break;
      if (d == '\t' || d == '\r' || d == '?')
        bail();  // yaml-cpp reads `?` in flow text its own way
      if (d == '#' && t_[end - 1] == ' ') break;
      if (d == ':' && (end + 1 == n_ || is_space_or_eol(t_[end + 1]) || t_[end + 1] == ',' ||
                       t_[end + 1] == ']' || t_[end + 1] == '}'))
        break;
      ++end;
    }
    p_ = end;
    return plain_scalar(start, end);
  }

  // After `[` or `{`: true when the collection is closed at once (empty).
  bool flow_open(char close) {
    ++p_;
    flow_space();
    if (p_ < n_ && t_[p_] == close) {
      ++p_;
      return true;
    }
    return false;
  }

  // After an item: true when a `,` says more follow, false at the closing
  // bracket. A trailing comma and anything else are left to yaml-cpp.
  bool flow_more(char close) {
    flow_space();
    if (p_ >= n_) bail();
    if (t_[p_] == ',') {
      ++p_;
      flow_space();
      if (p_ < n_ && t_[p_] == close) bail();
      return true;
    }
    if (t_[p_] != close) bail();  // includes `[a: b]` single-pair maps
    ++p_;
    return false;
  }

  std::uint32_t flow_sequence(int depth) {
    enter(depth);
    const std::uint32_t seq = make(YamlNode::Kind::sequence, p_);
    const std::size_t from = scratch_.size();
    if (!flow_open(']')) {
      do {
        if (p_ >= n_) bail();
        scratch_.push_back(flow_item(depth));
      } while (flow_more(']'));
    }
    close(seq, from);
    return seq;
  }

  std::uint32_t flow_mapping(int depth) {
    enter(depth);
    const std::uint32_t map = make(YamlNode::Kind::map, p_);
    const std::size_t from = scratch_.size();
    if (!flow_open('}')) {
      do {
        if (p_ >= n_) bail();
        const char c = t_[p_];
        if (c == '[' || c == '{' || c == '&' || c == '*') bail();
        scratch_.push_back(flow_item(depth));
        flow_space();
        if (p_ >= n_ || t_[p_] != ':') bail();  // `{a, b}`: keys without values
        ++p_;
        if (p_ < n_ && !is_space_or_eol(t_[p_])) bail();
        flow_space();
        if (p_ >= n_ || t_[p_] == ',' || t_[p_] == '}') bail();
        scratch_.push_back(flow_item(depth));
      } while (flow_more('}'));
    }
    close(map, from);
    return map;
  }

  std::string_view t_;
  std::size_t n_;
  std::size_t max_depth_;
  Expansion budget_;
  YamlTree& tree_;
  std::size_t p_ = 0;
  std::uint32_t line_ = 0;
  std::size_t line_start_ = 0;
  std::size_t col_cache_line_start_ = static_cast<std::size_t>(-1), col_cache_pos_ = 0;
  std::uint32_t col_cache_col_ = 1;
  long owner_indent_ = -1;          // indent of the map or list that holds the current inline value
  bool block_scalar_done_ = false;  // a block scalar has read its own lines
  std::string pending_anchor_;
  std::size_t anchor_pos_ = 0, anchor_line_start_ = 0;
  std::uint32_t anchor_line_ = 0;
  std::unordered_map<std::string, std::uint32_t> anchors_;
  std::vector<std::uint32_t> scratch_;
};

}  // namespace

bool fast_parse_yaml(std::string_view text, std::size_t max_depth, std::size_t max_elements,
                     YamlTree& tree, std::size_t max_expanded_bytes) {
  tree.nodes_.clear();
  tree.children_.clear();
  tree.owned_.clear();
  // Scripts have about one element per 10 bytes; pages not used are never touched.
  tree.nodes_.reserve(text.size() / 6 + 8);
  tree.children_.reserve(text.size() / 6 + 8);
  // Control characters (the loader reports them) and lone carriage returns
  // (old Mac line ends) are yaml-cpp's to read.
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return false;
    if (c == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) return false;
  }
  try {
    FastParser(text, max_depth, max_elements, max_expanded_bytes, tree).document();
  } catch (const Unsupported&) {
    tree.nodes_.clear();
    tree.children_.clear();
    return false;
  }
  return tree.nodes_[tree.root_].kind !=
         YamlNode::Kind::null;  // an empty document: yaml-cpp says so
}

}  // namespace patter::detail
