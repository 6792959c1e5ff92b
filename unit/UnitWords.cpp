// SPDX-License-Identifier: MIT
#include "unit/UnitWords.h"

#include <cctype>

#include "events/ByteEscape.h"
#include "events/Errors.h"

namespace capmin::unit {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void append_utf8(std::string& out, unsigned long code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// The escape starting at value[i] (just after the backslash) appended to
// `out`; returns the index after it.
std::size_t unescape(const std::string& value, std::size_t i, std::string& out,
                     const std::string& where) {
  auto bad = [&where]() -> std::size_t {
    throw UserError(where + ": an escape sequence systemd does not accept");
  };
  if (i >= value.size()) {
    throw UserError(where + ": a backslash at the end of the value");
  }
  const char c = value[i];
  switch (c) {
    case 'a':
      out += '\a';
      return i + 1;
    case 'b':
      out += '\b';
      return i + 1;
    case 'f':
      out += '\f';
      return i + 1;
    case 'n':
      out += '\n';
      return i + 1;
    case 'r':
      out += '\r';
      return i + 1;
    case 't':
      out += '\t';
      return i + 1;
    case 'v':
      out += '\v';
      return i + 1;
    case 's':
      out += ' ';
      return i + 1;
    case '\\':
    case '"':
    case '\'':
      out += c;
      return i + 1;
    case 'x': {
      const int hi = i + 1 < value.size() ? events::hex_digit(value[i + 1]) : -1;
      const int lo = i + 2 < value.size() ? events::hex_digit(value[i + 2]) : -1;
      if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
        return bad();
      }
      out += static_cast<char>(hi * 16 + lo);
      return i + 3;
    }
    case 'u':
    case 'U': {
      const std::size_t n = c == 'u' ? 4 : 8;
      unsigned long code = 0;
      for (std::size_t k = 1; k <= n; ++k) {
        const int d = i + k < value.size() ? events::hex_digit(value[i + k]) : -1;
        if (d < 0) {
          return bad();
        }
        code = code * 16 + static_cast<unsigned long>(d);
      }
      if (code == 0 || code > 0x10FFFF) {
        return bad();
      }
      append_utf8(out, code);
      return i + 1 + n;
    }
    default:
      if (c >= '0' && c <= '7') {
        int code = 0;
        for (std::size_t k = 0; k < 3; ++k) {
          if (i + k >= value.size() || value[i + k] < '0' || value[i + k] > '7') {
            return bad();
          }
          code = code * 8 + (value[i + k] - '0');
        }
        if (code == 0 || code > 255) {
          return bad();
        }
        out += static_cast<char>(code);
        return i + 3;
      }
      return bad();
  }
}

}  // namespace

std::vector<std::string> split_words(const std::string& value, const std::string& where) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (true) {
    while (i < value.size() && is_space(value[i])) {
      ++i;
    }
    if (i >= value.size()) {
      return words;
    }
    std::string word;
    char quote = 0;
    for (; i < value.size(); ++i) {
      const char c = value[i];
      if (quote == 0 && is_space(c)) {
        break;
      }
      if (c == '\\') {
        i = unescape(value, i + 1, word, where) - 1;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else {
        word += c;
      }
    }
    if (quote != 0) {
      throw UserError(where + ": a quote (" + std::string(1, quote) + ") that is never closed");
    }
    words.push_back(std::move(word));
  }
}

std::string expand_specifiers(const std::string& text,
                              const std::function<std::optional<std::string>(char)>& lookup,
                              const std::string& where) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 1 >= text.size()) {
      throw UserError(where + ": a '%' at the end of the value (write %% for one)");
    }
    const char letter = text[++i];
    if (letter == '%') {
      out += '%';
      continue;
    }
    const std::optional<std::string> v = lookup(letter);
    if (!v) {
      throw UserError(where + ": %" + std::string(1, letter) +
                      ": a specifier capmin does not expand (systemd.unit(5))");
    }
    out += *v;
  }
  return out;
}

bool valid_env_name(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

std::vector<std::string> substitute_environment(const std::vector<std::string>& words,
                                                const std::map<std::string, std::string>& env) {
  auto value_of = [&env](const std::string& name) {
    const auto it = env.find(name);
    return it == env.end() ? std::string() : it->second;
  };
  std::vector<std::string> out;
  for (const std::string& w : words) {
    // systemd 252 takes all the rest of such a word as the name, even past
    // a character no name holds (systemd issues #27036, #27051).
    if (w.size() > 1 && w[0] == '$' && w[1] != '{' && w[1] != '$') {
      const std::string v = value_of(w.substr(1));
      std::size_t i = 0;
      while (i < v.size()) {
        while (i < v.size() && is_space(v[i])) {
          ++i;
        }
        std::size_t end = i;
        while (end < v.size() && !is_space(v[end])) {
          ++end;
        }
        if (end > i) {
          out.push_back(v.substr(i, end - i));
        }
        i = end;
      }
      continue;
    }
    std::string word;
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (w[i] == '$' && i + 1 < w.size() && w[i + 1] == '$') {
        word += '$';
        ++i;
      } else if (w[i] == '$' && i + 1 < w.size() && w[i + 1] == '{') {
        const auto close = w.find('}', i + 2);
        if (close == std::string::npos) {
          word += w.substr(i);
          break;
        }
        word += value_of(w.substr(i + 2, close - i - 2));
        i = close;
      } else {
        word += w[i];
      }
    }
    out.push_back(std::move(word));
  }
  return out;
}

}  // namespace capmin::unit
