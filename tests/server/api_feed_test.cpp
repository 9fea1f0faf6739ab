// GET /api/v1/feed as a regulator's system polls it: page after page until caught up, each
// page linking to the last hash it stored, and nothing missed or repeated; bad parameters
// refused in plain words; only admins and inspectors.
#include "tests/server/api_world.hpp"

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

// What a consumer keeps between polls.
struct consumer {
  std::int64_t after = 0;
  std::string last_hash = std::string(64, '0');  // the first event links to 32 zero bytes
  std::int64_t seen = 0;

  // Polls until caught up; answers the pages it took. Checks every link on the way.
  int catch_up(api_fixture& f, const std::string& token, int limit) {
    int pages = 0;
    while (true) {
      auto r = f.get(
          "/api/v1/feed?after=" + std::to_string(after) + "&limit=" + std::to_string(limit), token);
      REQUIRE(r.status == 200);
      ++pages;
      const auto& events = r.at("events").as_array();
      CHECK(events.size() <= static_cast<std::size_t>(limit));
      for (const auto& v : events) {
        const auto& e = v.as_object();
        CHECK(e.at("seq").to_number<std::int64_t>() == after + 1);
        CHECK(e.at("prev_hash").as_string() == last_hash);
        CHECK(e.at("hash").as_string().size() == 64);
        CHECK(!e.at("type").as_string().empty());
        after = e.at("seq").to_number<std::int64_t>();
        last_hash = e.at("hash").as_string();
        ++seen;
      }
      CHECK(r.at("next_after").to_number<std::int64_t>() == after);
      if (r.at("caught_up").as_bool()) {
        const auto& head = r.at("head").as_object();
        CHECK(head.at("seq").to_number<std::int64_t>() == after);
        CHECK(head.at("hash").as_string() == last_hash);
        return pages;
      }
      REQUIRE(pages < 1000);
    }
  }
};

}  // namespace

TEST_CASE("the feed: page by page to the head, every event linked, nothing missed",
          "[server][api][feed]") {
  api_fixture f;
  const world x = make_world(f);
  const auto total = f.audit_events();
  REQUIRE(total > 20);

  consumer c;
  const int pages = c.catch_up(f, x.inspector.token, 7);
  CHECK(c.seen == total);
  CHECK(pages >= total / 7);

  // Polled again with nothing new: an empty page, still caught up.
  auto idle = f.get("/api/v1/feed?after=" + std::to_string(c.after), x.admin.token);
  REQUIRE(idle.status == 200);
  CHECK(idle.at("events").as_array().empty());
  CHECK(idle.at("caught_up").as_bool());

  // New writes: the next poll gives exactly them, linked to the hash the consumer kept.
  f.add_unit(storage::unit_kind::seller);
  f.add_unit(storage::unit_kind::caterer);
  CHECK(c.catch_up(f, x.admin.token, 1000) == 1);
  CHECK(c.seen == f.audit_events());
  CHECK(c.seen == total + 2);
}

TEST_CASE("the feed refuses bad parameters in plain words, and other roles",
          "[server][api][feed]") {
  api_fixture f;
  const world x = make_world(f);
  const std::string& t = x.admin.token;
  struct bad {
    std::string query, says;
  };
  const bad cases[] = {
      {"limit=0", "\"limit\" must be an integer from 1 to 1000"},
      {"limit=1001", "\"limit\" must be an integer from 1 to 1000"},
      {"limit=ten", "\"limit\" must be an integer"},
      {"after=-1", "\"after\" must be an integer from 0"},
      {"after=1.5", "\"after\" must be an integer"},
      {"afer=3", "unknown query parameter \"afer\"; accepted: after, limit, lang"},
      {"after=1&after=2", "\"after\" is given twice"},
      {"after=" + std::to_string(f.audit_events() + 1), "the chain ends at event"},
  };
  for (const auto& b : cases) {
    auto r = f.get("/api/v1/feed?" + b.query + "&lang=en", t);  // the messages in English
    INFO(b.query << " → " << r.body);
    CHECK(r.status == 400);
    CHECK(r.at("error").at("message").as_string().find(b.says) != std::string::npos);
  }
  CHECK(f.get("/api/v1/feed", x.op.token).status == 403);
  CHECK(f.get("/api/v1/feed", x.wh.token).status == 403);
  CHECK(f.get("/api/v1/feed").status == 401);
  CHECK(f.get("/api/v1/feed", x.inspector.token).status == 200);
}
