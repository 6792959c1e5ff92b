// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace capmin::unit {

// Splits a unit setting's value into words as systemd does for command
// lines and lists (extract_first_word with unquoting and C escapes):
// whitespace separates words, '...' and "..." quote (also inside a word),
// and \n \t \\ \" \' \s \xHH \NNN \uXXXX escape. Throws UserError
// "WHERE: reason" for an unfinished quote or escape.
std::vector<std::string> split_words(const std::string& value, const std::string& where);

// Expands the %-specifiers of systemd.unit(5) in `text` with `lookup`,
// which gives a specifier letter's value, or nullopt for one capmin does
// not expand (then UserError "WHERE: %X: ..."). "%%" is "%".
std::string expand_specifiers(const std::string& text,
                              const std::function<std::optional<std::string>(char)>& lookup,
                              const std::string& where);

// A command line's environment substitution (systemd.service(5)): a word
// that starts with $NAME becomes the variable's value split at whitespace
// (zero or more words), ${NAME} anywhere becomes its value as it is, and
// $$ a single $; a braceless $NAME inside a word stays as it is. Unset
// variables are empty.
std::vector<std::string> substitute_environment(const std::vector<std::string>& words,
                                                const std::map<std::string, std::string>& env);

// Whether `name` can be an environment variable's name in a unit.
bool valid_env_name(const std::string& name);

}  // namespace capmin::unit
