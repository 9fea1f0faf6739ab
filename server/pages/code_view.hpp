// What the verification page and the poster show about a code: the ledger's verdict and its
// public facts (the lot's tests and disinfection included), and the formatting they share.
#pragma once

#include "server/app.hpp"
#include "server/pages/lang.hpp"
#include "storage/ledger.hpp"

#include <optional>
#include <string>
#include <vector>

namespace coldtrace::server::pages {

struct code_view {
  coldtrace::verdict verdict = coldtrace::verdict::malformed;
  bytes code;                                // empty when the digits are not a code
  std::optional<storage::code_facts> facts;  // only for a code we issued, matched exactly
};

// Verifies the digits of a /c/ URL as the ledger does for the API: the public view, nothing
// read with more rights than an anonymous caller has. Malformed or forged digits are a
// verdict, not an error; only a failing database is.
result<code_view> load_code_view(const app& a, std::string_view digits);

// "ok" (valid), "warn" (not yet, or used up), "bad" (must not be sold, or not ours).
std::string_view verdict_tone(coldtrace::verdict v);

// Dates and times as people in the city read them: China Standard Time (UTC+8).
std::string day_text(storage::time_point t);
std::string minute_text(storage::time_point t);
std::string mass_text(std::int64_t grams);  // "12.5 kg"
std::string country_text(std::string_view alpha2, lang l);
std::string category_text(std::string_view name, lang l);

}  // namespace coldtrace::server::pages
