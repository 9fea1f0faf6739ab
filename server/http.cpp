#include "server/http.hpp"

#include "server/target.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>

namespace coldtrace::server {
namespace {

constexpr std::array<std::pair<verb, std::string_view>, 7> verb_names{{
    {verb::get, "GET"},
    {verb::head, "HEAD"},
    {verb::post, "POST"},
    {verb::put, "PUT"},
    {verb::patch, "PATCH"},
    {verb::delete_, "DELETE"},
    {verb::options, "OPTIONS"},
}};

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::string_view to_string(verb v) {
  for (const auto& [value, name] : verb_names) {
    if (value == v) return name;
  }
  return "OTHER";
}

verb verb_from_string(std::string_view s) {
  // Methods are case-sensitive (RFC 9110 §9.1): "get" is not GET.
  for (const auto& [value, name] : verb_names) {
    if (name == s) return value;
  }
  return verb::other;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return lower(x) == lower(y); });
}

void headers::add(std::string name, std::string value) {
  fields_.push_back({std::move(name), std::move(value)});
}

void headers::set(std::string name, std::string value) {
  std::erase_if(fields_, [&](const field& f) { return iequals(f.name, name); });
  add(std::move(name), std::move(value));
}

std::optional<std::string_view> headers::find(std::string_view name) const {
  for (const auto& f : fields_) {
    if (iequals(f.name, name)) return f.value;
  }
  return std::nullopt;
}

response text_response(unsigned status, std::string body, std::string content_type) {
  response res;
  res.status = status;
  res.content_type = std::move(content_type);
  res.body = std::move(body);
  return res;
}

std::optional<std::string> query_param(const request& req, std::string_view name) {
  return query_value(req.target, name);
}

std::vector<std::string> query_names(const request& req) {
  std::vector<std::string> out;
  auto url = boost::urls::parse_origin_form(req.target);
  if (!url) return out;
  for (auto p : url->params()) out.emplace_back(p.key);
  return out;
}

}  // namespace coldtrace::server
