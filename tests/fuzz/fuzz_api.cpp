// Any request a client can send, through the router to the API's handlers and the ledger, in
// process (no socket). The input is an HTTP-like text: "METHOD TARGET", header lines, a blank
// line, the body. "@admin", "@wh", "@op", "@insp" in it become live bearer tokens, "@url" a
// genuine code URL and "@code"/"@lot" ids that exist, so that the fuzzer gets past
// authentication and into the rules. No input may crash, trip a sanitizer, answer 5xx, or
// answer an error without the {"error": {"code", "message"}} body.
#include "codec/url.hpp"
#include "server/api/api.hpp"
#include "server/metrics.hpp"
#include "storage/demo.hpp"
#include "storage/sqlite_ledger.hpp"

#include <boost/json/parse.hpp>

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

using namespace coldtrace;
using storage::account_role;
using storage::unit_kind;

namespace {

struct harness {
  std::filesystem::path dir;
  std::shared_ptr<codec::signing_key> key;
  std::unique_ptr<storage::sqlite_ledger> ledger;
  std::unique_ptr<server::key_ring> ring;
  std::unique_ptr<server::app> app;
  server::metrics_registry metrics;
  server::router routes;
  std::map<std::string, std::string> words;  // placeholder → what replaces it

  harness() {
    // tmpfs: the fuzzer is after logic bugs, not durability, and fsync would slow it 100×.
    std::string tmpl =
        std::filesystem::exists("/dev/shm") ? "/dev/shm/fuzz-api-XXXXXX" : "/tmp/fuzz-api-XXXXXX";
    dir = ::mkdtemp(tmpl.data());
    key = std::make_shared<codec::signing_key>(codec::signing_key::from_seed(bytes(32, 7)).value());
    ledger = storage::sqlite_ledger::open({dir / "fuzz.db", key}).value();
    codec::key_set keys;
    keys.add(key->public_part());
    ring = std::make_unique<server::key_ring>(server::key_snapshot{key, keys});
    app = std::make_unique<server::app>(server::app{*ledger, *ring, "trace.example.gov.cn", {}});
    server::install_api(routes, metrics, *app);
    seed();
  }
  ~harness() {
    ledger->close();
    std::filesystem::remove_all(dir);
  }

  storage::context as(const storage::actor& a) {
    return {a, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
  }
  storage::unit_id unit(std::string_view first17, unit_kind kind) {
    return ledger
        ->register_unit(as(storage::actor::local_admin()),
                        {storage::with_check_character(first17), "unit", kind, "上海市"})
        .value()
        .id;
  }
  storage::actor account(storage::unit_id u, account_role role, const std::string& word) {
    auto t = ledger->create_account(as(storage::actor::local_admin()), {u, role, "staff"}).value();
    words[word] = t.token;
    return {t.account.id, u, role};
  }

  void seed() {
    const auto bureau = unit("11310100MB0000000", unit_kind::regulator);
    const auto w = unit("91310115MA1H00001", unit_kind::warehouse);
    const auto s = unit("92310104MA1H00004", unit_kind::seller);
    account(bureau, account_role::admin, "@admin");
    account(bureau, account_role::inspector, "@insp");
    const auto wh = account(w, account_role::warehouse, "@wh");
    const auto op = account(s, account_role::unit_operator, "@op");
    auto in = ledger
                  ->intake(as(wh), {"冻猪肉", "domestic_frozen", "CN", 1'000'000'000, 10, "屠宰场",
                                    "", "", "沪B·1"})
                  .value();
    const auto now = as(wh).at;
    auto sample =
        ledger->add_sample(as(wh), {in.lot.id, storage::sample_type::environment, now, "张"})
            .value();
    ledger->record_result(as(wh), {sample.id, storage::test_outcome::negative, "疾控", "R", now})
        .value();
    ledger->record_disinfection(as(wh), {in.lot.id, "过氧乙酸", now, "张", "XD"}).value();
    ledger->release(as(wh), in.lot.id).value();
    auto child = ledger->dispatch(as(wh), {in.code.id, s, 100'000'000}).value();
    child = ledger->receive(as(op), child.id).value();
    words["@url"] = codec::make_code_url("trace.example.gov.cn", child.signed_code).value();
    words["@code"] = std::to_string(in.code.id);
    words["@lot"] = std::to_string(in.lot.id);
  }

  std::string expand(std::string_view text) const {
    std::string out(text);
    for (const auto& [word, value] : words) {
      for (auto at = out.find(word); at != std::string::npos;
           at = out.find(word, at + value.size()))
        out.replace(at, word.size(), value);
    }
    return out;
  }
};

harness& state() {
  static harness h;
  return h;
}

// "METHOD TARGET\nName: value\n...\n\nbody", forgiving like a fuzzer's input must be parsed.
server::request parse(std::string_view in, const harness& h) {
  server::request req;
  auto line_end = in.find('\n');
  auto first = in.substr(0, line_end);
  in = line_end == std::string_view::npos ? std::string_view{} : in.substr(line_end + 1);
  auto space = first.find(' ');
  req.method = server::verb_from_string(first.substr(0, space));
  req.target = space == std::string_view::npos ? "/" : h.expand(first.substr(space + 1));
  while (!in.empty()) {
    line_end = in.find('\n');
    auto line = in.substr(0, line_end);
    in = line_end == std::string_view::npos ? std::string_view{} : in.substr(line_end + 1);
    if (line.empty()) break;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    req.fields.add(std::string(line.substr(0, colon)), h.expand(value));
  }
  req.body = h.expand(in);
  return req;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& h = state();
  const auto req = parse({reinterpret_cast<const char*>(data), size}, h);
  server::context ctx(h.metrics);
  const auto res = h.routes.dispatch(req, ctx);
  if (res.status < 200 || res.status >= 500) {  // 5xx: a bug in a handler
    std::fprintf(stderr, "%s %s -> %u %s (%s)\n",
                 std::string(server::to_string(req.method)).c_str(), req.target.c_str(), res.status,
                 res.body.c_str(), ctx.detail.c_str());
    std::abort();
  }
  if (res.status >= 400) {
    boost::system::error_code ec;
    auto body = boost::json::parse(res.body, ec);
    const auto* error = !ec && body.is_object() ? body.as_object().if_contains("error") : nullptr;
    if (error == nullptr || !error->is_object() || !error->as_object().contains("code") ||
        !error->as_object().contains("message")) {
      std::fprintf(stderr, "%u without an error body: %s\n", res.status, res.body.c_str());
      std::abort();
    }
  }
  return 0;
}
