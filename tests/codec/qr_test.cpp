#include "codec/qr.hpp"

#include <png.h>
#include <catch2/catch.hpp>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

using namespace coldtrace;
using namespace coldtrace::codec;

namespace {

// The shape of a real code URL: a 20-character host and the digits of a ~116-byte COSE_Sign1.
std::string code_url(std::size_t digits = 280) {
  std::string url = "https://trace.example.gov.cn/c/";
  for (std::size_t i = 0; i < digits; ++i) url += static_cast<char>('0' + (i * 7 + i / 3) % 10);
  return url;
}

struct decoded_png {
  int width = 0;
  int height = 0;
  int bit_depth = 0;
  int colour_type = 0;
  std::vector<png_byte> gray;  // one byte per pixel, 0 black, 255 white
  bool white(int x, int y) const { return gray[static_cast<std::size_t>(y * width + x)] == 255; }
};

// Reads a PNG back with libpng's simplified API, independently of how we wrote it.
decoded_png decode_png(const bytes& png) {
  decoded_png d;
  REQUIRE(png.size() > 26);
  d.bit_depth = png[24];  // IHDR follows the 8-byte signature, 4-byte length and "IHDR"
  d.colour_type = png[25];
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  REQUIRE(png_image_begin_read_from_memory(&image, png.data(), png.size()));
  image.format = PNG_FORMAT_GRAY;
  d.width = static_cast<int>(image.width);
  d.height = static_cast<int>(image.height);
  d.gray.resize(PNG_IMAGE_SIZE(image));
  REQUIRE(png_image_finish_read(&image, nullptr, d.gray.data(), 0, nullptr));
  return d;
}

struct temp_file {
  std::filesystem::path path;
  explicit temp_file(std::string_view suffix)
      : path(std::filesystem::temp_directory_path() /
             ("coldtrace-qr-" + std::to_string(::getpid()) + std::string(suffix))) {}
  ~temp_file() { std::filesystem::remove(path); }
};

bool have_zbarimg() {
  return std::system("command -v zbarimg >/dev/null 2>&1") == 0;
}

struct zbar_result {
  std::string out;  // what zbarimg printed on stdout: the decoded text, one line per symbol
  std::string err;
  int status = -1;
};

zbar_result zbarimg(const std::filesystem::path& image) {
  temp_file err(".err");
  const std::string command =
      "zbarimg --raw -q '" + image.string() + "' 2>'" + err.path.string() + "'";
  zbar_result r;
  std::FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe);
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    r.out.append(buffer, n);
  r.status = ::pclose(pipe);
  std::ifstream in(err.path);
  r.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return r;
}

}  // namespace

TEST_CASE("encode_qr picks the smallest version at ECC M", "[codec]") {
  // Capacities of ECC M from ISO/IEC 18004 table 7: version 1 holds 34 digits or 14 bytes.
  auto [text, version] = GENERATE(table<std::string, int>({
      {std::string(34, '7'), 1},
      {std::string(35, '7'), 2},
      {std::string(14, 'a'), 1},
      {std::string(15, 'a'), 2},
      {"https://trace.example.gov.cn/c/0123", 3},
  }));
  SECTION(text) {
    auto qr = encode_qr(text);
    REQUIRE(qr.has_value());
    CHECK(qr->version == version);
    CHECK(qr->width == 17 + 4 * version);
    CHECK(qr->dark.size() == static_cast<std::size_t>(qr->width * qr->width));
  }
}

TEST_CASE("a code URL with a 20-character host fits QR version 8", "[codec]") {
  // In byte mode the 280 digits alone would need version 13; numeric mode is what saves it.
  auto qr = encode_qr(code_url());
  REQUIRE(qr.has_value());
  CHECK(qr->version <= 8);
  CHECK(qr->width == 17 + 4 * qr->version);
  // The top-left finder pattern: a dark 7-module ring, then a light separator.
  for (int i = 0; i < 7; ++i) {
    CHECK(qr->at(i, 0));
    CHECK(qr->at(0, i));
  }
  CHECK_FALSE(qr->at(7, 0));
  CHECK_FALSE(qr->at(1, 1));
  CHECK(qr->at(3, 3));
}

TEST_CASE("encode_qr rejects text it cannot encode", "[codec]") {
  auto [text, code] = GENERATE(table<std::string, errc>({
      {std::string(2332, 'a'), errc::too_large},  // version 40-M holds 2331 bytes
      {std::string(5597, '1'), errc::too_large},  // and 5596 digits
      {"", errc::bad_value},
      {std::string("a\0b", 3), errc::bad_value},
  }));
  SECTION(std::to_string(text.size()) + " characters") {
    auto qr = encode_qr(text);
    REQUIRE_FALSE(qr.has_value());
    CHECK(qr.error().code == code);
    CHECK_FALSE(qr.error().message.empty());
  }
}

