#include "tools/cli_ledger.hpp"

#include "codec/day.hpp"
#include "storage/postgres_ledger.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

namespace coldtrace::cli {
namespace {

error io_error(const std::filesystem::path& path, std::string_view what) {
  return codec::fail(codec::errc::io_failure,
                     std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

std::unique_ptr<storage::sqlite_ledger> open_ledger(const std::string& file, bool must_exist,
                                                    std::shared_ptr<codec::signing_key> key) {
  if (storage::is_postgres(file))
    return or_exit(storage::open_postgres_ledger({file, std::move(key)}), 2);
  if (must_exist && !std::filesystem::exists(file)) {
    std::cerr << "coldtrace: no database at " << file << " (create one with: coldtrace db init)\n";
    throw cli_exit{2};
  }
  return or_exit(storage::sqlite_ledger::open({file, std::move(key)}), 2);
}

int exit_status(const error& e) {
  if (e.code.category() != storage::category()) return 1;
  const auto c = static_cast<storage::errc>(e.code.value());
  return storage::classify(c) == storage::error_class::bad_request ? 2 : 1;
}

storage::time_point now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

storage::time_point day_start(std::uint32_t day) {
  return storage::time_point{std::chrono::days{day}};
}

void usage_error(const std::string& message) {
  std::cerr << "coldtrace: " << message << "\n";
  throw cli_exit{2};
}

std::pair<storage::time_point, storage::time_point> export_period(const std::string& from,
                                                                  const std::string& to) {
  const std::uint32_t last = to.empty() ? codec::today() : or_exit(codec::parse_day(to), 2);
  const std::uint32_t first =
      from.empty() ? (last >= 29 ? last - 29 : 0) : or_exit(codec::parse_day(from), 2);
  if (first > last) usage_error("--from must not be later than --to");
  return {day_start(first), day_start(last + 1)};
}

std::string day_text(storage::time_point t) {
  return codec::format_day(static_cast<std::uint32_t>(
      std::chrono::floor<std::chrono::days>(t).time_since_epoch().count()));
}

std::string kg(std::int64_t grams) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(grams) / 1000.0);
  return buf;
}

// ---- secret_file --------------------------------------------------------------------------

result<secret_file> secret_file::create_new(const std::filesystem::path& path) {
  // O_EXCL: an existing file (or a symbolic link planted in its place) is never written.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) return secret_file(path, fd, path);
  if (errno == EEXIST)
    return codec::fail(codec::errc::io_failure,
                       path.string() + " already exists; a secret is never written over a " +
                           "file: remove it or choose another path");
  return io_error(path, "cannot create");
}

result<secret_file> secret_file::replace(const std::filesystem::path& path) {
  std::string name = path.string() + ".XXXXXX";
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);  // a new file, mode 0600
  if (fd < 0) return io_error(path, "cannot create a file beside");
  return secret_file(name, fd, path);
}

result<void> secret_file::write(std::string_view text) {
  const std::string line = std::string(text) + "\n";
  for (std::size_t done = 0; done < line.size();) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error(file_, "cannot write");
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd_) != 0) return io_error(file_, "cannot sync");
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) return io_error(file_, "cannot close");
  if (file_ != target_ && ::rename(file_.c_str(), target_.c_str()) != 0)
    return io_error(target_, "cannot replace");
  written_ = true;
  return {};
}

secret_file::secret_file(std::filesystem::path file, int fd, std::filesystem::path target)
    : file_(std::move(file)), target_(std::move(target)), fd_(fd) {}

secret_file::secret_file(secret_file&& other) noexcept
    : file_(std::move(other.file_)),
      target_(std::move(other.target_)),
      fd_(std::exchange(other.fd_, -1)),
      written_(std::exchange(other.written_, true)) {}

secret_file::~secret_file() {
  if (fd_ >= 0) ::close(fd_);
  if (!written_) ::unlink(file_.c_str());
}

}  // namespace coldtrace::cli
