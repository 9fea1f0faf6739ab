#include "tests/server/api_fixture.hpp"

#include "codec/url.hpp"
#include "server/api/api.hpp"
#include "storage/postgres_ledger.hpp"

#include <stdlib.h>

#include <atomic>
#include <cstdio>

namespace coldtrace::server::test {

std::string api_reply::error_code() const {
  if (!json.is_object()) return "";
  const auto* e = json.as_object().if_contains("error");
  if (e == nullptr || !e->is_object()) return "";
  return std::string(e->as_object().at("code").as_string());
}

api_fixture::scratch_dir::scratch_dir() {
  std::string tmpl = std::filesystem::exists("/dev/shm") ? "/dev/shm/coldtrace-api-XXXXXX"
                                                         : "/tmp/coldtrace-api-XXXXXX";
  path = ::mkdtemp(tmpl.data());
}
api_fixture::scratch_dir::~scratch_dir() {
  std::filesystem::remove_all(path);
}

namespace {

// COLDTRACE_TEST_BACKEND=postgres puts every fixture's ledger on PostgreSQL: the ctest entries
// test_server:pg:<case> (tests/server/CMakeLists.txt) run the exchange tests so.
bool testing_postgres() {
  const char* b = std::getenv("COLDTRACE_TEST_BACKEND");
  return b && std::string_view{b} == "postgres";
}

}  // namespace

api_fixture::api_fixture(backend b)
    : key_(std::make_shared<codec::signing_key>(codec::signing_key::generate().value())) {
  keys_.add(key_->public_part());
  if (b == backend::postgres || testing_postgres()) {
    REQUIRE(storage::test::pg_cluster());
    pg_.emplace();
    ledger_ = storage::open_postgres_ledger({pg_->uri, key_}).value();
  } else {
    storage::sqlite_options o;
    o.file = dir_.path / "ledger.db";
    o.signing_key = key_;
    ledger_ = storage::sqlite_ledger::open(o).value();
  }
  std::filesystem::create_directories(key_dir());
  key_->save_pem(key_dir() / "signing-key.pem").value();
  keys_.save(key_dir() / "jwks.json").value();
  ring_.emplace(key_snapshot{key_, keys_}, key_dir(),
                [this](std::shared_ptr<const codec::signing_key> k) {
                  ledger_->set_signing_key(std::move(k));
                });
  // Answers are kept until the ledger commits, without the age limit that stands in for
  // commits by other processes: every API test then relies on the cache's exactness.
  app_.emplace(app{*ledger_,
                   *ring_,
                   std::string(host),
                   {std::string(old_host)},
                   {16u << 20, std::chrono::hours(1)}});
  bureau = add_unit(storage::unit_kind::regulator, "市场监督管理局");
  admin = add_account(bureau, storage::account_role::admin);

  auto options = test_options();
  options.blocking_threads = 8;
  options.install = [this](router& r, metrics_registry& m) { install_api(r, m, *app_); };
  options.metrics_access = admin_only(*app_);  // as `coldtrace serve` has it
  server_.emplace(options);
}

api_fixture::~api_fixture() {
  client_.reset();
  server_.reset();
  ledger_->close();
}

api_reply api_fixture::call(std::string_view method, std::string_view target, std::string body,
                            const std::string& token) {
  fields extra;
  if (!body.empty()) extra.emplace_back("Content-Type", "application/json");
  return call_with(method, target, std::move(body), token, std::move(extra));
}

api_reply api_fixture::call_with(std::string_view method, std::string_view target, std::string body,
                                 const std::string& token, fields extra) {
  if (!token.empty()) extra.emplace_back("Authorization", "Bearer " + token);
  if (!client_) client_.emplace(port());
  auto r = client_->request(method, target, std::move(body), extra);
  if (!r.keep_alive) client_.reset();
  api_reply out{r.status, std::move(r.body), nullptr};
  boost::system::error_code ec;
  auto parsed = json::parse(out.body, ec);
  if (!ec) out.json = std::move(parsed);
  return out;
}

std::string api_fixture::metrics() {
  return call("GET", "/metrics", {}, admin.token).body;
}

std::int64_t api_fixture::audit_events() {
  return ledger_->verify_chain().value().events;
}

storage::context api_fixture::as(const storage::actor& a) const {
  return {a, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
}

storage::unit_id api_fixture::add_unit(storage::unit_kind kind, std::string name) {
  const auto n = std::to_string(++units_);
  const auto first17 = "9131000" + std::string(10 - n.size(), '0') + n;
  if (name.empty()) name = "unit " + std::to_string(units_);
  storage::unit_request r{storage::with_check_character(first17), name, kind, "上海市"};
  return ledger_->register_unit(as(storage::actor::local_admin()), r).value().id;
}

caller api_fixture::add_account(storage::unit_id unit, storage::account_role role) {
  // Names differ (the names that sign in with a password must), also for one unit's staff.
  static std::atomic<int> accounts{0};
  const auto name = "staff " + std::to_string(++accounts) + " of unit " + std::to_string(unit);
  auto t = ledger_->create_account(as(storage::actor::local_admin()), {unit, role, name}).value();
  return {{t.account.id, t.account.unit, t.account.role}, t.token};
}

std::string api_fixture::url_of(const storage::code_record& c) const {
  return codec::make_code_url(host, c.signed_code).value();
}

}  // namespace coldtrace::server::test
