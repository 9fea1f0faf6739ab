#include "server/json.hpp"

#include "server/error.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

namespace coldtrace::server {
namespace {

std::string_view type_name(json_type t) {
  switch (t) {
    case json_type::string: return "a string";
    case json_type::integer: return "an integer";
    case json_type::number: return "a number";
    case json_type::boolean: return "true or false";
    case json_type::object: return "an object";
    case json_type::array: return "an array";
  }
  return "a value";
}

std::string_view kind_name(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null: return "null";
    case boost::json::kind::bool_: return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64: return "an integer";
    case boost::json::kind::double_: return "a fractional number";
    case boost::json::kind::string: return "a string";
    case boost::json::kind::array: return "an array";
    case boost::json::kind::object: return "an object";
  }
  return "a value";
}

bool has_type(const boost::json::value& v, json_type t) {
  switch (t) {
    case json_type::string: return v.is_string();
    case json_type::integer:
      // A uint64 above INT64_MAX is no quantity we store; 1.0 is not an integer either.
      return v.is_int64() ||
             (v.is_uint64() && v.get_uint64() <= std::numeric_limits<std::int64_t>::max());
    case json_type::number: return v.is_number();
    case json_type::boolean: return v.is_bool();
    case json_type::object: return v.is_object();
    case json_type::array: return v.is_array();
  }
  return false;
}

std::string quoted(std::string_view where, std::string_view name) {
  return "\"" + std::string(where) + std::string(name) + "\"";
}

std::string accepted_list(std::span<const json_field> fields) {
  std::string list;
  for (const auto& f : fields) {
    if (!list.empty()) list += ", ";
    list += quoted("", f.name);
  }
  return list.empty() ? "no fields" : list;
}

// A basic_parser handler that only watches keys: RFC 8259 leaves duplicate names
// unspecified and Boost.JSON keeps the last, so {"unit": 1, "unit": 2} could mean one thing
// to a proxy or a log reader and another to us. Each open object keeps the keys seen so far.
struct duplicate_keys {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  std::vector<std::vector<std::string>> open;
  std::string key;
  std::string duplicate;  // the first key found twice in one object

  using ec = boost::system::error_code;
  using sv = boost::json::string_view;
  bool on_document_begin(ec&) { return true; }
  bool on_document_end(ec&) { return true; }
  bool on_object_begin(ec&) {
    open.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, ec&) {
    open.pop_back();
    return true;
  }
  bool on_array_begin(ec&) { return true; }
  bool on_array_end(std::size_t, ec&) { return true; }
  bool on_key_part(sv s, std::size_t, ec&) {
    key.append(s.data(), s.size());
    return true;
  }
  bool on_key(sv s, std::size_t, ec& e) {
    key.append(s.data(), s.size());
    auto& seen = open.back();
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      duplicate = std::move(key);
      e = boost::json::error::syntax;  // stops the parse; `duplicate` says why
      return false;
    }
    seen.push_back(std::move(key));
    key.clear();
    return true;
  }
  bool on_string_part(sv, std::size_t, ec&) { return true; }
  bool on_string(sv, std::size_t, ec&) { return true; }
  bool on_number_part(sv, ec&) { return true; }
  bool on_int64(std::int64_t, sv, ec&) { return true; }
  bool on_uint64(std::uint64_t, sv, ec&) { return true; }
  bool on_double(double, sv, ec&) { return true; }
  bool on_bool(bool, ec&) { return true; }
  bool on_null(ec&) { return true; }
  bool on_comment_part(sv, ec&) { return true; }
  bool on_comment(sv, ec&) { return true; }
};

// The first member name that occurs twice in one object of a valid JSON text, if any.
std::optional<std::string> find_duplicate_key(std::string_view body) {
  boost::json::basic_parser<duplicate_keys> p{boost::json::parse_options{}};
  boost::system::error_code ec;
  p.write_some(false, body.data(), body.size(), ec);
  if (p.handler().duplicate.empty()) return std::nullopt;
  return std::move(p.handler().duplicate);
}

