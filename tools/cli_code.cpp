// coldtrace code issue | qr: codes without the ledger, for set-up (verify: cli_verify.cpp).
#include "codec/code.hpp"
#include "codec/day.hpp"
#include "codec/identifiers.hpp"
#include "codec/qr.hpp"
#include "codec/url.hpp"
#include "tools/cli.hpp"

#include <fstream>
#include <iostream>

namespace coldtrace::cli {
namespace {

// "12.5" kg -> 12500 g, exactly; at most three decimals (a gram).
result<std::uint64_t> parse_kg(std::string_view s) {
  auto bad = [&] {
    return codec::fail(codec::errc::bad_value,
                       "quantity '" + std::string(s) + "' is not a weight in kg like 12.5");
  };
  std::uint64_t grams = 0;
  int decimals = -1;
  for (char c : s) {
    if (c == '.' && decimals < 0) {
      decimals = 0;
    } else if (c >= '0' && c <= '9' && decimals < 3) {
      if (grams > UINT64_MAX / 10 - 10) return bad();
      grams = grams * 10 + static_cast<std::uint64_t>(c - '0');
      if (decimals >= 0) ++decimals;
    } else {
      return bad();
    }
  }
  if (s.empty() || s == ".") return bad();
  for (int d = decimals < 0 ? 0 : decimals; d < 3; ++d) grams *= 10;
  if (grams == 0) return codec::fail(codec::errc::bad_value, "quantity must be more than 0 kg");
  return grams;
}

struct issue_options {
  std::string key, host, path_hex, category, quantity_kg, origin, day;
  std::uint64_t code_id = 0, lot = 0, holder = 0;
};

void issue(const issue_options& o) {
  codec::payload p;
  p.code_id = o.code_id;
  p.root_lot = o.lot;
  if (!from_hex(o.path_hex, p.split_path) || !codec::split_levels(p.split_path)) {
    std::cerr << "coldtrace: --path must be hex split levels: a byte 01-ff per level, or 00 and"
                 " three bytes for an ordinal past 255 (e.g. 0103, or 020000012c)\n";
    throw cli_exit{2};
  }
  p.category = or_exit(codec::find_category(o.category), 2).id;
  p.quantity_g = or_exit(parse_kg(o.quantity_kg), 2);
  p.holder = o.holder;
  p.origin = or_exit(codec::find_country(o.origin), 2).numeric;
  p.issued_day = o.day.empty() ? codec::today() : or_exit(codec::parse_day(o.day), 2);
  auto key = or_exit(codec::signing_key::load_pem(o.key), 1);
  auto code = or_exit(codec::issue_code(p, key), 2);
  std::cout << or_exit(codec::make_code_url(o.host, code), 2) << "\n";
}

struct qr_options {
  std::string url, out;
  int module_px = 8;
};

void qr(const qr_options& o) {
  or_exit(codec::parse_code_url(o.url), 2);  // labels carry code URLs only
  auto symbol = or_exit(codec::encode_qr(o.url), 2);
  const bool png = o.out.ends_with(".png");
  if (!png && !o.out.ends_with(".svg")) {
    std::cerr << "coldtrace: --out must end in .svg or .png\n";
    throw cli_exit{2};
  }
  std::ofstream file(o.out, std::ios::binary);
  if (png) {
    auto data = or_exit(codec::render_png(symbol, o.module_px), 2);
    file.write(reinterpret_cast<const char*>(data.data()),
               static_cast<std::streamsize>(data.size()));
  } else {
    file << codec::render_svg(symbol, o.module_px);
  }
  if (!file.flush()) {
    std::cerr << "coldtrace: cannot write " << o.out << "\n";
    throw cli_exit{1};
  }
  std::cout << "QR version " << symbol.version << " (" << symbol.width << "x" << symbol.width
            << " modules, ECC M), " << o.url.size() << "-character URL -> " << o.out << "\n";
}

}  // namespace

void add_code_commands(CLI::App& app) {
  auto* code = app.add_subcommand("code", "Issue, verify and render codes");
  code->require_subcommand(1);

  auto io = std::make_shared<issue_options>();
  auto* is = code->add_subcommand("issue", "Sign a code and print its URL (only the URL)");
  is->add_option("--key", io->key, "Signing key (PEM, mode 0600)")->required();
  is->add_option("--host", io->host, "Host in the code URL, e.g. trace.example.gov.cn")->required();
  is->add_option("--code-id", io->code_id, "Unique code id")
      ->required()
      ->check(CLI::PositiveNumber);
  is->add_option("--lot", io->lot, "Root lot id")->required()->check(CLI::PositiveNumber);
  is->add_option("--path", io->path_hex,
                 "Split path in hex: 01-ff per level, 00+3 bytes past 255 (default: root)");
  is->add_option("--category", io->category, "imported_fruit | imported_ambient | domestic_frozen")
      ->required();
  is->add_option("--quantity-kg", io->quantity_kg, "Net quantity in kg (up to 3 decimals)")
      ->required();
  is->add_option("--holder", io->holder, "Holder unit id")->required()->check(CLI::PositiveNumber);
  is->add_option("--origin", io->origin, "Origin country, ISO 3166-1 alpha-2 (e.g. CL)")
      ->required();
  is->add_option("--day", io->day, "Issue day YYYY-MM-DD (default: today, UTC)");
  is->callback([io] { issue(*io); });

  add_verify_command(*code);

  auto qo = std::make_shared<qr_options>();
  auto* q = code->add_subcommand("qr", "Write a code's QR label as SVG or PNG");
  q->add_option("url", qo->url, "Code URL")->required();
  q->add_option("--out", qo->out, "Output file, .svg or .png")->required();
  q->add_option("--module-px", qo->module_px, "Pixels per module")->check(CLI::Range(1, 64));
  q->callback([qo] { qr(*qo); });
}

}  // namespace coldtrace::cli
