// The API on a real socket: a fresh ledger (on tmpfs when there is one: these tests are about
// HTTP and rules, durability is storage's to test), the API installed on an in-process server
// at 127.0.0.1:0, a bureau unit with an admin, and a keep-alive client for the test thread.
#pragma once

#include "server/app.hpp"
#include "storage/demo.hpp"
#include "storage/sqlite_ledger.hpp"
#include "tests/server/client.hpp"
#include "tests/server/fixture.hpp"
#include "tests/storage/pg_support.hpp"
#include "tests/support.hpp"

#include <boost/json.hpp>

#include <optional>
#include <string>

namespace coldtrace::server::test {

namespace json = boost::json;

struct api_reply {
  unsigned status = 0;
  std::string body;
  json::value json;                // null when the body is not JSON
  std::string error_code() const;  // error.code, or "" when the reply is no error
  const json::value& at(std::string_view key) const { return json.as_object().at(key); }
  std::int64_t id(std::string_view key = "id") const { return at(key).to_number<std::int64_t>(); }
};

// Someone with a token: the account, its unit, its role, and the token.
struct caller {
  storage::actor who;
  std::string token;
};

class api_fixture {
 public:
  // The ledger on a SQLite file, or on a fresh PostgreSQL database of the test cluster
  // (tests/storage/pg_support.hpp; check REQUIRE_PG_OR_RETURN() first).
  enum class backend { sqlite, postgres };
  explicit api_fixture(backend b = backend::sqlite);
  ~api_fixture();
  api_fixture(const api_fixture&) = delete;
  api_fixture& operator=(const api_fixture&) = delete;

  // One request on the test thread's keep-alive connection; `token` empty sends none.
  api_reply call(std::string_view method, std::string_view target, std::string body = {},
                 const std::string& token = {});
  // The same with header fields of the caller's choosing: no Content-Type is added for it.
  api_reply call_with(std::string_view method, std::string_view target, std::string body,
                      const std::string& token, fields extra);
  api_reply get(std::string_view target, const std::string& token = {}) {
    return call("GET", target, {}, token);
  }
  api_reply post(std::string_view target, const json::value& body, const std::string& token) {
    return call("POST", target, json::serialize(body), token);
  }

  std::uint16_t port() const { return server_->port(); }
  std::string metrics();
  std::int64_t audit_events();  // the audit chain's length: unchanged means nothing written

  // Setup straight through the ledger, as the local administrator.
  storage::unit_id add_unit(storage::unit_kind kind, std::string name = {});
  caller add_account(storage::unit_id unit, storage::account_role role);

  storage::ledger& ledger() { return *ledger_; }
  storage::context as(const storage::actor& a) const;
  const codec::key_set& keys() const { return keys_; }  // as at the start
  const codec::signing_key& key() const { return *key_; }
  // The key directory the ring reloads from: key() and keys() as keygen writes them.
  std::filesystem::path key_dir() const { return dir_.path / "keys"; }
  std::filesystem::path db_file() const { return dir_.path / "ledger.db"; }
  bool on_postgres() const { return pg_.has_value(); }
  key_ring& ring() { return *ring_; }
  std::string url_of(const storage::code_record& c) const;

  static constexpr std::string_view host = "trace.example.gov.cn";
  // An extra host the operator lists (as after a domain move): its code URLs are genuine too.
  static constexpr std::string_view old_host = "old-trace.example.gov.cn";
  storage::unit_id bureau = 0;
  caller admin;

 private:
  struct scratch_dir {
    std::filesystem::path path;
    scratch_dir();
    ~scratch_dir();
  };
  scratch_dir dir_;
  std::optional<storage::test::pg_database> pg_;
  std::shared_ptr<codec::signing_key> key_;
  codec::key_set keys_;
  std::unique_ptr<storage::sqlite_ledger> ledger_;
  std::optional<key_ring> ring_;
  std::optional<app> app_;
  std::optional<running_server> server_;
  std::optional<client> client_;
  int units_ = 0;
};

}  // namespace coldtrace::server::test
