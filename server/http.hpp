// The request and response a handler sees: plain types, so handlers, the router and their
// tests never include Beast. The session converts to and from Beast's messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coldtrace::server {

enum class verb { get, head, post, put, patch, delete_, options, other };

std::string_view to_string(verb v);
verb verb_from_string(std::string_view s);  // `other` for methods we do not route

// Header fields in arrival order; names compare case-insensitively (RFC 9110 §5.1).
class headers {
 public:
  struct field {
    std::string name;
    std::string value;
  };

  void add(std::string name, std::string value);
  void set(std::string name, std::string value);  // replaces every field of that name
  std::optional<std::string_view> find(std::string_view name) const;

  auto begin() const { return fields_.begin(); }
  auto end() const { return fields_.end(); }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<field> fields_;
};

struct request {
  verb method = verb::get;
  std::string target;  // as sent: the path and the query, percent-encoded
  headers fields;
  std::string body;
};

struct response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  headers fields;  // extra fields such as Allow or Cache-Control; the session adds the rest
};

response text_response(unsigned status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");

// The decoded value of a query parameter (`?page=2`), if present; the first one wins.
std::optional<std::string> query_param(const request& req, std::string_view name);
// The decoded names of every query parameter, in order (repeated ones repeated).
std::vector<std::string> query_names(const request& req);

bool iequals(std::string_view a, std::string_view b);

}  // namespace coldtrace::server
