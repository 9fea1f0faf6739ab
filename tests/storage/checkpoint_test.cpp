// Signed checkpoints of the chain head: a truncated or rewritten history, on a real file, is
// caught by a checkpoint kept from before; a checkpoint under another key is refused.
#include "storage/checkpoints.hpp"
#include "tests/storage/fixture.hpp"

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

namespace {

// The ledger closed, so that the file can be signed, copied and tampered with.
void close(fixture& f) {
  f.ledger->close();
  f.ledger.reset();
}

}  // namespace

TEST_CASE("a checkpoint signs the chain head and verifies against the published keys",
          "[storage]") {
  fixture f;
  f.released_lot();
  close(f);
  const auto head = f.scalar("SELECT seq FROM chain_head");
  const auto cp = must(sign_checkpoint(f.file, *f.key, f.now()));
  CHECK(cp.seq == head);
  CHECK(cp.kid == codec::kid_text(f.key->kid()));
  CHECK(must(check_checkpoint(f.file, cp, f.keys)).empty());

  SECTION("an unmoved head is not signed twice") {
    const auto again = must(sign_checkpoint(f.file, *f.key, f.now() + std::chrono::hours{1}));
    CHECK(again.at == cp.at);
    CHECK(f.scalar("SELECT count(*) FROM checkpoints") == 1);
    CHECK(must(list_checkpoints(f.file)).size() == 1);
  }
  SECTION("the JSON a keeper saves reads back, one or a list") {
    const auto one = must(checkpoints_from_json(to_json(cp)));
    REQUIRE(one.size() == 1);
    CHECK(must(check_checkpoint(f.file, one[0], f.keys)).empty());
    CHECK(must(checkpoints_from_json("[" + to_json(cp) + "," + to_json(cp) + "]")).size() == 2);
    CHECK_FALSE(checkpoints_from_json("{\"seq\":1}"));
  }
  SECTION("under another key it is refused") {
    auto other = codec::signing_key::generate().value();
    codec::key_set others;
    others.add(other.public_part());
    CHECK_THAT(must(check_checkpoint(f.file, cp, others)),
               Catch::Contains("which the published keys do not hold"));
    // Same kid published, another signature: a forged checkpoint.
    auto forged = cp;
    forged.seq -= 1;
    CHECK_THAT(must(check_checkpoint(f.file, forged, f.keys)),
               Catch::Contains("the signature does not verify"));
  }
}

TEST_CASE("a checkpoint kept from before detects a truncated history", "[storage]") {
  fixture f;
  f.released_lot();
  const auto early = f.scalar("SELECT seq FROM chain_head");
  f.released_lot();
  close(f);
  const auto cp = must(sign_checkpoint(f.file, *f.key, f.now()));
  REQUIRE(cp.seq > early);
  // Delete the newest events and move the chain head back: the chain alone stays intact.
  f.exec("DELETE FROM events WHERE seq > " + std::to_string(early));
  f.exec("UPDATE chain_head SET seq = " + std::to_string(early) +
         ", hash = (SELECT hash FROM events WHERE seq = " + std::to_string(early) + ")");
  CHECK_FALSE(must(verify_audit_chain(f.file)).first_bad);
  CHECK(must(check_checkpoint(f.file, cp, f.keys)) ==
        "the chain ends at " + std::to_string(early) + " but checkpoint says " +
            std::to_string(cp.seq) + ": the history was truncated");
}

TEST_CASE("a checkpoint kept from before detects a rewritten history", "[storage]") {
  fixture f;
  f.released_lot();
  close(f);
  const auto cp = must(sign_checkpoint(f.file, *f.key, f.now()));
  // Another history of the same length (as a forger recomputing every hash would leave).
  f.exec("UPDATE events SET hash = (SELECT hash FROM events WHERE seq = 1) WHERE seq = " +
         std::to_string(cp.seq));
  CHECK_THAT(must(check_checkpoint(f.file, cp, f.keys)),
             Catch::Contains("event " + std::to_string(cp.seq) +
                             " has another hash than the checkpoint signed"));
}
