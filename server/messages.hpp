// The message catalogue: what an error says to a person, in the language of the request.
// English is the sentence written where the error is raised; Chinese comes from a table keyed
// by the error's detail (error::detail, with its parameters error::args) or, without one, by
// its code. Statuses are not here: server/error_map.cpp is the one table for those.
#pragma once

#include "codec/error.hpp"
#include "server/pages/lang.hpp"

#include <string>
#include <string_view>

namespace coldtrace::server {

// `code` is the body's "code" of the error (from error_map), e.g. "no_samples".
std::string localized_message(const error& e, std::string_view code, pages::lang l);

// Whether the catalogue has a Chinese sentence for this detail key (for tests).
bool has_message(std::string_view detail);

}  // namespace coldtrace::server