TEST_CASE("render_svg draws the dark modules in one path inside a quiet zone", "[codec]") {
  auto qr = encode_qr(code_url());
  REQUIRE(qr.has_value());
  const int module_px = GENERATE(1, 5);
  const std::string svg = render_svg(*qr, module_px);
  const int side = qr->width + 8;

  std::istringstream in(svg);
  boost::property_tree::ptree doc;
  REQUIRE_NOTHROW(boost::property_tree::read_xml(in, doc));
  const auto& root = doc.get_child("svg");
  CHECK(root.get<std::string>("<xmlattr>.viewBox") ==
        "0 0 " + std::to_string(side) + " " + std::to_string(side));
  CHECK(root.get<int>("<xmlattr>.width") == side * module_px);
  CHECK(root.get<int>("<xmlattr>.height") == side * module_px);
  CHECK(root.get<std::string>("<xmlattr>.shape-rendering") == "crispEdges");
  CHECK(root.get<std::string>("rect.<xmlattr>.fill") == "#fff");
  CHECK(root.count("path") == 1);

  // Paint the path's runs (M x y h n v1 h-n z) and compare with the symbol.
  std::vector<bool> painted(static_cast<std::size_t>(side * side));
  std::istringstream d(root.get<std::string>("path.<xmlattr>.d"));
  char m, h, v, z;
  int x, y, n, one, back;
  while (d >> m >> x >> y >> h >> n >> v >> one >> h >> back >> z) {
    REQUIRE((m == 'M' && v == 'v' && one == 1 && back == -n && z == 'z'));
    for (int i = 0; i < n; ++i) painted[static_cast<std::size_t>(y * side + x + i)] = true;
  }
  int mismatches = 0;
  for (int py = 0; py < side; ++py)
    for (int px = 0; px < side; ++px) {
      const bool inside = px >= 4 && py >= 4 && px < side - 4 && py < side - 4;
      const bool dark = inside && qr->at(px - 4, py - 4);
      mismatches += painted[static_cast<std::size_t>(py * side + px)] != dark;
    }
  CHECK(mismatches == 0);
}

TEST_CASE("render_svg refuses a module size no caller should pass", "[codec]") {
  auto qr = encode_qr("https://trace.example.gov.cn/c/1");
  REQUIRE(qr.has_value());
  CHECK_THROWS_AS(render_svg(*qr, 0), std::invalid_argument);
  CHECK_THROWS_AS(render_svg(*qr, 65), std::invalid_argument);
}

TEST_CASE("render_png writes a 1-bit grayscale PNG that decodes to the symbol", "[codec]") {
  auto qr = encode_qr(code_url());
  REQUIRE(qr.has_value());
  const int module_px = GENERATE(1, 3, 8, 64);
  SECTION(std::to_string(module_px) + " px per module") {
    auto png = render_png(*qr, module_px);
    REQUIRE(png.has_value());
    const decoded_png image = decode_png(*png);
    const int side = (qr->width + 8) * module_px;
    CHECK(image.width == side);
    CHECK(image.height == side);
    CHECK(image.bit_depth == 1);
    CHECK(image.colour_type == PNG_COLOR_TYPE_GRAY);
    int mismatches = 0;
    for (int y = 0; y < side; ++y)
      for (int x = 0; x < side; ++x) {
        const int mx = x / module_px - 4, my = y / module_px - 4;
        const bool inside = mx >= 0 && my >= 0 && mx < qr->width && my < qr->width;
        const bool dark = inside && qr->at(mx, my);
        mismatches += image.white(x, y) == dark;
      }
    CHECK(mismatches == 0);
  }
}

TEST_CASE("render_png rejects a module size outside 1 to 64 pixels", "[codec]") {
  auto qr = encode_qr("https://trace.example.gov.cn/c/1");
  REQUIRE(qr.has_value());
  auto module_px = GENERATE(-1, 0, 65, 1000);
  auto png = render_png(*qr, module_px);
  REQUIRE_FALSE(png.has_value());
  CHECK(png.error().code == errc::bad_value);
  CHECK(png.error().message ==
        "module size must be 1 to 64 pixels; got " + std::to_string(module_px));
}

TEST_CASE("zbarimg reads our PNG label back as the exact text", "[codec]") {
  if (!have_zbarimg()) {
    WARN("zbarimg is not installed (Debian zbar-tools); the independent QR check is skipped");
    return;
  }
  auto text =
      GENERATE(code_url(), code_url(40), std::string("HTTPS://Trace.Example.GOV.cn/c/0042"));
  SECTION(text) {
    auto qr = encode_qr(text);
    REQUIRE(qr.has_value());
    auto png = render_png(*qr, 4);
    REQUIRE(png.has_value());
    temp_file file(".png");
    {
      std::ofstream out(file.path, std::ios::binary);
      out.write(reinterpret_cast<const char*>(png->data()),
                static_cast<std::streamsize>(png->size()));
      REQUIRE(out);
    }
    const auto read = zbarimg(file.path);
    INFO("zbarimg stderr: " << read.err);
    CHECK(read.status == 0);
    CHECK(read.out == text + "\n");
  }
}
