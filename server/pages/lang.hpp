// The page language: zh-CN first, English on request (`?lang=en`, or Accept-Language), and
// the strings of web/i18n.json in both.
#pragma once

#include "server/http.hpp"

#include <map>
#include <string>
#include <string_view>

namespace coldtrace::server::pages {

enum class lang { zh, en };

// `?lang=zh|en` wins; then the Accept-Language entry with the highest q that is zh or en;
// then zh.
lang choose_lang(const request& req);

// Each q-value of an Accept-Language header (RFC 9110 §12.5.4) for zh and en, as one answer.
lang lang_from_accept_language(std::string_view header);

std::string_view html_lang(lang l);  // "zh-CN", "en"
std::string_view lang_code(lang l);  // "zh", "en"

// The strings a page shows, by key, in both languages. Built from a JSON object
// {"key": {"zh": "...", "en": "..."}}; verdict sentences come from codec/verdict.hpp.
class strings {
 public:
  // Throws std::invalid_argument if the JSON is not of that shape: a build defect.
  explicit strings(std::string_view json);

  // Throws std::out_of_range for an unknown key: a bug caught when templates are prepared.
  std::string_view get(lang l, std::string_view key) const;

  // Replaces each {{t.key}} of a template with the escaped string, leaving other {{names}}.
  std::string localize(std::string_view text, lang l) const;

  // Every string of one language as a JSON object, for the scripts (data-strings).
  std::string to_json(lang l) const;

 private:
  std::map<std::string, std::pair<std::string, std::string>, std::less<>> table_;
};

}  // namespace coldtrace::server::pages
