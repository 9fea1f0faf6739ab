#include "server/json.hpp"

#include "server/error.hpp"

#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>

#include <limits>
#include <string>

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

}  // namespace

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
  return parser.release();
}

result<void> check_fields(const boost::json::object& object, std::span<const json_field> fields,
                          std::string_view where) {
  for (const auto& member : object) {
    bool known = false;
    for (const auto& f : fields) known = known || f.name == member.key();
    if (!known) {
      return fail(errc::unknown_field, "unknown field " + quoted(where, member.key()) +
                                           "; accepted: " + accepted_list(fields));
    }
  }
  for (const auto& f : fields) {
    const auto* value = object.if_contains(f.name);
    if (value == nullptr || value->is_null()) {
      if (!f.required) continue;
      if (value == nullptr) {
        return fail(errc::missing_field, "missing field " + quoted(where, f.name) + " (" +
                                             std::string(type_name(f.type)) + ")");
      }
    }
    if (!has_type(*value, f.type)) {
      std::string message = "field " + quoted(where, f.name) + " must be " +
                            std::string(type_name(f.type)) + ", not " +
                            std::string(kind_name(*value));
      if (f.type == json_type::integer && value->is_uint64()) {
        message = "field " + quoted(where, f.name) + " is too large";
      }
      return fail(errc::wrong_type, std::move(message));
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
