// coldtrace code verify: a code checked with no network, as the scanner does offline
// (docs/code-format.md): the signature against the published keys, then the signed block list
// as GET /api/v1/blocked serves it. Offline fails closed: a code the list does not cover, a
// list older than --max-age, or no list at all is "genuine, status not confirmed", never valid.
#include "codec/code.hpp"
#include "codec/day.hpp"
#include "codec/identifiers.hpp"
#include "codec/offline.hpp"
#include "codec/url.hpp"
#include "tools/cli.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace coldtrace::cli {
namespace {

// The exit statuses (documented in --help and the README).
constexpr int exit_valid = 0, exit_forged = 1, exit_unusable = 2, exit_not_confirmed = 3,
              exit_refused = 4;

std::string kg_text(std::uint64_t grams) {
  std::string s = std::to_string(grams / 1000);
  if (auto g = grams % 1000) {
    std::string frac = std::to_string(1000 + g).substr(1);
    while (frac.back() == '0') frac.pop_back();
    s += "." + frac;
  }
  return s;
}

boost::json::object describe(const codec::payload& p) {
  boost::json::object o{{"code_id", p.code_id},
                        {"lot", p.root_lot},
                        {"split_path", to_hex(p.split_path)},
                        {"category", p.category},
                        {"quantity_g", p.quantity_g},
                        {"holder", p.holder},
                        {"origin", p.origin},
                        {"issued", codec::format_day(p.issued_day)}};
  if (auto c = codec::find_category(p.category)) o["category"] = c->name;
  if (auto c = codec::find_country(p.origin)) o["origin"] = c->alpha2;
  return o;
}

// "24h", "90m", "2d", "3600s" or plain seconds.
result<std::chrono::seconds> parse_age(std::string_view s) {
  auto bad = [&] {
    return codec::fail(codec::errc::bad_value, "--max-age '" + std::string(s) +
                                                   "' is not an age like 24h, 90m, 2d or 3600s");
  };
  std::int64_t n = 0;
  std::size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (n > 100'000'000) return bad();
    n = n * 10 + (s[i] - '0');
  }
  if (i == 0 || i + 1 < s.size() || n == 0) return bad();
  const char unit = i < s.size() ? s[i] : 's';
  switch (unit) {
    case 's': return std::chrono::seconds{n};
    case 'm': return std::chrono::seconds{n * 60};
    case 'h': return std::chrono::seconds{n * 3600};
    case 'd': return std::chrono::seconds{n * 86400};
    default: return bad();
  }
}

result<std::string> read_text(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf()))
    return codec::fail(codec::errc::io_failure, "cannot read the block list " + file);
  return text.str();
}

std::string not_confirmed_text(const codec::offline_answer& a, const codec::payload& p,
                               const codec::block_list* list) {
  std::string since =
      a.confirmed_at ? "since " + codec::format_time(*a.confirmed_at) : "(no block list given)";
  std::string why;
  switch (a.why) {
    case codec::unconfirmed::beyond_list:
      why = "lot " + std::to_string(p.root_lot) + " / code " + std::to_string(p.code_id) +
            " is newer than the block list (it covers lots up to " +
            std::to_string(list->last_lot) + ", codes up to " + std::to_string(list->last_code) +
            ")";
      break;
    case codec::unconfirmed::list_too_old: why = "the block list is older than --max-age"; break;
    case codec::unconfirmed::label:
      why = "a pre-printed label; which goods it marks is known online only";
      break;
    default: why = "give the list from GET /api/v1/blocked with --blocked"; break;
  }
  return "genuine label, status not confirmed " + since + ": " + why;
}

struct verify_options {
  std::string url, jwks, blocked, max_age = "24h";
  bool json = false;
};

