// Every rule of the ledger, broken: the precise error, and nothing changed.
#include "tests/storage/fixture.hpp"

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

namespace {

template <class F>
void refused(fixture& f, errc expected, F&& op) {
  const auto before = f.snapshot();
  auto r = op();
  CHECK_ERRC(r, expected);
  CHECK(f.snapshot() == before);
}

}  // namespace

TEST_CASE("unit and account rules", "[storage]") {
  fixture f;
  unit_request u{with_check_character("91310000MA1H9999"), "新单位", unit_kind::seller, "上海市"};
  SECTION("only an admin registers units") {
    refused(f, errc::forbidden, [&] { return f.ledger->register_unit(f.as(f.inspector), u); });
  }
  SECTION("a credit code must carry its check character") {
    u.credit_code[17] = u.credit_code[17] == '0' ? '1' : '0';
    refused(f, errc::invalid_input, [&] { return f.ledger->register_unit(f.as(f.admin), u); });
  }
  SECTION("a credit code is registered once") {
    u.credit_code = with_check_character("92310104MA1H00004");  // the shop's
    refused(f, errc::duplicate, [&] { return f.ledger->register_unit(f.as(f.admin), u); });
  }
  SECTION("a unit has a name") {
    u.name = "";
    refused(f, errc::invalid_input, [&] { return f.ledger->register_unit(f.as(f.admin), u); });
  }
  SECTION("names are text") {
    u.name = "bad\x01name";
    refused(f, errc::invalid_input, [&] { return f.ledger->register_unit(f.as(f.admin), u); });
    u.name = "bad\xff";
    refused(f, errc::invalid_input, [&] { return f.ledger->register_unit(f.as(f.admin), u); });
  }
  SECTION("only an admin creates accounts") {
    refused(f, errc::forbidden, [&] {
      return f.ledger->create_account(f.as(f.warehouse),
                                      {f.warehouse_unit, account_role::warehouse, "x"});
    });
  }
  SECTION("an account belongs to an existing unit") {
    refused(f, errc::not_found, [&] {
      return f.ledger->create_account(f.as(f.admin), {9999, account_role::unit_operator, "x"});
    });
  }
  SECTION("roles fit the unit's kind") {
    refused(f, errc::invalid_input, [&] {
      return f.ledger->create_account(f.as(f.admin), {f.shop_unit, account_role::inspector, "x"});
    });
    refused(f, errc::invalid_input, [&] {
      return f.ledger->create_account(f.as(f.admin), {f.shop_unit, account_role::warehouse, "x"});
    });
  }
  SECTION("only the account itself or an admin rotates or revokes its token") {
    // Another account's answers as a missing one: account ids are not to be probed.
    refused(f, errc::not_found,
            [&] { return f.ledger->rotate_token(f.as(f.canteen), f.shop.account); });
    refused(f, errc::not_found,
            [&] { return f.ledger->revoke_token(f.as(f.canteen), f.shop.account); });
    refused(f, errc::not_found, [&] { return f.ledger->rotate_token(f.as(f.admin), 9999); });
  }
  SECTION("a token is revoked once") {
    must(f.ledger->revoke_token(f.as(f.admin), f.shop.account));
    refused(f, errc::duplicate,
            [&] { return f.ledger->revoke_token(f.as(f.admin), f.shop.account); });
  }
}

TEST_CASE("intake rules", "[storage]") {
  fixture f;
  auto r = f.import_request();
  auto intake_as = [&](const actor& a) { return [&, a] { return f.ledger->intake(f.as(a), r); }; };
  SECTION("only warehouse staff take lots in") {
    refused(f, errc::forbidden, intake_as(f.wholesaler));
    refused(f, errc::forbidden, intake_as(f.admin));
  }
  SECTION("imports need a customs declaration") {
    r.customs_number.clear();
    refused(f, errc::documents_missing, intake_as(f.warehouse));
  }
  SECTION("imports need a quarantine certificate") {
    r.quarantine_certificate.clear();
    refused(f, errc::documents_missing, intake_as(f.warehouse));
  }
  SECTION("a customs declaration number is 18 digits") {
    r.customs_number = "22012024100012345X";
    refused(f, errc::invalid_input, intake_as(f.warehouse));
  }
  SECTION("the category and the origin are known") {
    r.category = "imported_fish";
    refused(f, errc::invalid_input, intake_as(f.warehouse));
    r = f.import_request();
    r.origin = "XX";
    refused(f, errc::invalid_input, intake_as(f.warehouse));
  }
  SECTION("weights and counts are positive and sane") {
    for (std::int64_t w : {std::int64_t{0}, std::int64_t{-5}, std::int64_t{1} << 60}) {
      r.net_weight_g = w;
      refused(f, errc::invalid_input, intake_as(f.warehouse));
    }
    r = f.import_request();
    r.packages = 0;
    refused(f, errc::invalid_input, intake_as(f.warehouse));
  }
  SECTION("domestic frozen food needs no import documents") {
    auto d = f.import_request("domestic_frozen");
    CHECK(d.customs_number.empty());
    CHECK(f.ledger->intake(f.as(f.warehouse), d));
  }
  SECTION("without a signing key no code can be issued") {
    f.ledger->set_signing_key(nullptr);
    refused(f, errc::no_signing_key, intake_as(f.warehouse));
  }
}

