// coldtrace stats on a month of demo data: the JSON is what the API answers for the same days,
// the text gives the same figures, and bad input exits 2.
#include "codec/day.hpp"
#include "server/api/json_records.hpp"
#include "storage/sqlite_ledger.hpp"
#include "tests/support.hpp"
#include "tests/tools/run_cli.hpp"

#include <boost/json/parse.hpp>

using namespace coldtrace;
using coldtrace::test::run_cli;

namespace {

struct demo_month {
  test::temp_dir dir;
  std::string db = (dir.path / "stats.db").string();

  demo_month() {
    const auto keys = (dir.path / "keys").string();
    REQUIRE(run_cli({"keygen", "--dir", keys}).status == 0);
    REQUIRE(run_cli({"db", "demo", "--db", db, "--keys", keys, "--start", "2024-06-01",
                     "--token-out", (dir.path / "admin.token").string()})
                .status == 0);
  }

  // What the ledger itself reports for these days, both inclusive.
  storage::stats_report report(std::string_view from, std::string_view to) const {
    auto day = [](std::string_view d) {
      return storage::time_point{std::chrono::days{codec::parse_day(d).value()}};
    };
    auto ledger = storage::sqlite_ledger::open({db, nullptr}).value();
    return ledger->stats(storage::actor::local_admin(), {day(from), day(to) + std::chrono::days{1}})
        .value();
  }
};

}  // namespace

TEST_CASE("stats --json prints what GET /api/v1/stats answers for the same days", "[tools]") {
  demo_month m;
  const auto r =
      run_cli({"stats", "--db", m.db, "--from", "2024-06-01", "--to", "2024-06-30", "--json"});
  REQUIRE(r.status == 0);
  const auto printed = boost::json::parse(r.out);
  const auto s = m.report("2024-06-01", "2024-06-30");
  CHECK(printed == server::api::to_json(s));
  CHECK(printed.at("from") == "2024-06-01");
  CHECK(printed.at("to") == "2024-06-30");
  CHECK(s.samples_taken > 0);  // the demo month is inside the period
  CHECK(s.disinfections > 0);
  CHECK(printed.at("disinfections") == s.disinfections);
}

TEST_CASE("stats prints the same figures as text, in zh or en", "[tools]") {
  demo_month m;
  const auto s = m.report("2024-06-01", "2024-06-30");
  const std::vector<std::string> period{"--db", m.db, "--from", "2024-06-01", "--to", "2024-06-30"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"stats"};
    args.insert(args.end(), period.begin(), period.end());
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  };
  SECTION("zh, the default") {
    const auto r = with({});
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("统计期间 2024-06-01 至 2024-06-30"));
    CHECK_THAT(r.out, Catch::Contains("采样份数: " + std::to_string(s.samples_taken) + "\n"));
    CHECK_THAT(r.out, Catch::Contains("消毒次数: " + std::to_string(s.disinfections) + "\n"));
    const auto& frozen = s.by_category.back();
    REQUIRE(frozen.category == "domestic_frozen");
    CHECK_THAT(r.out, Catch::Contains("国产冷冻肉类、禽类及水产品: 采样 " +
                                      std::to_string(frozen.samples_taken) + " 份（阴性 " +
                                      std::to_string(frozen.results_negative) + "，"));
    CHECK_THAT(r.out, Catch::Contains("市场主体合计: " + std::to_string(s.units_registered)));
    CHECK_THAT(r.out, Catch::Contains("召回处置: 持有单位已处置 " +
                                      std::to_string(s.recall_progress.holders_answered) + "/" +
                                      std::to_string(s.recall_progress.holders)));
  }
  SECTION("en") {
    const auto r = with({"--lang", "en"});
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("Period 2024-06-01 to 2024-06-30"));
    CHECK_THAT(r.out, Catch::Contains("Samples taken: " + std::to_string(s.samples_taken) + "\n"));
    CHECK_THAT(r.out, Catch::Contains("By category:\n  Imported fruit: "));
    CHECK_THAT(r.out, Catch::Contains("Market units: " + std::to_string(s.units_registered)));
  }
}

TEST_CASE("stats exits 2 on bad input, with a message", "[tools]") {
  test::temp_dir dir;
  const auto db = (dir.path / "empty.db").string();
  REQUIRE(run_cli({"db", "init", "--db", db}).status == 0);
  using row = std::tuple<std::vector<std::string>, std::string>;
  auto [args, message] = GENERATE(table<std::vector<std::string>, std::string>({
      row{{"--from", "2024-13-01"}, "2024-13-01"},
      row{{"--from", "2024-07-01", "--to", "2024-06-01"}, "after its start"},
      row{{"--lang", "fr"}, "--lang is zh or en"},
  }));
  CAPTURE(args);
  args.insert(args.begin(), {"stats", "--db", db});
  const auto r = run_cli(args);
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains(message));
  CHECK(r.out.empty());
}
