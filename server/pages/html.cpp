#include "server/pages/html.hpp"

#include <stdexcept>

namespace coldtrace::server::pages {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

std::string open_tag(std::string_view tag,
                     std::initializer_list<std::pair<std::string_view, std::string_view>> attrs) {
  std::string out = "<" + std::string{tag};
  for (const auto& [name, value] : attrs) {
    out += ' ';
    out += name;
    out += "=\"";
    out += escape(value);
    out += '"';
  }
  return out + ">";
}

}  // namespace

safe_html element(std::string_view tag, std::string_view text,
                  std::initializer_list<std::pair<std::string_view, std::string_view>> attrs) {
  return element(tag, safe_html::escaped(text), attrs);
}

safe_html element(std::string_view tag, const safe_html& inner,
                  std::initializer_list<std::pair<std::string_view, std::string_view>> attrs) {
  return safe_html::trusted(open_tag(tag, attrs) + inner.str() + "</" + std::string{tag} + ">");
}

safe_html render_template(std::string_view text, const template_values& values) {
  std::string out;
  out.reserve(text.size() + 1024);
  std::size_t pos = 0;
  while (true) {
    const auto open = text.find("{{", pos);
    if (open == std::string_view::npos) break;
    const auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) throw std::logic_error("template: unclosed {{");
    out.append(text.substr(pos, open - pos));
    const auto name = text.substr(open + 2, close - open - 2);
    const auto it = values.find(name);
    if (it == values.end())
      throw std::logic_error("template: no value for {{" + std::string{name} + "}}");
    if (const auto* s = std::get_if<std::string>(&it->second))
      out += escape(*s);
    else
      out += std::get<safe_html>(it->second).str();
    pos = close + 2;
  }
  out.append(text.substr(pos));
  return safe_html::trusted(std::move(out));
}

}  // namespace coldtrace::server::pages
