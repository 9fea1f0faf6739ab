// JSON request bodies and responses. parse_object() is the gate every API body goes through:
// valid JSON, an object, only the fields the endpoint accepts (no mass assignment), each of
// the declared type. Its messages are written for the person who sent the request.
#pragma once

#include "codec/error.hpp"
#include "server/http.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace coldtrace::server {

enum class json_type { string, integer, number, boolean, object, array };

struct json_field {
  std::string_view name;
  json_type type;
  bool required = true;  // an optional field may be absent or null
};

// A request with a body must say it is JSON: "Content-Type: application/json", parameters
// such as "; charset=utf-8" allowed, the name in any case. An empty body needs no header.
result<void> require_json_body(const request& req);

// Parses a body as any JSON value (RFC 8259): one value and nothing after it, and no object
// with one key twice (RFC 8259 §4 leaves their meaning open; we refuse them).
result<boost::json::value> parse_json(std::string_view body);

// Parses a body as a JSON object whose members are all among `fields`, with every required
// one present and each of its declared type.
result<boost::json::object> parse_object(std::string_view body, std::span<const json_field> fields);

// The same checks for an object already parsed, e.g. a nested one. `where` prefixes field
// names in messages ("items[2].").
result<void> check_fields(const boost::json::object& object, std::span<const json_field> fields,
                          std::string_view where = "");

// Accessors for an object that passed check_fields: the types are known, so these cannot
// fail for a declared field. The find_ forms answer nullopt for an absent or null field.
std::string_view get_string(const boost::json::object& object, std::string_view name);
std::int64_t get_integer(const boost::json::object& object, std::string_view name);
double get_number(const boost::json::object& object, std::string_view name);
bool get_bool(const boost::json::object& object, std::string_view name);
std::optional<std::string_view> find_string(const boost::json::object& object,
                                            std::string_view name);
std::optional<std::int64_t> find_integer(const boost::json::object& object, std::string_view name);

response json_response(unsigned status, const boost::json::value& body);

}  // namespace coldtrace::server
