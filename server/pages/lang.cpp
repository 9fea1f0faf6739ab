#include "server/pages/lang.hpp"

#include "codec/identifiers.hpp"
#include "codec/verdict.hpp"
#include "server/pages/html.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <stdexcept>

namespace coldtrace::server::pages {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool starts_with_tag(std::string_view range, std::string_view primary) {
  return range.size() >= primary.size() && iequals(range.substr(0, primary.size()), primary) &&
         (range.size() == primary.size() || range[primary.size()] == '-');
}

double q_value(std::string_view params) {
  // params: ";q=0.8" possibly among others
  double q = 1.0;
  while (!params.empty()) {
    const auto semi = params.find(';', 1);
    auto p = trim(params.substr(1, semi == std::string_view::npos ? params.npos : semi - 1));
    if (p.size() > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
      const auto v = p.substr(2);
      // q is 0.000..1.000 (RFC 9110 §12.4.2); from_chars for double is locale-free.
      double parsed = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), parsed);
      if (ec == std::errc{} && end == v.data() + v.size() && parsed >= 0 && parsed <= 1) q = parsed;
    }
    if (semi == std::string_view::npos) break;
    params.remove_prefix(semi);
  }
  return q;
}

// The part of a verdict sentence before its colon: "有效", "Recalled".
std::string_view title_of(std::string_view sentence) {
  auto cut = sentence.find("：");
  if (cut == std::string_view::npos) cut = sentence.find(':');
  return cut == std::string_view::npos ? sentence : sentence.substr(0, cut);
}

}  // namespace

lang lang_from_accept_language(std::string_view header) {
  double best_q = 0;
  lang best = lang::zh;
  while (!header.empty()) {
    const auto comma = header.find(',');
    const auto item = trim(header.substr(0, comma));
    const auto semi = item.find(';');
    const auto range = trim(item.substr(0, semi));
    const double q = semi == std::string_view::npos ? 1.0 : q_value(item.substr(semi));
    // The first of equal q-values wins, as the user listed them.
    const bool zh = starts_with_tag(range, "zh"), en = starts_with_tag(range, "en");
    if ((zh || en) && q > best_q) {
      best_q = q;
      best = en ? lang::en : lang::zh;
    }
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return best;
}

lang choose_lang(const request& req) {
  if (auto asked = query_param(req, "lang")) {
    if (iequals(*asked, "en")) return lang::en;
    if (iequals(*asked, "zh") || iequals(*asked, "zh-cn")) return lang::zh;
  }
  if (auto header = req.fields.find("Accept-Language")) return lang_from_accept_language(*header);
  return lang::zh;
}

std::string_view html_lang(lang l) {
  return l == lang::en ? "en" : "zh-CN";
}
std::string_view lang_code(lang l) {
  return l == lang::en ? "en" : "zh";
}

strings::strings(std::string_view json) {
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(json, ec);
  if (ec || !parsed.is_object()) throw std::invalid_argument("i18n.json: not a JSON object");
  for (const auto& [key, value] : parsed.as_object()) {
    const auto* o = value.if_object();
    const auto* zh = o ? o->if_contains("zh") : nullptr;
    const auto* en = o ? o->if_contains("en") : nullptr;
    if (!zh || !en || !zh->is_string() || !en->is_string())
      throw std::invalid_argument("i18n.json: " + std::string{key} + " needs zh and en strings");
    table_[std::string{key}] = {std::string{zh->as_string()}, std::string{en->as_string()}};
  }
  // One source for what a verdict says: codec/verdict.hpp.
  for (int i = 0; i <= static_cast<int>(verdict::malformed); ++i) {
    const auto v = static_cast<verdict>(i);
    const std::string name{to_string(v)};
    table_["verdict." + name] = {std::string{describe_zh(v)}, std::string{describe_en(v)}};
    table_["verdict_buyer." + name] = {std::string{advise_buyer_zh(v)},
                                       std::string{advise_buyer_en(v)}};
    table_["verdict_title." + name] = {std::string{title_of(describe_zh(v))},
                                       std::string{title_of(describe_en(v))}};
  }
  // Countries by ISO code, for the console's country list and the lot list's names.
  for (const auto& c : codec::all_countries())
    table_["country." + std::string{c.alpha2}] = {std::string{c.name_zh}, std::string{c.name_en}};
  // The categories that need import documents, for the intake form's required fields.
  std::string imported;
  for (const auto& c : codec::categories())
    if (c.imported) imported += (imported.empty() ? "" : ",") + std::string{c.name};
  table_["imported_categories"] = {imported, imported};
  for (const auto& c : codec::categories()) {
    table_["category." + std::string{c.name}] = {std::string{c.name_zh}, std::string{c.name_en}};
    // By the id codes carry, for the scanner's offline answers.
    table_["category_id." + std::to_string(c.id)] = {std::string{c.name_zh},
                                                     std::string{c.name_en}};
  }
}

std::string_view strings::get(lang l, std::string_view key) const {
  const auto it = table_.find(key);
  if (it == table_.end()) throw std::out_of_range("i18n: no string " + std::string{key});
  return l == lang::en ? it->second.second : it->second.first;
}

std::string strings::localize(std::string_view text, lang l) const {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const auto open = text.find("{{t.", pos);
    if (open == std::string_view::npos) break;
    const auto close = text.find("}}", open);
    if (close == std::string_view::npos) throw std::logic_error("template: unclosed {{t.");
    out.append(text.substr(pos, open - pos));
    out += escape(get(l, text.substr(open + 4, close - open - 4)));
    pos = close + 2;
  }
  out.append(text.substr(pos));
  return out;
}

std::string strings::to_json(lang l) const {
  boost::json::object o;
  for (const auto& [key, both] : table_) o[key] = l == lang::en ? both.second : both.first;
  return boost::json::serialize(o);
}

}  // namespace coldtrace::server::pages
