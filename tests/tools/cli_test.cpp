// The coldtrace CLI as a user runs it, checked against independent oracles: zbarimg reads the
// label, Node's WebCrypto checks the signature, and the exit statuses are the documented ones.
#include "tests/support.hpp"

#include <sys/stat.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;

namespace {

struct run_result {
  int status;
  std::string out;
};

run_result run(const std::string& command) {
  run_result r{-1, {}};
  FILE* p = ::popen((command + " 2>/dev/null").c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  int raw = ::pclose(p);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

std::string cli() {
  return COLDTRACE_CLI;
}

bool have(const char* tool) {
  return run(std::string("command -v ") + tool).status == 0;
}

struct workspace {
  fs::path dir;
  std::string url;

  explicit workspace(const std::string& path = "0103") {
    char tmpl[] = "/tmp/coldtrace-cli-XXXXXX";
    dir = ::mkdtemp(tmpl);
    REQUIRE(run(cli() + " keygen --dir " + keys()).status == 0);
    auto issued = run(cli() + " code issue --key " + keys() + "/signing-key.pem" +
                      " --host trace.example.gov.cn --code-id 4000000123 --lot 1000123" +
                      " --path " + path + " --category imported_fruit --quantity-kg 12345.5" +
                      " --holder 100234 --origin CL --day 2026-11-27");
    REQUIRE(issued.status == 0);
    url = issued.out;
    REQUIRE(url.back() == '\n');
    url.pop_back();
  }
  ~workspace() { fs::remove_all(dir); }
  std::string keys() const { return (dir / "keys").string(); }
  std::string jwks() const { return keys() + "/jwks.json"; }
};

}  // namespace

TEST_CASE("keygen writes a 0600 signing key and a JWKS", "[tools]") {
  workspace w;
  struct stat st {};
  REQUIRE(::stat((w.keys() + "/signing-key.pem").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(fs::exists(w.jwks()));
  SECTION("a second keygen refuses to replace the key") {
    CHECK(run(cli() + " keygen --dir " + w.keys()).status != 0);
  }
  SECTION("rotation keeps old codes verifying") {
    REQUIRE(run(cli() + " keygen --rotate --dir " + w.keys()).status == 0);
    // Genuine (3: with no block list its status is not confirmed), not forged (1).
    CHECK(run(cli() + " code verify " + w.url + " --jwks " + w.jwks()).status == 3);
  }
}

TEST_CASE("code issue prints only the URL", "[tools]") {
  workspace w;
  CHECK(w.url.rfind("https://trace.example.gov.cn/c/", 0) == 0);
  CHECK(w.url.find_first_not_of("0123456789", 31) == std::string::npos);
}

TEST_CASE("code verify exits 1 forged, 2 malformed, 3 genuine without a list", "[tools]") {
  workspace w;
  auto ok = run(cli() + " code verify " + w.url + " --jwks " + w.jwks() + " --json");
  CHECK(ok.status == 3);  // genuine; with no block list (--blocked) its status is not confirmed
  CHECK_THAT(ok.out, Catch::Contains(R"("genuine":true)"));
  CHECK_THAT(ok.out, Catch::Contains(R"("quantity_g":12345500)"));
  CHECK_THAT(ok.out, Catch::Contains(R"("origin":"CL")"));

  std::string forged = w.url;
  forged.back() = forged.back() == '1' ? '2' : '1';  // changes the signature's last byte
  CHECK(run(cli() + " code verify " + forged + " --jwks " + w.jwks()).status == 1);

  CHECK(run(cli() + " code verify " + w.url.substr(0, w.url.size() - 1) + " --jwks " + w.jwks())
            .status == 2);
  CHECK(run(cli() + " code verify https://example.org/ --jwks " + w.jwks()).status == 2);

  fs::create_directories(w.dir / "other");
  REQUIRE(run(cli() + " keygen --dir " + (w.dir / "other").string()).status == 0);
  auto no_key =
      run(cli() + " code verify " + w.url + " --jwks " + (w.dir / "other" / "jwks.json").string());
  CHECK(no_key.status == 1);  // no published key signed it: forged, as online
  CHECK_THAT(no_key.out, Catch::Contains("forged"));
}

TEST_CASE("code issue rejects bad input with a clear message", "[tools]") {
  workspace w;
  const std::string base = cli() + " code issue --key " + w.keys() +
                           "/signing-key.pem --host h.cn --code-id 1 --lot 1 --holder 1";
  CHECK(run(base + " --category imported_fish --quantity-kg 1 --origin CL").status == 2);
  CHECK(run(base + " --category imported_fruit --quantity-kg 1 --origin XX").status == 2);
  CHECK(run(base + " --category imported_fruit --quantity-kg 1.2345 --origin CL").status == 2);
  CHECK(run(base + " --category imported_fruit --quantity-kg 0 --origin CL").status == 2);
  CHECK(run(base + " --category imported_fruit --quantity-kg 1 --origin CL --day 2026-02-30")
            .status == 2);
}

TEST_CASE("a PNG label decodes with zbarimg to the exact URL", "[tools]") {
  REQUIRE(have("zbarimg"));  // installed by tools/test.sh
  workspace w;
  const auto png = (w.dir / "label.png").string();
  auto made = run(cli() + " code qr " + w.url + " --out " + png + " --module-px 4");
  REQUIRE(made.status == 0);
  CHECK_THAT(made.out, Catch::Contains("QR version 8"));
  auto read = run("zbarimg --raw -q " + png);
  REQUIRE(read.status == 0);
  CHECK(read.out == w.url + "\n");

  const auto svg = (w.dir / "label.svg").string();
  REQUIRE(run(cli() + " code qr " + w.url + " --out " + svg).status == 0);
  CHECK(fs::file_size(svg) > 1000);
}

TEST_CASE("an independent verifier accepts our signature", "[tools]") {
  REQUIRE(have("node"));  // installed by tools/test.sh
  workspace w;
  const std::string oracle =
      "node " + std::string(COLDTRACE_SOURCE_DIR) + "/tests/tools/cose_oracle.mjs ";
  auto ok = run(oracle + w.url + " " + w.jwks());
  CHECK(ok.out == "valid\n");
  CHECK(ok.status == 0);

  std::string forged = w.url;
  forged.back() = forged.back() == '1' ? '2' : '1';
  auto bad = run(oracle + forged + " " + w.jwks());
  CHECK(bad.out == "invalid\n");
  CHECK(bad.status == 1);
}

TEST_CASE("version 2 codes (a 1,000th child) verify in the CLI and both independent verifiers",
          "[tools]") {
  REQUIRE(have("node"));
  workspace w("02000003e807");  // child 2, then its 1,000th child, then that one's 7th
  const std::string oracle =
      "node " + std::string(COLDTRACE_SOURCE_DIR) + "/tests/tools/cose_oracle.mjs ";
  auto ok = run(oracle + w.url + " " + w.jwks());
  CHECK(ok.out == "valid\n");
  // Genuine; with no block list given its status is not confirmed (exit 3), never forged.
  auto offline = run(cli() + " code verify " + w.url + " --jwks " + w.jwks() + " --json");
  CHECK(offline.status == 3);
  CHECK_THAT(offline.out, Catch::Contains("\"genuine\":true"));

  // The second verifier, a COSE library from npm (@ldclabs/cose-ts): v1 and v2 alike.
  const std::string library =
      "node " + std::string(COLDTRACE_SOURCE_DIR) + "/tests/tools/cose_ts_oracle.mjs ";
  CHECK(run(library + w.url + " " + w.jwks()).out == "valid v2\n");
  workspace v1;
  CHECK(run(library + v1.url + " " + v1.jwks()).out == "valid v1\n");
  CHECK(run(library + v1.url + " " + w.jwks()).status == 1);  // not signed by w's key

  std::string forged = w.url;
  forged.back() = forged.back() == '1' ? '2' : '1';
  CHECK(run(oracle + forged + " " + w.jwks()).status == 1);
  CHECK(run(library + forged + " " + w.jwks()).out == "invalid\n");
  CHECK(run(cli() + " code verify " + forged + " --jwks " + w.jwks()).status == 1);

  SECTION("a path that is not canonical is refused at issue") {
    for (const char* bad : {"000000ff", "0000", "00"}) {
      auto r = run(cli() + " code issue --key " + w.keys() + "/signing-key.pem" +
                   " --host trace.example.gov.cn --code-id 1 --lot 1 --path " + bad +
                   " --category imported_fruit --quantity-kg 1 --holder 1 --origin CL");
      CHECK(r.status == 2);
    }
  }
}
