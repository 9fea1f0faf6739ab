#include "server/pages/renderer.hpp"

#include "server/pages/embedded.hpp"

#include <stdexcept>

namespace coldtrace::server::pages {
namespace {

constexpr std::array<lang, 2> both{lang::zh, lang::en};

std::size_t index_of(lang l) {
  return l == lang::en ? 1 : 0;
}

}  // namespace

renderer::renderer() : strings_(assets_.file("i18n.json")) {
  for (auto l : both)
    assets_.add("strings." + std::string{lang_code(l)} + ".js",
                "window.ct_strings = " + strings_.to_json(l) + ";\n");
  for (const auto& f : embedded_files()) {
    if (!f.name.ends_with(".html")) continue;
    auto& t = templates_[std::string{f.name}];
    for (auto l : both) t[index_of(l)] = strings_.localize(f.data, l);
  }
}

const std::string& renderer::localized(std::string_view name, lang l) const {
  const auto it = templates_.find(name);
  if (it == templates_.end()) throw std::out_of_range("pages: no template " + std::string{name});
  return it->second[index_of(l)];
}

safe_html renderer::stylesheet(std::string_view asset) const {
  return safe_html::trusted("<link rel=\"stylesheet\" href=\"" + escape(assets_.url(asset)) +
                            "\">\n");
}

safe_html renderer::page(lang l, const page_spec& spec) const {
  safe_html scripts;
  if (!spec.scripts.empty()) {
    std::vector<std::string> all{"strings." + std::string{lang_code(l)} + ".js", "common.js"};
    all.insert(all.end(), spec.scripts.begin(), spec.scripts.end());
    for (const auto& s : all)
      scripts +=
          safe_html::trusted("<script src=\"" + escape(assets_.url(s)) + "\" defer></script>\n");
  }
  const lang other = l == lang::en ? lang::zh : lang::en;
  return render_template(
      localized("layout.html", l),
      {{"html_lang", std::string{html_lang(l)}},
       {"lang", std::string{lang_code(l)}},
       {"title", spec.title},
       {"css", assets_.url("site.css")},
       {"head", spec.head},
       {"page", spec.page},
       {"other_lang_href", spec.self_path + "?lang=" + std::string{lang_code(other)}},
       {"other_html_lang", std::string{html_lang(other)}},
       {"content", spec.content},
       {"scripts", scripts}});
}

}  // namespace coldtrace::server::pages
