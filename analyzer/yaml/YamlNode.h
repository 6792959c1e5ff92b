// SPDX-License-Identifier: MIT
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace capmin::analyzer {

// Where a node starts in its file, counted from 0 (messages add 1).
struct YamlMark {
  int line = -1;
  int column = -1;
  bool known() const { return line >= 0; }
};

// "origin:line:column" (counted from 1) for messages, or "origin" when the
// position is not known.
std::string position_text(const std::string& origin, YamlMark mark);

// A mistake in the YAML itself, at the place LibYAML found it.
struct YamlError : std::runtime_error {
  YamlError(YamlMark at, const std::string& what) : std::runtime_error(what), mark(at) {}
  YamlMark mark;
};

// One node of a policy file, read by LibYAML into a small tree. Only what
// the policy loaders need: scalars as their text, lists, mappings in file
// order (so a key given twice is still there to be refused), and the
// position of each node. Aliases are copied where they stand.
class YamlNode {
 public:
  enum class Kind { Null, Scalar, Sequence, Map };
  using Entry = std::pair<YamlNode, YamlNode>;

  // The one document in `text` (a Null node when there is none). Throws
  // YamlError for malformed YAML, a second document, nesting deeper than a
  // policy needs, or aliases that would expand past a sane size.
  static YamlNode parse(std::string_view text);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::Null; }
  bool is_scalar() const { return kind_ == Kind::Scalar; }
  bool is_sequence() const { return kind_ == Kind::Sequence; }
  bool is_map() const { return kind_ == Kind::Map; }
  YamlMark mark() const { return mark_; }

  const std::string& scalar() const { return text_; }             // empty unless a scalar
  const std::vector<YamlNode>& items() const { return items_; }   // a sequence's
  const std::vector<Entry>& entries() const { return entries_; }  // a mapping's
  // The value of the first scalar key `key` of a mapping; nullptr when it is
  // not there or this is not a mapping.
  const YamlNode* find(std::string_view key) const;
  // How many nodes this one holds, itself included.
  std::size_t weight() const { return weight_; }

 private:
  friend class YamlBuilder;

  Kind kind_ = Kind::Null;
  YamlMark mark_;
  std::string text_;
  std::vector<YamlNode> items_;
  std::vector<Entry> entries_;
  std::size_t weight_ = 1;
};

}  // namespace capmin::analyzer
