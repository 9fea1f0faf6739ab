// coldtrace serve refuses a public URL its codes could not be opened under: codes always say
// https://, so an http:// --public-url is a usage error unless explicitly allowed (issue 15).
#include "tests/support.hpp"
#include "tests/tools/run_cli.hpp"

using coldtrace::test::run_cli;

TEST_CASE("serve refuses an http public URL without --allow-http-public-url", "[tools]") {
  coldtrace::test::temp_dir dir;
  const auto db = (dir.path / "ledger.db").string();
  REQUIRE(run_cli({"db", "init", "--db", db}).status == 0);
  const std::string missing_keys = (dir.path / "no-keys").string();

  SECTION("refused, saying why and how to allow it") {
    const auto r = run_cli({"serve", "--db", db, "--keys", missing_keys, "--listen", "127.0.0.1:0",
                            "--public-url", "http://trace.example.gov.cn"});
    CHECK(r.status == 2);
    CHECK(r.err.find("is not https") != std::string::npos);
    CHECK(r.err.find("--allow-http-public-url") != std::string::npos);
  }
  SECTION("allowed with the flag, with a loud warning (then the missing keys stop it)") {
    const auto r = run_cli({"serve", "--db", db, "--keys", missing_keys, "--listen", "127.0.0.1:0",
                            "--public-url", "http://127.0.0.1:8080", "--allow-http-public-url"});
    CHECK(r.status == 2);
    CHECK(r.err.find("is not https") == std::string::npos);
    CHECK(r.err.find("WARNING: --allow-http-public-url") != std::string::npos);
    CHECK(r.err.find("https://127.0.0.1:8080/c/") != std::string::npos);
  }
  SECTION("an https public URL needs no flag") {
    const auto r = run_cli({"serve", "--db", db, "--keys", missing_keys, "--listen", "127.0.0.1:0",
                            "--public-url", "https://trace.example.gov.cn"});
    CHECK(r.status == 2);  // the keys
    CHECK(r.err.find("is not https") == std::string::npos);
    CHECK(r.err.find("WARNING") == std::string::npos);
  }
}
