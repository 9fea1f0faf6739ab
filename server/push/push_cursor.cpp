#include "server/push/push_cursor.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

namespace coldtrace::server {
namespace {

void sync_fd(const std::filesystem::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot sync " + p.string());
  }
  ::close(fd);
}

}  // namespace

push_cursor read_push_cursor(const std::filesystem::path& file) {
  push_cursor c;
  std::ifstream in{file};
  if (!in) return c;  // no file yet: from the start
  if (!(in >> c.seq >> c.hash) || c.seq < 0 || c.hash.size() != 64)
    throw push_setup_error("the cursor file " + file.string() + " is not \"SEQ HASH\"");
  return c;
}

void write_push_cursor(const std::filesystem::path& file, const push_cursor& c) {
  const auto tmp = std::filesystem::path{file.string() + ".tmp"};
  {
    std::ofstream out{tmp, std::ios::trunc};
    if (!(out << c.seq << " " << c.hash << "\n") || !out.flush())
      throw std::runtime_error("cannot write " + tmp.string());
  }
  sync_fd(tmp, O_RDONLY);
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) throw std::runtime_error("cannot rename " + tmp.string() + ": " + ec.message());
  const auto dir = file.parent_path().empty() ? std::filesystem::path{"."} : file.parent_path();
  sync_fd(dir, O_RDONLY | O_DIRECTORY);
}

std::string read_push_token(const std::filesystem::path& file, const std::string& option) {
  if (file.empty()) return {};
  std::ifstream in{file};
  std::string token;
  if (in) std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.empty())
    throw push_setup_error(option + " " + file.string() +
                           ": cannot read a token from its first line");
  return token;
}

}  // namespace coldtrace::server
