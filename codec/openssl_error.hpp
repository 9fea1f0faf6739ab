// Internal to codec/: OpenSSL failures drain ERR_get_error() into the message, so a user sees why.
#pragma once

#include "codec/error.hpp"

#include <string>

namespace coldtrace::codec {

// "what: reason1; reason2" with the queued OpenSSL reasons, emptying the queue.
error openssl_failure(std::string what);

}  // namespace coldtrace::codec
