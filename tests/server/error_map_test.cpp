#include "server/error_map.hpp"

#include <catch2/catch.hpp>

using namespace coldtrace;
using namespace coldtrace::server;

namespace {

// Stands in for storage's category, which registers itself the same way.
enum class ledger_errc { lot_not_found = 1, quantity_exceeded, disk_full };

class test_category final : public boost::system::error_category {
 public:
  explicit test_category(const char* name) : name_(name) {}
  const char* name() const noexcept override { return name_; }
  std::string message(int) const override { return "ledger error"; }

 private:
  const char* name_;
};

const test_category& ledger() {
  static const test_category c("test.ledger");
  return c;
}

const test_category& never_registered() {
  static const test_category c("test.unregistered");
  return c;
}

error fail_in(const boost::system::error_category& c, ledger_errc e, std::string message) {
  return {{static_cast<int>(e), c}, std::move(message)};
}

}  // namespace

// The messages these tests check are the English ones (Chinese is tested in
// api_messages_test.cpp).
response english(const error& e) {
  return error_response(e, pages::lang::en);
}

TEST_CASE("codec and server errors map to statuses and codes", "[server]") {
  auto [code, status, name] = GENERATE(table<boost::system::error_code, unsigned, std::string>({
      {codec::make_error_code(codec::errc::bad_digits), 400, "bad_digits"},
      {codec::make_error_code(codec::errc::bad_customs_number), 400, "bad_customs_number"},
      {codec::make_error_code(codec::errc::crypto_failure), 500, "crypto_failure"},
      {make_error_code(errc::body_too_large), 413, "body_too_large"},
      {make_error_code(errc::header_too_large), 431, "header_too_large"},
      {make_error_code(errc::unauthorized), 401, "unauthorized"},
  }));
  auto mapped = map_error(code);
  CHECK(mapped.mapped);
  CHECK(mapped.status == status);
  CHECK(mapped.code == name);
}

TEST_CASE("the error body has a code and a message", "[server]") {
  auto res = english(codec::fail(codec::errc::bad_country, "XX is not a country"));
  CHECK(res.status == 400);
  CHECK(res.content_type == "application/json");
  CHECK(res.body == R"({"error":{"code":"bad_country","message":"XX is not a country"}})");
}

TEST_CASE("an error without a message gets its category's sentence", "[server]") {
  auto res = english(error{codec::make_error_code(codec::errc::bad_signature), ""});
  CHECK(res.body ==
        R"({"error":{"code":"bad_signature","message":"the code's signature is not valid"}})");
}

TEST_CASE("an error nobody registered is a 500 that tells the client nothing", "[server]") {
  auto res = english(fail_in(never_registered(), ledger_errc::lot_not_found, "row 7"));
  CHECK(res.status == 500);
  CHECK(res.body == R"({"error":{"code":"internal","message":"internal error"}})");
}

TEST_CASE("a category registers its own table", "[server]") {
  constexpr error_mapping table[] = {
      {static_cast<int>(ledger_errc::lot_not_found), 404, "lot_not_found"},
      {static_cast<int>(ledger_errc::quantity_exceeded), 409, "quantity_exceeded"},
  };
  register_errors(ledger(), table);
  auto res =
      english(fail_in(ledger(), ledger_errc::quantity_exceeded, "only 3 kg left; 5 kg asked"));
  CHECK(res.status == 409);
  CHECK(res.body ==
        R"({"error":{"code":"quantity_exceeded","message":"only 3 kg left; 5 kg asked"}})");
  // A value the table leaves out is still a bug, not the client's error.
  CHECK(english(fail_in(ledger(), ledger_errc::disk_full, "ENOSPC")).status == 500);
}
