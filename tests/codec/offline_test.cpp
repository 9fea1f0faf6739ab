// The signed block list offline verifiers carry, and the offline answer: fails closed.
#include "codec/offline.hpp"

#include "tests/support.hpp"

#include <boost/json.hpp>

using namespace coldtrace;
using namespace coldtrace::codec;
using namespace std::chrono_literals;

namespace {

struct fixture {
  signing_key key = signing_key::generate().value();
  key_set keys;
  seconds_time made = parse_time("2026-11-28T08:00:00Z").value();

  fixture() { keys.add(key.public_part()); }

  // A list as GET /api/v1/blocked serves it.
  std::string signed_list(std::string payload) const {
    auto sig = key.sign(as_bytes(payload)).value();
    return boost::json::serialize(
        boost::json::object{{"payload", base64url_encode(as_bytes(payload))},
                            {"kid", kid_text(key.kid())},
                            {"signature", base64url_encode(bytes(sig.begin(), sig.end()))}});
  }
  std::string list_json() const {
    return signed_list(
        R"({"kid":"x","last_lot":20,"last_code":300,"entries":[{"lot":7,"path":"","status":)"
        R"("recalled"},{"lot":9,"path":"02","status":"quarantined"},{"lot":12,"path":"",)"
        R"("status":"held"}],"issued_at":"2026-11-28T08:00:00Z"})");
  }
};

payload code(std::uint64_t id, std::uint64_t lot, bytes path = {}) {
  payload p;
  p.code_id = id;
  p.root_lot = lot;
  p.split_path = std::move(path);
  return p;
}

}  // namespace

TEST_CASE("a block list reads back when its signature holds", "[codec]") {
  fixture f;
  auto l = read_block_list(f.list_json(), f.keys);
  REQUIRE(l);
  CHECK(l->issued_at == f.made);
  CHECK(l->last_lot == 20);
  CHECK(l->last_code == 300);
  REQUIRE(l->entries.size() == 3);
  CHECK(l->entries[1].path == bytes{2});
  CHECK(l->entries[1].status == verdict::quarantined);
  CHECK(l->entries[2].status == verdict::not_released);

  std::string altered = f.list_json();
  auto at = altered.find("\"payload\":\"") + 12;
  altered[at] = altered[at] == 'A' ? 'B' : 'A';
  CHECK(read_block_list(altered, f.keys).error().code == make_error_code(errc::bad_signature));
  key_set other;
  other.add(signing_key::generate().value().public_part());
  CHECK(read_block_list(f.list_json(), other).error().code == make_error_code(errc::bad_signature));
  CHECK_FALSE(read_block_list("{}", f.keys));
  // A list from before the list said what it covers cannot confirm anything.
  CHECK_FALSE(read_block_list(
      f.signed_list(R"({"kid":"x","entries":[],"issued_at":"2026-11-28T08:00:00Z"})"), f.keys));
}

TEST_CASE("offline, only a covered code under a recent list is valid", "[codec]") {
  fixture f;
  auto l = read_block_list(f.list_json(), f.keys).value();
  const auto soon = f.made + 1h;
  CHECK(check_offline(code(100, 3), &l, soon).verdict == verdict::valid);
  CHECK(check_offline(code(100, 3), &l, soon).why == unconfirmed::no);

  // Named by the list: refused, whatever the list's age.
  CHECK(check_offline(code(100, 7, {1, 4}), &l, soon).verdict == verdict::recalled);
  CHECK(check_offline(code(100, 9, {2, 1}), &l, soon).verdict == verdict::quarantined);
  CHECK(check_offline(code(100, 9, {3}), &l, soon).verdict == verdict::valid);
  CHECK(check_offline(code(100, 12), &l, f.made + 72h).verdict == verdict::not_released);

  // Beyond what the list covers: a lot or a code made after it.
  for (const auto& p : {code(100, 21), code(301, 3)}) {
    auto a = check_offline(p, &l, soon);
    CHECK(a.verdict == verdict::unknown);
    CHECK(a.why == unconfirmed::beyond_list);
    CHECK(a.confirmed_at == f.made);
  }
  // Too old: 24 h by default, or as given.
  CHECK(check_offline(code(100, 3), &l, f.made + 24h).verdict == verdict::valid);
  auto old = check_offline(code(100, 3), &l, f.made + 24h + 1s);
  CHECK(old.verdict == verdict::unknown);
  CHECK(old.why == unconfirmed::list_too_old);
  CHECK(check_offline(code(100, 3), &l, soon, 30min).why == unconfirmed::list_too_old);
  // No list: never confirmed.
  auto none = check_offline(code(100, 3), nullptr, soon);
  CHECK(none.verdict == verdict::unknown);
  CHECK(none.why == unconfirmed::no_list);
  CHECK_FALSE(none.confirmed_at);
}

TEST_CASE("offline, version 2 paths match the list's prefixes; a label confirms nothing",
          "[codec]") {
  fixture f;
  auto l = read_block_list(f.list_json(), f.keys).value();
  const auto soon = f.made + 1h;
  bytes past_255 = {2};
  append_split_level(past_255, 1000);
  CHECK(check_offline(code(100, 9, past_255), &l, soon).verdict == verdict::quarantined);
  bytes sibling = {3};
  append_split_level(sibling, 1000);
  CHECK(check_offline(code(100, 9, sibling), &l, soon).verdict == verdict::valid);
  // A pre-printed label of lot 7's warehouse: the recall of lot 7 says nothing about it, and
  // a recent list does not make it valid either.
  auto label = code(100, 0);
  label.holder = 4;
  auto a = check_offline(label, &l, soon);
  CHECK(a.verdict == verdict::unknown);
  CHECK(a.why == unconfirmed::label);
  CHECK(to_string(a.why) == "label");
}

TEST_CASE("list times are the server's UTC form", "[codec]") {
  CHECK(format_time(parse_time("2026-02-03T04:05:06Z").value()) == "2026-02-03T04:05:06Z");
  CHECK_FALSE(parse_time("2026-02-03 04:05:06Z"));
  CHECK_FALSE(parse_time("2026-02-30T04:05:06Z"));
  CHECK_FALSE(parse_time("2026-02-03T24:05:06Z"));
}
