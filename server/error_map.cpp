#include "server/error_map.hpp"

#include "server/messages.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <map>
#include <memory>
#include <shared_mutex>
#include <vector>

namespace coldtrace::server {
namespace {

using codec_errc = codec::errc;

// Bad input a client sent is 400; a failure on our side is 500.
constexpr error_mapping codec_table[] = {
    {static_cast<int>(codec_errc::bad_digits), 400, "bad_digits"},
    {static_cast<int>(codec_errc::bad_url), 400, "bad_url"},
    {static_cast<int>(codec_errc::bad_cbor), 400, "bad_cbor"},
    {static_cast<int>(codec_errc::not_canonical), 400, "not_canonical"},
    {static_cast<int>(codec_errc::bad_cose), 400, "bad_cose"},
    {static_cast<int>(codec_errc::bad_payload), 400, "bad_payload"},
    {static_cast<int>(codec_errc::unsupported_version), 400, "unsupported_version"},
    {static_cast<int>(codec_errc::unknown_kid), 400, "unknown_kid"},
    {static_cast<int>(codec_errc::bad_signature), 400, "bad_signature"},
    {static_cast<int>(codec_errc::crypto_failure), 500, "crypto_failure"},
    {static_cast<int>(codec_errc::bad_key), 500, "bad_key"},
    {static_cast<int>(codec_errc::io_failure), 500, "io_failure"},
    {static_cast<int>(codec_errc::too_large), 400, "too_large"},
    {static_cast<int>(codec_errc::bad_credit_code), 400, "bad_credit_code"},
    {static_cast<int>(codec_errc::bad_customs_number), 400, "bad_customs_number"},
    {static_cast<int>(codec_errc::bad_country), 400, "bad_country"},
    {static_cast<int>(codec_errc::bad_category), 400, "bad_category"},
    {static_cast<int>(codec_errc::bad_value), 400, "bad_value"},
    {static_cast<int>(codec_errc::qr_failure), 500, "qr_failure"},
    {static_cast<int>(codec_errc::foreign_host), 400, "foreign_host"},
};

constexpr error_mapping server_table[] = {
    {static_cast<int>(errc::malformed_json), 400, "malformed_json"},
    {static_cast<int>(errc::not_an_object), 400, "not_an_object"},
    {static_cast<int>(errc::unknown_field), 400, "unknown_field"},
    {static_cast<int>(errc::missing_field), 400, "missing_field"},
    {static_cast<int>(errc::wrong_type), 400, "wrong_type"},
    {static_cast<int>(errc::bad_target), 400, "bad_target"},
    {static_cast<int>(errc::bad_request), 400, "bad_request"},
    {static_cast<int>(errc::not_found), 404, "not_found"},
    {static_cast<int>(errc::method_not_allowed), 405, "method_not_allowed"},
    {static_cast<int>(errc::body_too_large), 413, "body_too_large"},
    {static_cast<int>(errc::header_too_large), 431, "header_too_large"},
    {static_cast<int>(errc::unauthorized), 401, "unauthorized"},
    {static_cast<int>(errc::forbidden), 403, "forbidden"},
    {static_cast<int>(errc::internal), 500, "internal"},
    {static_cast<int>(errc::duplicate_key), 400, "duplicate_key"},
    {static_cast<int>(errc::unsupported_media_type), 415, "unsupported_media_type"},
};

struct category_table {
  const boost::system::error_category* category;
  std::map<int, http_error> by_value;
};

class registry {
 public:
  registry() {
    add(codec::category(), codec_table);
    add(server::category(), server_table);
  }

  void add(const boost::system::error_category& category, std::span<const error_mapping> table) {
    category_table entry{&category, {}};
    for (const auto& m : table) {
      entry.by_value[m.value] = http_error{m.status, std::string(m.code), true};
    }
    std::unique_lock lock(mutex_);
    for (auto& t : tables_) {
      if (*t.category == category) {
        t = std::move(entry);
        return;
      }
    }
    tables_.push_back(std::move(entry));
  }

  http_error find(const boost::system::error_code& ec) const {
    std::shared_lock lock(mutex_);
    for (const auto& t : tables_) {
      if (*t.category != ec.category()) continue;
      auto it = t.by_value.find(ec.value());
      if (it != t.by_value.end()) return it->second;
      break;
    }
    return {};
  }

 private:
  mutable std::shared_mutex mutex_;
  std::vector<category_table> tables_;
};

registry& instance() {
  static registry r;
  return r;
}

}  // namespace

void register_errors(const boost::system::error_category& category,
                     std::span<const error_mapping> table) {
  instance().add(category, table);
}

http_error map_error(const boost::system::error_code& ec) {
  return instance().find(ec);
}

response error_response(const error& e, pages::lang l) {
  auto mapped = map_error(e.code);
  boost::json::object body;
  if (!mapped.mapped) {
    body = {{"code", mapped.code},
            {"message", l == pages::lang::zh ? "服务器内部错误" : "internal error"}};
  } else {
    body = {{"code", mapped.code}, {"message", localized_message(e, mapped.code, l)}};
    if (!e.detail.empty()) body["detail"] = e.detail;
  }
  response res;
  res.status = mapped.status;
  res.body = boost::json::serialize(boost::json::object{{"error", std::move(body)}});
  res.fields.set("Content-Language", std::string(pages::html_lang(l)));
  // RFC 9110 §10.2.3: when a refused client may ask again, in seconds.
  for (const auto& [name, value] : e.args)
    if (name == "retry_after" && mapped.status == 429) res.fields.set("Retry-After", value);
  return res;
}

response error_response(errc e, std::string message, pages::lang l) {
  return error_response(fail(e, std::move(message)), l);
}

}  // namespace coldtrace::server