// A header value echoed in a message: printable ASCII only ('?' for the rest), at most 64.
std::string shown_header(std::string_view value) {
  std::string out;
  for (char c : value.substr(0, 64)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

result<void> require_json_body(const request& req) {
  if (req.body.find_first_not_of(" \t\r\n") == std::string_view::npos) return {};
  const auto type = req.fields.find("Content-Type");
  // The media type is case-insensitive and may carry parameters (RFC 9110 §8.3.1).
  const auto media = type ? trimmed(type->substr(0, type->find(';'))) : std::string_view{};
  if (iequals(media, "application/json")) return {};
  return fail(
      errc::unsupported_media_type,
      type ? "the request body must be sent as \"Content-Type: application/json\", not \"" +
                 shown_header(*type) + "\""
           : std::string("the request body needs a \"Content-Type: application/json\" header"));
}

result<boost::json::value> parse_json(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return fail(errc::malformed_json, "the request body is empty; it must be JSON");
  }
  boost::json::parser parser;
  boost::system::error_code ec;
  std::size_t used = parser.write_some(body.data(), body.size(), ec);
  if (!ec && used < body.size()) {
    return fail(errc::malformed_json,
                "the request body has text after the JSON value, at byte " + std::to_string(used));
  }
  if (ec) {
    return fail(errc::malformed_json, "the request body is not valid JSON: " + ec.message() +
                                          " (at byte " + std::to_string(used) + ")");
  }
  // Only a valid text is searched for repeated keys, so the messages above stay the parser's.
  if (auto key = find_duplicate_key(body)) {
    if (key->size() > 64) *key = "(a key of " + std::to_string(key->size()) + " bytes)";
    return fail(errc::duplicate_key, "the key \"" + *key +
                                         "\" appears twice in one object of the request body;"
                                         " send each field once");
  }
  return parser.release();
}

result<void> check_fields(const boost::json::object& object, std::span<const json_field> fields,
                          std::string_view where) {
  for (const auto& member : object) {
    bool known = false;
    for (const auto& f : fields) known = known || f.name == member.key();
    if (!known) {
      return fail(
          errc::unknown_field,
          "unknown field " + quoted(where, member.key()) + "; accepted: " + accepted_list(fields),
          "json.unknown_field", {{"field", std::string(member.key())}});
    }
  }
  for (const auto& f : fields) {
    const auto* value = object.if_contains(f.name);
    if (value == nullptr || value->is_null()) {
      if (!f.required) continue;
      if (value == nullptr) {
        return fail(
            errc::missing_field,
            "missing field " + quoted(where, f.name) + " (" + std::string(type_name(f.type)) + ")",
            "json.missing_field", {{"field", std::string(f.name)}});
      }
    }
    if (!has_type(*value, f.type)) {
      std::string message = "field " + quoted(where, f.name) + " must be " +
                            std::string(type_name(f.type)) + ", not " +
                            std::string(kind_name(*value));
      if (f.type == json_type::integer && value->is_uint64()) {
        message = "field " + quoted(where, f.name) + " is too large";
      }
      return fail(errc::wrong_type, std::move(message), "json.wrong_type",
                  {{"field", std::string(f.name)}});
    }
  }
  return {};
}

result<boost::json::object> parse_object(std::string_view body,
                                         std::span<const json_field> fields) {
  auto value = parse_json(body);
  if (!value) return value.error();
  if (!value->is_object()) {
    return fail(errc::not_an_object, "the request body must be a JSON object ({...}), not " +
                                         std::string(kind_name(*value)));
  }
  auto& object = value->get_object();
  if (auto checked = check_fields(object, fields); !checked) return checked.error();
  return std::move(object);
}

std::string_view get_string(const boost::json::object& object, std::string_view name) {
  return object.at(name).get_string();
}

std::int64_t get_integer(const boost::json::object& object, std::string_view name) {
  return object.at(name).to_number<std::int64_t>();
}

double get_number(const boost::json::object& object, std::string_view name) {
  return object.at(name).to_number<double>();
}

bool get_bool(const boost::json::object& object, std::string_view name) {
  return object.at(name).get_bool();
}

std::optional<std::string_view> find_string(const boost::json::object& object,
                                            std::string_view name) {
  const auto* v = object.if_contains(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return std::string_view(v->get_string());
}

std::optional<std::int64_t> find_integer(const boost::json::object& object, std::string_view name) {
  const auto* v = object.if_contains(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return v->to_number<std::int64_t>();
}

response json_response(unsigned status, const boost::json::value& body) {
  response res;
  res.status = status;
  res.body = boost::json::serialize(body);
  return res;
}

}  // namespace coldtrace::server
