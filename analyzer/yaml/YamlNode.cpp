// SPDX-License-Identifier: MIT
#include "analyzer/yaml/YamlNode.h"

#include <yaml.h>

#include <map>

namespace capmin::analyzer {

namespace {

// A rule table nests five levels; a file nesting deeper than this is not a
// policy, and each level costs a frame of the recursive builder.
constexpr int kMaxDepth = 64;
// Aliases are copied, so `a: &a [*b, *b, ...]` chains grow exponentially
// (the "billion laughs"): the whole tree is held to this many nodes. The
// built-in rule table has about 12,000.
constexpr std::size_t kMaxNodes = 1'000'000;

YamlMark mark_of(const yaml_mark_t& m) {
  return {static_cast<int>(m.line), static_cast<int>(m.column)};
}

std::string text_of(const yaml_char_t* s) {
  return s == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(s));
}

// yaml-cpp's and YAML 1.2's core schema: these plain scalars are null.
bool plain_null(const yaml_event_t& e) {
  if (e.data.scalar.style != YAML_PLAIN_SCALAR_STYLE || e.data.scalar.tag != nullptr) {
    return false;
  }
  const std::string_view v(reinterpret_cast<const char*>(e.data.scalar.value),
                           e.data.scalar.length);
  return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
}

struct Parser {
  yaml_parser_t p;
  Parser() { yaml_parser_initialize(&p); }
  ~Parser() { yaml_parser_delete(&p); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
};

struct Event {
  yaml_event_t e{};
  bool held = false;
  ~Event() { reset(); }
  void reset() {
    if (held) {
      yaml_event_delete(&e);
      held = false;
    }
  }
};

}  // namespace

// Builds the tree from LibYAML's events, one node per call.
class YamlBuilder {
 public:
  explicit YamlBuilder(std::string_view text) : text_(text) {
    yaml_parser_set_input_string(&parser_.p, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }

  YamlNode document() {
    expect(YAML_STREAM_START_EVENT);
    next();
    if (event_.e.type == YAML_STREAM_END_EVENT) {
      return YamlNode();
    }
    if (event_.e.type != YAML_DOCUMENT_START_EVENT) {
      throw YamlError(mark_of(event_.e.start_mark), "expected a YAML document");
    }
    YamlNode root = node(0);
    expect(YAML_DOCUMENT_END_EVENT);
    next();
    if (event_.e.type != YAML_STREAM_END_EVENT) {
      throw YamlError(mark_of(event_.e.start_mark),
                      "a second YAML document: a policy file holds one");
    }
    return root;
  }

 private:
  void next() {
    event_.reset();
    if (yaml_parser_parse(&parser_.p, &event_.e) == 0) {
      throw error();
    }
    event_.held = true;
  }

  YamlError error() const {
    const yaml_parser_t& p = parser_.p;
    std::string what = p.problem != nullptr ? p.problem : "malformed YAML";
    if (p.error == YAML_READER_ERROR) {
      // A byte that is not UTF-8 or a control character, found before any
      // token: LibYAML gives its offset, not a line. The byte itself goes
      // in the message; error lines show it escaped.
      if (p.problem_value >= 0 && p.problem_value < 0x100) {
        what += " (" + std::string(1, static_cast<char>(p.problem_value)) + ")";
      }
      return YamlError(position_of(p.problem_offset), what);
    }
    if (p.context != nullptr) {
      what += " (" + std::string(p.context) + ")";
    }
    return YamlError(mark_of(p.problem_mark), what);
  }

  YamlMark position_of(std::size_t offset) const {
    YamlMark m{0, 0};
    for (std::size_t i = 0; i < offset && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++m.line;
        m.column = 0;
      } else {
        ++m.column;
      }
    }
    return m;
  }

  void expect(yaml_event_type_t type) {
    next();
    if (event_.e.type != type) {
      throw YamlError(mark_of(event_.e.start_mark), "unexpected YAML structure");
    }
  }

  void count(std::size_t nodes, YamlMark at) {
    nodes_ += nodes;
    if (nodes_ > kMaxNodes) {
      throw YamlError(at, "more than " + std::to_string(kMaxNodes) +
                              " nodes once aliases are expanded: not a policy file");
    }
  }

  void remember(const std::string& anchor, const YamlNode& n) {
    if (!anchor.empty()) {
      anchors_[anchor] = n;
    }
  }

  // The next node in the stream, its last event consumed.
  YamlNode node(int depth) {
    next();
    return current(depth);
  }

  // The node whose first event is the one just read.
  YamlNode current(int depth) {
    const yaml_event_t& e = event_.e;
    YamlNode n;
    n.mark_ = mark_of(e.start_mark);
    if (depth >= kMaxDepth) {
      throw YamlError(n.mark_, "nested more than " + std::to_string(kMaxDepth) + " levels deep");
    }
    switch (e.type) {
      case YAML_ALIAS_EVENT: {
        auto it = anchors_.find(text_of(e.data.alias.anchor));
        if (it == anchors_.end()) {
          throw YamlError(n.mark_, "unknown anchor '" + text_of(e.data.alias.anchor) + "'");
        }
        count(it->second.weight(), n.mark_);
        YamlNode copy = it->second;
        copy.mark_ = n.mark_;
        return copy;
      }
      case YAML_SCALAR_EVENT: {
        count(1, n.mark_);
        if (!plain_null(e)) {
          n.kind_ = YamlNode::Kind::Scalar;
          n.text_.assign(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
        }
        remember(text_of(e.data.scalar.anchor), n);
        return n;
      }
      case YAML_SEQUENCE_START_EVENT: {
        count(1, n.mark_);
        n.kind_ = YamlNode::Kind::Sequence;
        const std::string anchor = text_of(e.data.sequence_start.anchor);
        for (next(); event_.e.type != YAML_SEQUENCE_END_EVENT; next()) {
          n.items_.push_back(current(depth + 1));
          n.weight_ += n.items_.back().weight();
        }
        remember(anchor, n);
        return n;
      }
      case YAML_MAPPING_START_EVENT: {
        count(1, n.mark_);
        n.kind_ = YamlNode::Kind::Map;
        const std::string anchor = text_of(e.data.mapping_start.anchor);
        for (next(); event_.e.type != YAML_MAPPING_END_EVENT; next()) {
          YamlNode key = current(depth + 1);
          YamlNode value = node(depth + 1);
          n.weight_ += key.weight() + value.weight();
          n.entries_.emplace_back(std::move(key), std::move(value));
        }
        remember(anchor, n);
        return n;
      }
      default:
        throw YamlError(n.mark_, "unexpected YAML structure");
    }
  }

  std::string_view text_;
  Parser parser_;
  Event event_;
  std::map<std::string, YamlNode> anchors_;
  std::size_t nodes_ = 0;
};

std::string position_text(const std::string& origin, YamlMark mark) {
  if (!mark.known()) {
    return origin;
  }
  return origin + ':' + std::to_string(mark.line + 1) + ':' + std::to_string(mark.column + 1);
}

YamlNode YamlNode::parse(std::string_view text) { return YamlBuilder(text).document(); }

const YamlNode* YamlNode::find(std::string_view key) const {
  for (const auto& [k, v] : entries_) {
    if (k.is_scalar() && k.scalar() == key) {
      return &v;
    }
  }
  return nullptr;
}

}  // namespace capmin::analyzer
