// Issue 9 §2, "trust at the public edge", over a real server on loopback: what anyone may see
// of a code, who may have its label, and copied labels under a host that is not ours.
#include "codec/digits.hpp"
#include "server/api/api.hpp"
#include "tests/server/api_world.hpp"

#include <regex>

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

std::string str(const json::value& v) {
  return std::string(v.as_string());
}

// Every key anywhere in a JSON value.
void collect_keys(const json::value& v, std::vector<std::string>& out) {
  if (v.is_object()) {
    for (const auto& [k, child] : v.as_object()) {
      out.emplace_back(k);
      collect_keys(child, out);
    }
  } else if (v.is_array()) {
    for (const auto& child : v.as_array()) collect_keys(child, out);
  }
}

std::string unit_name(api_fixture& f, storage::unit_id u) {
  return f.ledger().get_unit(u).value().name;
}

std::string digits_of(const std::string& url) {
  return url.substr(url.rfind('/') + 1);
}

// A metric's value in /metrics text, 0 when absent.
std::uint64_t metric(api_fixture& f, const std::string& name) {
  std::smatch m;
  const auto text = f.metrics();
  if (!std::regex_search(text, m, std::regex("\n" + name + " ([0-9]+)"))) return 0;
  return std::stoull(m[1]);
}

// A code two splits deep: w's lot → s (op) → s2 (op2), 400 g of s's 1000 g.
struct deep_code {
  storage::code_record code;
  std::string url;
};
deep_code two_splits_down(api_fixture& f, const world& x) {
  auto child = f.ledger().dispatch(f.as(x.op.who), {x.at_s, x.s2, 400}).value();
  auto got = f.ledger().receive(f.as(x.op2.who), child.id).value();
  return {got, f.url_of(got)};
}

}  // namespace

TEST_CASE("the public answer shows what a buyer needs and nothing of the network", "[api]") {
  api_fixture f;
  const auto x = make_world(f);
  const auto deep = two_splits_down(f, x);
  const auto target = "/api/v1/verify?code=" + deep.url;
  // Anonymous, and with the token of the code's supplier: the same public answer.
  for (const auto* token : {&x.admin.token, &x.op.token}) {
    for (const bool signed_in : {false, true}) {
      auto r = f.get(target, signed_in ? *token : std::string{});
      INFO(r.body);
      REQUIRE(r.status == 200);
      CHECK(str(r.at("verdict")) == "valid");
      std::vector<std::string> keys;
      collect_keys(r.json, keys);
      for (const char* hidden : {"chain", "quantity_g", "remaining_g", "parent", "split_path"})
        CHECK(std::find(keys.begin(), keys.end(), hidden) == keys.end());
      // The supplier (s) is another unit: neither its name nor its id appears.
      CHECK(r.body.find('"' + unit_name(f, x.s) + '"') == std::string::npos);
      const auto& facts = r.at("facts").as_object();
      CHECK(facts.at("holder").as_object().at("id").as_int64() == x.s2);
      CHECK(facts.at("warehouse").as_object().at("id").as_int64() == x.w);
      CHECK(str(facts.at("holder").as_object().at("name")) == unit_name(f, x.s2));
      const auto& tests = facts.at("tests").as_array();
      REQUIRE(tests.size() == 1);
      const auto& t = tests[0].as_object();
      CHECK(str(t.at("outcome")) == "negative");
      CHECK(!str(t.at("type")).empty());
      CHECK(!str(t.at("lab")).empty());
      CHECK(str(t.at("reported_day")).size() == 10);
      CHECK(facts.at("disinfection").is_object());
      CHECK(str(facts.at("issue_day")).size() == 10);
    }
  }
  SECTION("the chain and quantities are the trace's, for the holder and its supplier only") {
    for (const auto* who : {&x.op2, &x.op, &x.inspector}) {
      auto t = f.get("/api/v1/trace?code=" + deep.url, who->token);
      REQUIRE(t.status == 200);
      CHECK(t.at("chain").as_array().size() == 3);
      CHECK(t.at("chain").as_array().back().as_object().at("quantity_g").as_int64() == 400);
    }
    CHECK(f.get("/api/v1/trace?code=" + deep.url, x.wh2.token).status == 404);
    CHECK(f.get("/api/v1/trace?code=" + deep.url).status == 401);
  }
}

