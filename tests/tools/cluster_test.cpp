// Two `coldtrace serve` processes on one PostgreSQL database (issue 13): the lifecycle with
// each step on either server, an over-split raced from both, a recall made on one seen by the
// other's next verification (its answer cache kept nothing), and one server killed with
// SIGKILL during writes while the other keeps serving: nothing acknowledged lost, one chain.
#include "tests/tools/cluster.hpp"

#include "codec/keys.hpp"

#include <atomic>
#include <thread>

using namespace coldtrace;
using namespace coldtrace::test;

namespace {

std::string intake_body(std::int64_t grams) {
  return json::serialize(json::object{{"product", "智利车厘子 JJ级"},
                                      {"category", "imported_fruit"},
                                      {"origin", "CL"},
                                      {"net_weight_g", grams},
                                      {"packages", 200},
                                      {"consignor", "上海鲜丰进出口有限公司"},
                                      {"customs_number", "220120241000123456"},
                                      {"quarantine_certificate", "310000124000321"},
                                      {"vehicle", "沪A·D1234"}});
}

std::string str(const json::value& v) {
  return std::string(v.as_string());
}

// Intake on `a`, sample and result on `b`, disinfection on `a`, release on `b`.
json::object released_lot(cluster& c, server_process& a, server_process& b, std::int64_t grams) {
  auto in = a.call("POST", "/api/v1/lots", intake_body(grams), c.warehouse);
  REQUIRE(in.status == 201);
  const auto lot = "/api/v1/lots/" + std::to_string(in.at("lot").at("id").as_int64());
  auto sample = b.call("POST", lot + "/samples", R"({"type":"food_surface","collector":"张伟"})",
                       c.warehouse);
  REQUIRE(sample.status == 201);
  REQUIRE(
      a.call("POST", "/api/v1/samples/" + std::to_string(sample.at("id").as_int64()) + "/result",
             R"({"outcome":"negative","lab":"上海市疾控中心","report_number":"HS-1"})", c.warehouse)
          .status == 201);
  REQUIRE(b.call("POST", lot + "/disinfections",
                 R"({"agent":"过氧乙酸 0.2%","operator":"张伟","certificate":"XD-1"})", c.warehouse)
              .status == 201);
  REQUIRE(a.call("POST", lot + "/release", "", c.warehouse).status == 200);
  return in.json.as_object();
}

std::string verdict_on(server_process& s, const std::string& url) {
  auto r = s.call("GET", "/api/v1/verify?code=" + url);
  REQUIRE(r.status == 200);
  return str(r.at("verdict"));
}

}  // namespace

