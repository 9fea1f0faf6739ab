// GS1 EPCIS 2.0 (JSON-LD) from the ledger's lifecycle steps (storage/supply.hpp), for the
// platforms above and the GS1 world: GET /api/v1/epcis and `coldtrace export epcis`. The
// mapping, and why each choice, is in docs/exchange.md.
#pragma once

#include "storage/supply.hpp"

#include <boost/json/object.hpp>

#include <string_view>

namespace coldtrace::server::api {

// Every code is named by its own URL under `host` (the platform's public host), units by
// their credit codes (urn:coldtrace:unit:<credit code>), extensions under the "coldtrace"
// prefix the document's @context declares.
boost::json::object epcis_document(const storage::supply_history& h, std::string_view host,
                                   storage::time_point created);

// The media type the document is served as.
inline constexpr std::string_view epcis_media_type = "application/ld+json";

}  // namespace coldtrace::server::api
