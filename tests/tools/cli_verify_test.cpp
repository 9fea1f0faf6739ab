// coldtrace code verify --blocked: offline verification fails closed. A code newer than the
// list, a list older than --max-age, or no list gives "genuine, status not confirmed" (exit 3),
// never valid; a prefix the list names is refused (exit 4); a forgery is forged (exit 1).
#include "codec/keys.hpp"
#include "codec/offline.hpp"
#include "tests/support.hpp"
#include "tests/tools/run_cli.hpp"

#include <boost/json.hpp>

#include <fstream>

using namespace coldtrace;
using namespace std::chrono_literals;
using coldtrace::test::run_cli;

namespace {

namespace json = boost::json;

// A key, a code of lot 1000123 (code 4000000123, split path 01 03), and lists to check it with.
struct offline_desk {
  test::temp_dir dir;
  std::string keys = (dir.path / "keys").string();
  std::string jwks = keys + "/jwks.json";
  std::string url;

  offline_desk() {
    REQUIRE(run_cli({"keygen", "--dir", keys}).status == 0);
    auto issued = run_cli({"code",          "issue",
                           "--key",         keys + "/signing-key.pem",
                           "--host",        "trace.example.gov.cn",
                           "--code-id",     "4000000123",
                           "--lot",         "1000123",
                           "--path",        "0103",
                           "--category",    "domestic_frozen",
                           "--quantity-kg", "20",
                           "--holder",      "100234",
                           "--origin",      "CN"});
    REQUIRE(issued.status == 0);
    url = issued.out.substr(0, issued.out.find('\n'));
  }

  // A list as GET /api/v1/blocked serves it, signed with this desk's key, written to a file.
  std::string list(std::chrono::seconds age, std::uint64_t last_lot, std::uint64_t last_code,
                   json::array entries = {}) {
    auto key = codec::signing_key::load_pem(keys + "/signing-key.pem").value();
    const auto made =
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) - age;
    const std::string payload =
        json::serialize(json::object{{"kid", codec::kid_text(key.kid())},
                                     {"last_lot", last_lot},
                                     {"last_code", last_code},
                                     {"entries", std::move(entries)},
                                     {"issued_at", codec::format_time(made)}});
    auto sig = key.sign(as_bytes(payload)).value();
    const auto file = (dir.path / ("list" + std::to_string(lists_++) + ".json")).string();
    std::ofstream(file) << json::serialize(
        json::object{{"payload", base64url_encode(as_bytes(payload))},
                     {"kid", codec::kid_text(key.kid())},
                     {"signature", base64url_encode(sig)}});
    return file;
  }