TEST_CASE("two servers on one PostgreSQL database: the lifecycle across both, one chain",
          "[tools][postgres]") {
  REQUIRE_CLUSTER_OR_RETURN();
  cluster c;
  auto& a = c.start();
  auto& b = c.start();

  auto in = released_lot(c, a, b, 1'000'000);
  const auto lot = in.at("lot").at("id").as_int64();
  const auto root_url = str(in.at("code").at("url"));
  CHECK(verdict_on(a, root_url) == "valid");
  CHECK(verdict_on(b, root_url) == "valid");

  // Dispatch on b, receive on a, sell on b.
  auto child = b.call("POST", "/api/v1/dispatch",
                      json::serialize(json::object{
                          {"code", root_url}, {"consignee", c.shop_unit}, {"quantity_g", 10'000}}),
                      c.warehouse);
  REQUIRE(child.status == 201);
  const auto child_url = str(child.at("url"));
  CHECK(verdict_on(a, child_url) == "pending_receipt");
  REQUIRE(
      a.call("POST", "/api/v1/receive", json::serialize(json::object{{"code", child_url}}), c.shop)
          .status == 200);
  auto sale =
      b.call("POST", "/api/v1/sale-checks",
             json::serialize(json::object{{"code", child_url}, {"quantity_g", 1'000}}), c.shop);
  REQUIRE(sale.status == 200);
  CHECK(sale.at("remaining_g").as_int64() == 9'000);

  // Both servers have just answered `valid` for these codes (answers a cache could keep). A
  // recall on a: b's very next verification says recalled, and so does its block list.
  CHECK(verdict_on(b, child_url) == "valid");
  CHECK(verdict_on(b, root_url) == "valid");
  REQUIRE(a.call("POST", "/api/v1/recalls",
                 json::serialize(json::object{{"lot", lot}, {"reason", "阳性"}}), c.admin)
              .status == 201);
  CHECK(verdict_on(b, child_url) == "recalled");
  CHECK(verdict_on(b, root_url) == "recalled");
  auto blocked_a = json::parse(a.call("GET", "/api/v1/blocked").body).as_object();
  auto blocked_b = json::parse(b.call("GET", "/api/v1/blocked").body).as_object();
  CHECK(blocked_a.at("payload") == blocked_b.at("payload"));

  // Verification counters: exact, whichever server counted (each adds its own to the row).
  c.stop_all();
  const auto audit = run_cli({"audit", "verify", "--db", c.db.uri});
  INFO(audit.out << audit.err);
  CHECK(audit.status == 0);
  CHECK_THAT(audit.out, Catch::Contains("audit chain intact"));
  CHECK(c.scalar("SELECT coalesce(sum(n), 0) FROM scan_counts") == 7);
}

TEST_CASE("two servers split one code at once: the children never exceed it", "[tools][postgres]") {
  REQUIRE_CLUSTER_OR_RETURN();
  cluster c;
  auto& a = c.start();
  auto& b = c.start();
  auto in = released_lot(c, a, b, 1'000'000);
  const auto root = in.at("code").at("id").as_int64();

  // 24 dispatches of 100 001 g, half on each server, four clients at once: nine fit.
  std::atomic<int> created{0}, refused{0}, other{0};
  std::vector<std::jthread> clients;
  for (int t = 0; t < 4; ++t)
    clients.emplace_back([&, t] {
      auto& s = t % 2 ? b : a;
      for (int i = 0; i < 6; ++i) {
        auto r = s.call("POST", "/api/v1/dispatch",
                        json::serialize(json::object{
                            {"code", root}, {"consignee", c.shop_unit}, {"quantity_g", 100'001}}),
                        c.warehouse);
        (r.status == 201 ? created : r.status == 409 ? refused : other)++;
      }
    });
  clients.clear();
  CHECK(created == 9);
  CHECK(refused == 15);
  CHECK(other == 0);
  auto code = b.call("GET", "/api/v1/codes/" + std::to_string(root), "", c.warehouse);
  REQUIRE(code.status == 200);
  CHECK(code.at("remaining_g").as_int64() == 1'000'000 - 9 * 100'001);
  CHECK(c.scalar("SELECT coalesce(sum(quantity_g), 0) FROM codes WHERE parent_id = " +
                 std::to_string(root)) == 9 * 100'001);
}

TEST_CASE("a server killed during writes loses nothing it acknowledged; the other serves on",
          "[tools][postgres]") {
  REQUIRE_CLUSTER_OR_RETURN();
  cluster c;
  auto& a = c.start();
  auto& b = c.start();

  std::mutex m;
  std::vector<std::int64_t> acknowledged;
  std::atomic<bool> killed{false}, stop{false};
  std::atomic<int> after_kill_on_b{0};
  std::vector<std::jthread> writers;
  for (int t = 0; t < 4; ++t)
    writers.emplace_back([&, t] {
      auto& s = t % 2 ? b : a;
      while (!stop) {
        try {
          auto r = s.call("POST", "/api/v1/lots", intake_body(5'000), c.warehouse);
          if (r.status != 201) continue;
          std::lock_guard lock{m};
          acknowledged.push_back(r.at("lot").at("id").as_int64());
          if (killed && &s == &b) ++after_kill_on_b;
        } catch (const std::exception&) {
          if (&s == &a && killed) return;  // a is gone
        }
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  a.kill9();
  killed = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  stop = true;
  writers.clear();

  CHECK(after_kill_on_b > 0);
  REQUIRE(acknowledged.size() > 10);
  for (auto id : acknowledged) {
    auto r = b.call("GET", "/api/v1/lots/" + std::to_string(id), "", c.warehouse);
    INFO("lot " << id);
    CHECK(r.status == 200);
  }
  CHECK(c.scalar("SELECT count(*) FROM lots") >= static_cast<std::int64_t>(acknowledged.size()));
  c.stop_all();
  const auto audit = run_cli({"audit", "verify", "--db", c.db.uri});
  INFO(audit.out << audit.err);
  CHECK(audit.status == 0);
  CHECK_THAT(audit.out, Catch::Contains("state matches the events"));
}

TEST_CASE("a server refuses a signing key the database's servers do not publish",
          "[tools][postgres]") {
  REQUIRE_CLUSTER_OR_RETURN();
  cluster c;
  auto& a = c.start();  // the first server publishes its keys

  // Another key directory: a key nobody published.
  const auto other = c.dir.path / "other-keys";
  std::filesystem::create_directories(other);
  auto key = codec::signing_key::generate().value();
  key.save_pem(other / "signing-key.pem").value();
  codec::key_set own;
  own.add(key.public_part());
  own.save(other / "jwks.json").value();
  const auto kid = codec::kid_text(key.kid());

  auto refused = c.start_refused({"--keys", other.string()});
  INFO(refused.err);
  CHECK(refused.status == 2);
  CHECK_THAT(refused.err, Catch::Contains("(kid " + kid + ") is not one the servers") &&
                              Catch::Contains("coldtrace db publish-keys"));

  // Published first, it starts, and its JWKS holds the cluster's keys and its own.
  const auto published =
      run_cli({"db", "publish-keys", "--db", c.db.uri, "--keys", other.string()});
  INFO(published.out << published.err);
  REQUIRE(published.status == 0);
  CHECK_THAT(published.out, Catch::Contains("publishes 2 keys"));
  auto& b = c.start({"--keys", other.string()});
  auto jwks = codec::key_set::from_jwks(b.call("GET", "/.well-known/jwks.json").body);
  REQUIRE(jwks);
  CHECK(jwks->keys().size() == 2);
  CHECK(a.call("GET", "/healthz").status == 200);
}
