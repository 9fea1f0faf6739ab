// The pusher's durable cursor (docs/exchange.md): the last event the upper platform
// acknowledged, in a file of its own as "SEQ HASH\n". Replaced atomically, so that after a crash
// it holds the old cursor or the new one, never a torn one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace coldtrace::server {

// A pusher that cannot start as configured: the message says which option and why.
struct push_setup_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct push_cursor {
  std::int64_t seq = 0;                     // 0 before the first acknowledgement
  std::string hash = std::string(64, '0');  // hex; 64 zeros before the first
};

// The cursor in `file`, or the start when there is no file yet; push_setup_error when the file
// holds something else.
push_cursor read_push_cursor(const std::filesystem::path& file);

// Written beside the file, synced, renamed over it, and the directory synced. Throws
// std::runtime_error when any step fails (the old cursor is then still in place).
void write_push_cursor(const std::filesystem::path& file, const push_cursor& c);

// The bearer token: the first line of `file` (empty `file`: no token). push_setup_error
// naming `option` when it cannot be read. The token itself is never in a message.
std::string read_push_token(const std::filesystem::path& file, const std::string& option);

}  // namespace coldtrace::server
