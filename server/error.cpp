#include "server/error.hpp"

namespace coldtrace::server {
namespace {

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "coldtrace.server"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::malformed_json: return "the request body is not valid JSON";
      case errc::not_an_object: return "the request body must be a JSON object";
      case errc::unknown_field: return "the request body has a field this endpoint does not accept";
      case errc::missing_field: return "the request body lacks a required field";
      case errc::wrong_type: return "a field of the request body has the wrong type";
      case errc::bad_target: return "the request target is not a valid path";
      case errc::bad_request: return "the HTTP request is malformed";
      case errc::not_found: return "no such resource";
      case errc::method_not_allowed: return "the method is not allowed for this resource";
      case errc::body_too_large: return "the request body is too large";
      case errc::header_too_large: return "the request header is too large";
      case errc::unauthorized: return "a valid bearer token is required";
      case errc::forbidden: return "the caller may not do this";
      case errc::internal: return "internal error";
      case errc::duplicate_key: return "a JSON object in the request body has a key twice";
      case errc::unsupported_media_type: return "the request body must be application/json";
    }
    return "unknown server error";
  }
};

}  // namespace

const boost::system::error_category& category() noexcept {
  static const category_impl instance;
  return instance;
}

}  // namespace coldtrace::server