TEST_CASE("labels go only to a signed-in unit that may print them", "[api]") {
  api_fixture f;
  const auto x = make_world(f);
  const auto label = [&](storage::code_id id, std::string_view kind) {
    return "/api/v1/codes/" + std::to_string(id) + "/label." + std::string(kind);
  };
  SECTION("the harvest of issue 9: sequential ids, no token, every one refused") {
    for (storage::code_id id = 1; id <= x.pending_w2 + 2; ++id) {
      auto r = f.get(label(id, "png"));
      CHECK(r.status == 401);
      CHECK(r.body.find("PNG") == std::string::npos);
    }
  }
  SECTION("the holder, the lot's warehouse, inspectors and admins get it") {
    for (const auto* who : {&x.op, &x.wh, &x.inspector, &x.admin}) {
      auto r = f.get(label(x.at_s, "png"), who->token);
      REQUIRE(r.status == 200);
      CHECK(r.body.substr(1, 3) == "PNG");
      CHECK(f.get(label(x.at_s, "svg"), who->token).body.starts_with("<svg"));
    }
  }
  SECTION("another unit gets exactly the 404 of a code that does not exist") {
    auto theirs = f.get(label(x.at_s, "svg"), x.op2.token);
    auto missing = f.get(label(999'999, "svg"), x.op2.token);
    CHECK(theirs.status == 404);
    CHECK(theirs.error_code() == "not_found");
    CHECK(missing.status == 404);
    CHECK(missing.error_code() == "not_found");
    CHECK(f.get(label(x.at_s, "png"), x.wh2.token).status == 404);
  }
  SECTION("each label is rendered once; the next request is served from the cache") {
    const auto renders = metric(f, "coldtrace_label_renders_total");
    const auto hits = metric(f, "coldtrace_label_cache_hits_total");
    auto first = f.get(label(x.at_s, "png") + "?px=5", x.op.token);
    auto again = f.get(label(x.at_s, "png") + "?px=5", x.wh.token);
    REQUIRE(first.status == 200);
    CHECK(again.body == first.body);
    CHECK(metric(f, "coldtrace_label_renders_total") == renders + 1);
    CHECK(metric(f, "coldtrace_label_cache_hits_total") == hits + 1);
    // The cache is consulted only after the read that decides who may have the label.
    CHECK(f.get(label(x.at_s, "png") + "?px=5", x.op2.token).status == 404);
    CHECK(f.get(label(x.at_s, "png") + "?px=5").status == 401);
    CHECK(metric(f, "coldtrace_label_cache_hits_total") == hits + 1);
    // Another size is another label.
    CHECK(f.get(label(x.at_s, "png") + "?px=6", x.op.token).status == 200);
    CHECK(metric(f, "coldtrace_label_renders_total") == renders + 2);
  }
}

TEST_CASE("labels render on the blocking pool, not on the I/O threads", "[api]") {
  api_fixture f;
  server::metrics_registry m;
  server::router r;
  server::key_ring ring{server::key_snapshot{
      std::make_shared<const codec::signing_key>(codec::signing_key::generate().value()), {}}};
  const server::app a{f.ledger(), ring, std::string(api_fixture::host), {}};
  server::install_api(r, m, a);
  for (const char* target : {"/api/v1/codes/1/label.png", "/api/v1/codes/1/label.svg"}) {
    server::request req;
    req.target = target;
    server::context ctx(m);
    auto found = r.resolve(req, ctx);
    REQUIRE(found.found);
    CHECK(found.found->options.blocking);
  }
}

TEST_CASE("a genuine code under a host that is not ours is forged", "[api]") {
  api_fixture f;
  const auto x = make_world(f);
  const auto digits = digits_of(x.url_at_s);
  const std::string foreign = "https://trace.example.gov.cn.example.com/c/" + digits;
  const std::string old = "https://" + std::string(api_fixture::old_host) + "/c/" + digits;

  auto verdict = [&](const std::string& code) {
    auto r = f.get("/api/v1/verify?code=" + code);
    REQUIRE(r.status == 200);
    return str(r.at("verdict"));
  };
  CHECK(verdict(x.url_at_s) == "valid");
  CHECK(verdict(old) == "valid");
  CHECK(verdict(digits) == "valid");
  CHECK(verdict(foreign) == "forged");
  CHECK(f.get("/api/v1/verify?code=" + foreign).at("facts").is_null());
  CHECK(verdict("https://evil.example.cn/c/" + digits) == "forged");

  SECTION("a sale check refuses it and sells nothing") {
    auto copied =
        f.post("/api/v1/sale-checks", {{"code", foreign}, {"quantity_g", 100}}, x.op.token);
    REQUIRE(copied.status == 200);
    CHECK(str(copied.at("verdict")) == "forged");
    CHECK_FALSE(copied.at("allowed").as_bool());
    CHECK(copied.at("sale").is_null());
    CHECK(copied.at("code").is_null());
    auto genuine = f.post("/api/v1/sale-checks", {{"code", old}, {"quantity_g", 100}}, x.op.token);
    REQUIRE(genuine.status == 200);
    CHECK(str(genuine.at("verdict")) == "valid");
    CHECK(genuine.at("allowed").as_bool());
    CHECK(genuine.at("remaining_g").as_int64() == 900);  // only the genuine sale counted
  }
  SECTION("an inspection records it as forged") {
    auto i =
        f.post("/api/v1/inspections", {{"unit", x.s}, {"codes", json::array{x.url_at_s, foreign}}},
               x.inspector.token);
    REQUIRE(i.status == 201);
    const auto& codes = i.at("codes").as_array();
    REQUIRE(codes.size() == 2);
    CHECK(str(codes[0].as_object().at("verdict")) == "valid");
    CHECK(str(codes[1].as_object().at("verdict")) == "forged");
  }
}