void verify(const verify_options& o) {
  auto keys = or_exit(codec::key_set::load(o.jwks), exit_unusable);
  const auto max_age = or_exit(parse_age(o.max_age), exit_unusable);
  std::optional<codec::block_list> list;
  if (!o.blocked.empty())
    list = or_exit(codec::read_block_list(or_exit(read_text(o.blocked), exit_unusable), keys),
                   exit_unusable);
  auto code = codec::parse_code_text(o.url);
  result<codec::payload> p = code ? codec::verify_code(*code, keys) : code.error();
  codec::offline_answer a{p ? verdict::valid : codec::verdict_of(p.error()), codec::unconfirmed::no,
                          std::nullopt};
  if (p) {
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    a = codec::check_offline(*p, list ? &*list : nullptr, now, max_age);
  }
  const bool unconfirmed = p && a.why != codec::unconfirmed::no;
  if (o.json) {
    boost::json::object out{{"verdict", to_string(a.verdict)}};
    if (p) {
      out["genuine"] = true;
      out["confirmed"] = !unconfirmed;
      if (unconfirmed) out["not_confirmed"] = to_string(a.why);
      out["confirmed_at"] = a.confirmed_at ? boost::json::value(codec::format_time(*a.confirmed_at))
                                           : boost::json::value(nullptr);
      out["code"] = describe(*p);
    } else {
      out["genuine"] = false;
      out["reason"] = p.error().message;
    }
    std::cout << boost::json::serialize(out) << "\n";
  } else {
    std::cout << "verdict:    " << to_string(a.verdict) << " — "
              << (unconfirmed ? not_confirmed_text(a, *p, list ? &*list : nullptr)
                              : std::string(describe_en(a.verdict)))
              << "\n";
    if (!p) {
      std::cout << "reason:     " << p.error().message << "\n";
    } else {
      auto category = codec::find_category(p->category);
      auto origin = codec::find_country(p->origin);
      std::cout << "code id:    " << p->code_id << "\n"
                << "lot:        " << p->root_lot << "\n"
                << "split path: " << (p->split_path.empty() ? "(root)" : to_hex(p->split_path))
                << "\n"
                << "category:   " << (category ? category->name : "?") << "\n"
                << "quantity:   " << kg_text(p->quantity_g) << " kg\n"
                << "holder:     unit " << p->holder << "\n"
                << "origin:     " << (origin ? origin->alpha2 : "?") << "\n"
                << "issued:     " << codec::format_day(p->issued_day) << "\n";
      if (list)
        std::cout << "block list: made " << codec::format_time(list->issued_at)
                  << ", covers lots up to " << list->last_lot << " and codes up to "
                  << list->last_code << "\n";
    }
  }
  if (!p) throw cli_exit{a.verdict == verdict::forged ? exit_forged : exit_unusable};
  if (unconfirmed) throw cli_exit{exit_not_confirmed};
  throw cli_exit{a.verdict == verdict::valid ? exit_valid : exit_refused};
}

}  // namespace

void add_verify_command(CLI::App& code) {
  auto vo = std::make_shared<verify_options>();
  auto* ve = code.add_subcommand(
      "verify",
      "Check a code offline against the published keys and the signed block list. Exit 0 valid, "
      "1 forged, 2 malformed or unusable keys/list, 3 genuine but status not confirmed (no "
      "list, a code newer than the list, or a list older than --max-age), 4 the list refuses it "
      "(recalled, quarantined or not released)");
  ve->add_option("url", vo->url, "Code URL or its digits")->required();
  ve->add_option("--jwks", vo->jwks, "Published keys (jwks.json)")->required();
  ve->add_option("--blocked", vo->blocked,
                 "The signed block list, as GET /api/v1/blocked serves it (JSON)");
  ve->add_option("--max-age", vo->max_age,
                 "How old the block list may be and still confirm a status (24h, 90m, 2d, 3600s)")
      ->capture_default_str();
  ve->add_flag("--json", vo->json, "Print JSON");
  ve->callback([vo] { verify(*vo); });
}

}  // namespace coldtrace::cli
