// Sign-in by name and password, sign-out, passwords and sessions (routes_sessions.cpp).
#pragma once

#include "server/api/env.hpp"
#include "server/router.hpp"

namespace coldtrace::server::api {

void add_session_routes(router& r, const env_ptr& e);

}  // namespace coldtrace::server::api
