// HTML made safe by construction: every value goes through escape() on its way into a page,
// and only this file's functions make a `safe_html`, the one thing inserted unescaped.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <variant>

namespace coldtrace::server::pages {

// Escapes & < > " ' for text and for double- or single-quoted attribute values.
std::string escape(std::string_view text);

// Markup that is already safe: produced by escape(), by a template, or by our own code
// (an SVG symbol), never from a request or the database directly.
class safe_html {
 public:
  safe_html() = default;
  static safe_html escaped(std::string_view text) { return safe_html{escape(text)}; }
  // For markup this program generates itself (the QR symbol's SVG, a template's output).
  static safe_html trusted(std::string markup) { return safe_html{std::move(markup)}; }

  const std::string& str() const { return markup_; }
  safe_html& operator+=(const safe_html& more) {
    markup_ += more.markup_;
    return *this;
  }

 private:
  explicit safe_html(std::string markup) : markup_(std::move(markup)) {}
  std::string markup_;
};

// `<tag attr="value">text</tag>`, all escaped; `attrs` is pairs of name and value.
safe_html element(std::string_view tag, std::string_view text,
                  std::initializer_list<std::pair<std::string_view, std::string_view>> attrs = {});
safe_html element(std::string_view tag, const safe_html& inner,
                  std::initializer_list<std::pair<std::string_view, std::string_view>> attrs = {});

// Template values: a string is escaped where it lands; safe_html goes in as it is.
using template_value = std::variant<std::string, safe_html>;
using template_values = std::map<std::string, template_value, std::less<>>;

// Replaces each {{name}} in `text` with its value. An unknown name is a bug in a template
// (they are all rendered once at start-up), so it throws std::logic_error.
safe_html render_template(std::string_view text, const template_values& values);

}  // namespace coldtrace::server::pages
