// Print-ready labels as a printer and a scanner meet them: the PDF rendered to pixels by
// poppler (pdftoppm) and the ZPL's bitmap, both read back by zbarimg to the code's exact URL;
// the Chinese text checked with pdftotext. Who may print is who may read the code.
#include "codec/number.hpp"
#include "tests/server/api_world.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

using namespace coldtrace;
using namespace coldtrace::server::test;
namespace fs = std::filesystem;

namespace {

std::string shell(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen((command + " 2>/dev/null").c_str(), "r")) {
    char buf[4096];
    while (auto n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

struct scratch {
  fs::path dir;
  scratch() {
    char tmpl[] = "/tmp/coldtrace-print-XXXXXX";
    dir = ::mkdtemp(tmpl);
  }
  ~scratch() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& bytes) const {
    const auto path = (dir / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
};

// The URLs zbarimg reads in an image, sorted.
std::vector<std::string> scanned(const std::string& image) {
  std::vector<std::string> urls;
  std::istringstream lines(shell("zbarimg --raw -q " + image + " 2>/dev/null"));
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) urls.push_back(line);
  std::sort(urls.begin(), urls.end());
  return urls;
}

std::string url_of(api_fixture& f, const world& x, storage::code_id id) {
  return std::string(
      f.get("/api/v1/codes/" + std::to_string(id), x.admin.token).at("url").as_string());
}

}  // namespace

TEST_CASE("a PDF label scans to the code's URL and says in Chinese what it marks", "[api]") {
  api_fixture f;
  const auto x = make_world(f);
  scratch s;
  auto r = f.get("/api/v1/codes/" + std::to_string(x.at_s) + "/label.pdf", x.op.token);
  REQUIRE(r.status == 200);
  client c(f.port());
  const auto raw = c.request("GET", "/api/v1/codes/" + std::to_string(x.at_s) + "/label.pdf", {},
                             {{"Authorization", "Bearer " + x.op.token}});
  CHECK(raw.header("Content-Type") == "application/pdf");
  const auto pdf = s.write("label.pdf", r.body);
  REQUIRE(r.body.starts_with("%PDF-"));
  // One 70 × 37 mm page.
  CHECK_THAT(shell("pdfinfo " + pdf), Catch::Matches("[\\s\\S]*Pages: +1\\n[\\s\\S]*") &&
                                          Catch::Contains("198.425 x 104.882 pts"));
  shell("pdftoppm -r 300 -png " + pdf + " " + (s.dir / "page").string());
  CHECK(scanned((s.dir / "page-1.png").string()) == std::vector<std::string>{url_of(f, x, x.at_s)});
  auto words = shell("pdftotext " + pdf + " -");  // it spaces out CJK text: take the spaces out
  std::erase(words, ' ');
  CHECK_THAT(words, Catch::Contains("冻带鱼") && Catch::Contains("净重"));
  CHECK_THAT(words, Catch::Contains("中国") && Catch::Contains("扫码查验·无码禁售"));
  const auto code = f.ledger().get_code(storage::actor::local_admin(), x.at_s).value();
  CHECK_THAT(words, Catch::Contains(
                        codec::number_digits(codec::number_of_code(code.signed_code).value())));
}

TEST_CASE("an A4 sheet holds 24 labels a page, each scanning to its own code", "[api]") {
  api_fixture f;
  const auto x = make_world(f);
  scratch s;
  // 26 codes at the warehouse: its root and 25 consignments from it, two pages.
  // Queued at once so that they share commits (the test's keep-alive connection idles 5 s).
  std::vector<std::future<result<storage::code_record>>> made;
  for (int i = 0; i < 25; ++i) {
    auto p = std::make_shared<std::promise<result<storage::code_record>>>();
    made.push_back(p->get_future());
    f.ledger().async_dispatch(f.as(x.wh.who), {x.root, x.s, 100},
                              [p](result<storage::code_record> r) { p->set_value(std::move(r)); });
  }
  std::vector<storage::code_id> ids{x.root};
  for (auto& m : made) ids.push_back(m.get().value().id);
  std::string list;
  for (auto id : ids) list += (list.empty() ? "" : ",") + std::to_string(id);
  auto r = f.get("/api/v1/labels.pdf?codes=" + list, x.wh.token);
  REQUIRE(r.status == 200);
  const auto pdf = s.write("sheet.pdf", r.body);
  std::vector<std::string> expected;  // asked now: the keep-alive connection idles out in 5 s
  for (auto id : ids) expected.push_back(url_of(f, x, id));
  CHECK_THAT(shell("pdfinfo " + pdf), Catch::Matches("[\\s\\S]*Pages: +2\\n[\\s\\S]*") &&
                                          Catch::Contains("595.276 x 841.89 pts"));
  // Each 70 × 37.125 mm slot cut out at 300 dpi and scanned on its own, as a phone sees one
  // label: it holds exactly one code, in the order asked for.
  const auto slot = [&](int page, int i) {
    const auto png = (s.dir / ("slot-" + std::to_string(page) + "-" + std::to_string(i))).string();
    const int left = (i % 3) * 827, top = static_cast<int>((i / 3) * 438.5);
    shell("pdftoppm -r 300 -f " + std::to_string(page) + " -l " + std::to_string(page) + " -x " +
          std::to_string(left) + " -y " + std::to_string(top) + " -W 826 -H 438 -png -singlefile " +
          pdf + " " + png);
    return scanned(png + ".png");
  };
  for (std::size_t i = 0; i < ids.size(); ++i) {
    INFO("label " << i);
    CHECK(slot(i < 24 ? 1 : 2, static_cast<int>(i % 24)) == std::vector<std::string>{expected[i]});
  }
  CHECK(slot(2, 2).empty());
}

TEST_CASE("label batches: another unit's code stops the batch; bad lists are 400s", "[api]") {
  api_fixture f;
  const auto x = make_world(f);
  SECTION("one code the caller may not read stops the batch with its 404") {
    auto refused =
        f.get("/api/v1/labels.pdf?codes=" + std::to_string(x.root) + "," + std::to_string(x.root2),
              x.wh.token);
    CHECK(refused.status == 404);
    CHECK(refused.error_code() == "not_found");
  }
  SECTION("bad lists and layouts are 400s that say what is expected") {
    for (const char* q :
         {"", "?codes=", "?codes=1,,2", "?codes=a", "?codes=-3", "?codes=1&layout=roll"}) {
      auto bad = f.get(std::string("/api/v1/labels.pdf") + q, x.wh.token);
      INFO(q);
      CHECK(bad.status == 400);
      CHECK_FALSE(bad.at("error").at("message").as_string().empty());
    }
    std::string many = "1";
    for (int i = 0; i < 480; ++i) many += ",1";
    CHECK(f.get("/api/v1/labels.pdf?codes=" + many, x.wh.token).status == 400);
  }
}

TEST_CASE("ZPL: one format per label, its bitmap scans to the code's URL", "[api]") {
  api_fixture f;
  const auto x = make_world(f);
  scratch s;
  auto r = f.get("/api/v1/codes/" + std::to_string(x.at_s) + "/label.zpl", x.op.token);
  REQUIRE(r.status == 200);
  // ^XA^CI28^PW560^LL296^FO0,0^GFA,<total>,<total>,<bytes per row>,<hex>^FS^XZ
  const std::string head = "^XA^CI28^PW560^LL296^FO0,0^GFA,";
  REQUIRE(r.body.starts_with(head));
  REQUIRE(r.body.ends_with("^FS^XZ\n"));
  std::istringstream fields(r.body.substr(head.size()));
  std::string total_text, again, row_text, hex;
  std::getline(fields, total_text, ',');
  std::getline(fields, again, ',');
  std::getline(fields, row_text, ',');
  std::getline(fields, hex, '^');
  CHECK(again == total_text);
  const auto total = std::stoul(total_text), row = std::stoul(row_text);
  CHECK(hex.find_first_not_of("0123456789ABCDEF") == std::string::npos);
  REQUIRE(hex.size() == 2 * total);
  CHECK(row == 70);
  // The bitmap as a PBM (1 = black, most significant bit first, as ^GFA), read by zbarimg.
  std::string pbm = "P4\n560 " + std::to_string(total / row) + "\n";
  for (std::size_t i = 0; i < hex.size(); i += 2)
    pbm += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  CHECK(scanned(s.write("label.pbm", pbm)) == std::vector<std::string>{url_of(f, x, x.at_s)});

  SECTION("300 dpi printers, and a resolution no printer has") {
    auto fine = f.get("/api/v1/codes/" + std::to_string(x.at_s) + "/label.zpl?dpmm=12", x.op.token);
    CHECK(fine.body.starts_with("^XA^CI28^PW840^LL444"));
    CHECK(
        f.get("/api/v1/codes/" + std::to_string(x.at_s) + "/label.zpl?dpmm=3", x.op.token).status ==
        400);
  }
  SECTION("another unit's code: the 404 of a missing code; no token: 401") {
    CHECK(f.get("/api/v1/codes/" + std::to_string(x.at_s) + "/label.zpl", x.op2.token).status ==
          404);
    CHECK(f.get("/api/v1/codes/" + std::to_string(x.at_s) + "/label.pdf").status == 401);
  }
}