TEST_CASE("sample, result and disinfection rules", "[storage]") {
  fixture f;
  auto in = f.intake();
  const lot_id lot = in.lot.id;
  SECTION("only the lot's own warehouse records its tests") {
    refused(f, errc::wrong_unit, [&] {
      return f.ledger->add_sample(f.as(f.warehouse2),
                                  {lot, sample_type::food_surface, f.now(), "x"});
    });
    refused(f, errc::forbidden, [&] {
      return f.ledger->add_sample(f.as(f.shop), {lot, sample_type::food_surface, f.now(), "x"});
    });
    refused(f, errc::wrong_unit, [&] {
      return f.ledger->record_disinfection(f.as(f.warehouse2), {lot, "a", f.now(), "b", "c"});
    });
  }
  SECTION("samples are of an existing lot, taken after its intake and not in the future") {
    refused(f, errc::not_found, [&] {
      return f.ledger->add_sample(f.as(f.warehouse),
                                  {999, sample_type::food_surface, f.now(), "x"});
    });
    refused(f, errc::invalid_input, [&] {
      return f.ledger->add_sample(f.as(f.warehouse),
                                  {lot, sample_type::food_surface, in.lot.intake_at - 1h, "x"});
    });
    refused(f, errc::invalid_input, [&] {
      return f.ledger->add_sample(f.as(f.warehouse),
                                  {lot, sample_type::food_surface, f.now() + 24h, "x"});
    });
  }
  SECTION("a sample has one result") {
    auto s = must(
        f.ledger->add_sample(f.as(f.warehouse), {lot, sample_type::food_surface, f.now(), "x"}));
    result_request rr{s.id, test_outcome::negative, "lab", "R1", f.now()};
    must(f.ledger->record_result(f.as(f.warehouse), rr));
    rr.outcome = test_outcome::positive;
    refused(f, errc::duplicate, [&] { return f.ledger->record_result(f.as(f.warehouse), rr); });
    rr.sample = 999;
    refused(f, errc::not_found, [&] { return f.ledger->record_result(f.as(f.warehouse), rr); });
  }
  SECTION("a result is not dated before its sample") {
    auto s = must(
        f.ledger->add_sample(f.as(f.warehouse), {lot, sample_type::food_surface, f.now(), "x"}));
    refused(f, errc::invalid_input, [&] {
      return f.ledger->record_result(
          f.as(f.warehouse), {s.id, test_outcome::negative, "lab", "R1", s.collected_at - 1s});
    });
  }
}

TEST_CASE("release rules", "[storage]") {
  fixture f;
  auto in = f.intake();
  const lot_id lot = in.lot.id;
  auto release = [&] { return f.ledger->release(f.as(f.warehouse), lot); };
  auto sample = [&] {
    return must(f.ledger->add_sample(f.as(f.warehouse),
                                     {lot, sample_type::outer_packaging, f.now(), "张伟"}));
  };
  auto negative = [&](sample_id s) {
    must(f.ledger->record_result(f.as(f.warehouse),
                                 {s, test_outcome::negative, "lab", "R", f.now()}));
  };
  auto disinfect_at = [&](time_point t) {
    must(f.ledger->record_disinfection(f.as(f.warehouse), {lot, "过氧乙酸", t, "张伟", "XD"}));
  };
  SECTION("at least one sample") {
    disinfect_at(f.now());
    refused(f, errc::no_samples, release);
  }
  SECTION("every sample has a result") {
    negative(sample().id);
    sample();
    disinfect_at(f.now());
    refused(f, errc::results_pending, release);
  }
  SECTION("a disinfection on record") {
    negative(sample().id);
    refused(f, errc::no_disinfection, release);
  }
  SECTION("the disinfection at or after intake") {
    negative(sample().id);
    disinfect_at(in.lot.intake_at - 1s);
    refused(f, errc::no_disinfection, release);
  }
  SECTION("all results negative: a quarantined lot is never released") {
    auto s = sample();
    must(f.ledger->record_result(f.as(f.warehouse),
                                 {s.id, test_outcome::positive, "lab", "R", f.now()}));
    disinfect_at(f.now());
    CHECK(must(f.ledger->get_lot(f.warehouse, lot)).lot.status == lot_status::quarantined);
    refused(f, errc::quarantined, release);
  }
  SECTION("released once") {
    f.clear_for_release(lot);
    must(release());
    refused(f, errc::already_released, release);
  }
  SECTION("a recalled lot is not released") {
    f.clear_for_release(lot);
    must(f.ledger->recall(f.as(f.admin), {lot, "报关单据存疑"}));
    refused(f, errc::recalled, release);
  }
  SECTION("only by its own warehouse") {
    f.clear_for_release(lot);
    refused(f, errc::wrong_unit, [&] { return f.ledger->release(f.as(f.warehouse2), lot); });
    refused(f, errc::not_found, [&] { return f.ledger->release(f.as(f.warehouse), 999); });
  }
  SECTION("import documents present (data that lost them is refused too)") {
    f.clear_for_release(lot);
    f.exec("UPDATE lots SET quarantine_certificate = '' WHERE id = " + std::to_string(lot));
    refused(f, errc::documents_missing, release);
  }
}