  test::cli_run verify(std::vector<std::string> extra) {
    std::vector<std::string> args{"code", "verify", url, "--jwks", jwks, "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }

 private:
  int lists_ = 0;
};

json::object answer(const test::cli_run& r) {
  INFO(r.out << r.err);
  return json::parse(r.out).as_object();
}

}  // namespace

TEST_CASE("code verify is valid only with a recent list that covers the code", "[tools]") {
  offline_desk d;
  auto ok = d.verify({"--blocked", d.list(1h, 1000123, 4000000123)});
  CHECK(ok.status == 0);
  CHECK(answer(ok).at("verdict") == "valid");
  CHECK(answer(ok).at("confirmed") == true);
  auto text = run_cli(
      {"code", "verify", d.url, "--jwks", d.jwks, "--blocked", d.list(1h, 1000123, 4000000123)});
  CHECK(text.status == 0);
  CHECK_THAT(text.out, Catch::Contains("covers lots up to 1000123 and codes up to 4000000123"));
}

TEST_CASE("code verify: a lot taken in after the list is genuine, not confirmed", "[tools]") {
  offline_desk d;
  // The list was made before lot 1000123 existed (held lots are listed; this one is not).
  auto r = d.verify(
      {"--blocked", d.list(1h, 1000122, 4000000000,
                           json::array{{{"lot", 1000122}, {"path", ""}, {"status", "held"}}})});
  CHECK(r.status == 3);
  auto a = answer(r);
  CHECK(a.at("verdict") == "unknown");
  CHECK(a.at("genuine") == true);
  CHECK(a.at("confirmed") == false);
  CHECK(a.at("not_confirmed") == "beyond_list");
  CHECK(a.at("confirmed_at").as_string().size() == 20);
  // A code issued after the list, of a lot it covers, is beyond it too.
  CHECK(d.verify({"--blocked", d.list(1h, 1000123, 4000000122)}).status == 3);

  auto text = run_cli(
      {"code", "verify", d.url, "--jwks", d.jwks, "--blocked", d.list(1h, 1000122, 4000000000)});
  CHECK(text.status == 3);
  CHECK_THAT(text.out, Catch::Contains("genuine label, status not confirmed since 20"));
  CHECK_THAT(text.out, Catch::Contains("newer than the block list"));
  CHECK_THAT(text.out, !Catch::Contains("Valid"));
}

TEST_CASE("code verify: a list older than --max-age confirms nothing", "[tools]") {
  offline_desk d;
  const auto stale = d.list(25h, 2000000, 5000000000);
  auto r = d.verify({"--blocked", stale});
  CHECK(r.status == 3);
  CHECK(answer(r).at("not_confirmed") == "list_too_old");
  CHECK(d.verify({"--blocked", stale, "--max-age", "2d"}).status == 0);
  CHECK(d.verify({"--blocked", d.list(2h, 2000000, 5000000000), "--max-age", "90m"}).status == 3);
  CHECK(d.verify({"--blocked", stale, "--max-age", "soon"}).status == 2);
  // No list at all: the signature holds, the status is not confirmed.
  auto none = d.verify({});
  CHECK(none.status == 3);
  CHECK(answer(none).at("not_confirmed") == "no_list");
}

TEST_CASE("code verify: a recalled prefix is refused, its siblings are not", "[tools]") {
  offline_desk d;
  auto recalled =
      d.verify({"--blocked",
                d.list(1h, 2000000, 5000000000,
                       json::array{{{"lot", 1000123}, {"path", "01"}, {"status", "recalled"}}})});
  CHECK(recalled.status == 4);
  CHECK(answer(recalled).at("verdict") == "recalled");
  // Refused even by an old list: what it names errs on the safe side.
  auto old =
      d.verify({"--blocked",
                d.list(72h, 2000000, 5000000000,
                       json::array{{{"lot", 1000123}, {"path", ""}, {"status", "quarantined"}}})});
  CHECK(old.status == 4);
  CHECK(answer(old).at("verdict") == "quarantined");
  CHECK(d.verify({"--blocked",
                  d.list(1h, 2000000, 5000000000,
                         json::array{{{"lot", 1000123}, {"path", "02"}, {"status", "recalled"}}})})
            .status == 0);
}

TEST_CASE("code verify: forgeries are forged, lists that do not verify are refused", "[tools]") {
  offline_desk d;
  const auto list = d.list(1h, 2000000, 5000000000);
  std::string forged = d.url;
  forged.back() = forged.back() == '1' ? '2' : '1';  // the signature's last byte
  auto r = run_cli({"code", "verify", forged, "--jwks", d.jwks, "--blocked", list, "--json"});
  CHECK(r.status == 1);
  CHECK(answer(r).at("verdict") == "forged");
  CHECK(answer(r).at("genuine") == false);

  // Signed by a key the platform never published: forged, as online (not "unknown").
  offline_desk other;
  auto foreign =
      run_cli({"code", "verify", other.url, "--jwks", d.jwks, "--blocked", list, "--json"});
  CHECK(foreign.status == 1);
  CHECK(answer(foreign).at("verdict") == "forged");

  // A list signed by another key, or altered, is not used: exit 2 with the reason.
  auto foreign_list = d.verify({"--blocked", other.list(1h, 2000000, 5000000000)});
  CHECK(foreign_list.status == 2);
  CHECK_THAT(foreign_list.err, Catch::Contains("block list"));
  CHECK(d.verify({"--blocked", (d.dir.path / "missing.json").string()}).status == 2);
}
