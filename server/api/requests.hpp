// Request bodies → the ledger's request structs. Each decoder is the gate for one endpoint:
// valid JSON, exactly the accepted fields (no mass assignment), each of its type, names from
// closed sets checked, times parsed. Range and identifier rules stay in the ledger, which
// answers them with messages of its own, so they are written once.
#pragma once

#include "codec/keys.hpp"
#include "codec/url.hpp"
#include "storage/recalls.hpp"
#include "storage/requests.hpp"

#include <string_view>

namespace coldtrace::server::api {

// A scan to judge, as a person or a scanner gives it: a code's URL or digits, or the short
// number printed under its QR (docs/code-format.md §8). What cannot be read as either goes to
// the ledger as no bytes, which it judges malformed; a code URL under another host is
// flagged, and the ledger judges it forged.
storage::scan scanned(std::string_view text, const codec::own_hosts& own);

result<storage::unit_request> decode_unit(std::string_view body);
result<storage::account_request> decode_account(std::string_view body);
result<storage::intake_request> decode_intake(std::string_view body);
// `now` is the default for a time the body leaves out.
result<storage::sample_request> decode_sample(std::string_view body, storage::lot_id lot,
                                              storage::time_point now);
result<storage::result_request> decode_result(std::string_view body, storage::sample_id sample,
                                              storage::time_point now);
result<storage::disinfection_request> decode_disinfection(std::string_view body,
                                                          storage::lot_id lot,
                                                          storage::time_point now);
// "code" is a code id, or a code's URL or digits checked against the published keys.
result<storage::dispatch_request> decode_dispatch(std::string_view body,
                                                  const codec::key_set& keys);
result<storage::code_id> decode_receive(std::string_view body, const codec::key_set& keys);
// The scanned bytes go to the ledger as they are: it judges forged and malformed codes too,
// and a code URL under a host not in `own` as forged.
result<storage::sale_check_request> decode_sale_check(std::string_view body, storage::unit_id at,
                                                      const codec::own_hosts& own);
result<storage::recall_request> decode_recall(std::string_view body);
result<storage::recall_response_request> decode_recall_response(std::string_view body,
                                                                std::int64_t recall);
result<storage::proposal_dismissal> decode_dismissal(std::string_view body, std::int64_t proposal);
result<storage::inspection_request> decode_inspection(std::string_view body,
                                                      const codec::own_hosts& own);
// Bodies of actions that take no parameters (release, rotate, revoke): empty or {}.
result<void> decode_empty(std::string_view body);

}  // namespace coldtrace::server::api
