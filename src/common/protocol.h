// The distcc wire protocol, both directions, in one place.
//
// Every item is a 12-byte header: 4 ASCII token characters and 8 lowercase hex digits. For tokens
// with a body the number is the body length in bytes on the wire. The order of items is fixed per
// protocol version, so a reader always knows which token must come next; anything else is a
// "protocol derailment" and the message says what arrived instead.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/fd_io.h"
#include "common/result.h"

namespace dcc {

// What differs between protocol versions, decided in one function rather than scattered checks.
struct ProtocolFeatures {
  bool compressed = false;    // LZO1X-1 bodies (v2, v3)
  bool sends_cwd = false;     // CDIR (v3)
  bool sends_files = false;   // NFIL/NAME/FILE/LINK instead of DOTI (v3)
  bool returns_dotd = false;  // DOTD after DOTO on success (v3)
  bool header_cache = false;  // FHSH entries and the NEED/FIDX round trip (our extension, see below)
};
std::optional<ProtocolFeatures> features_for(std::uint32_t version);  // nullopt: unsupported

// Our extension, never sent to a peer that has not announced it: protocol 3 where the client may
// offer a file by its SHA-256 (FHSH) and the server asks for the ones it has not cached
// (pump_request.h). The server's reply is an ordinary protocol 3 reply.
inline constexpr std::uint32_t kProtocolPumpHeaderCache = 0x103;
// After every reply our daemon appends "XCAP <bits>": the extensions it serves. A distcc 3.4
// client stops reading at the end of the reply and never sees it; a 3.4 daemon closes the
// connection instead, which is how our client tells the two apart.
inline constexpr std::uint32_t kCapabilityHeaderCache = 1;

// Size limits for everything a peer may send; nothing is allocated beyond what actually arrived.
struct ProtocolLimits {
  std::uint32_t max_argc = 10000;
  std::uint32_t max_arg_length = 128 * 1024;      // Linux MAX_ARG_STRLEN
  std::uint32_t max_total_argv = 4 * 1024 * 1024;
  std::uint32_t max_cwd_length = 4096;
  std::size_t max_body = 256 * 1024 * 1024;       // any bulk body on the wire
  std::size_t max_plain = 512 * 1024 * 1024;      // a decompressed body
  // Protocol 3 (pump mode): files and links the client sends with a job.
  std::uint32_t max_pump_entries = 50000;
  std::uint32_t max_pump_path = 4096;             // NAME and LINK target, like PATH_MAX
  std::uint64_t max_pump_total = 2ull << 30;      // all decompressed FILE bodies of one job
  std::size_t max_pump_manifest = 64 * 1024 * 1024;  // our header-cache manifest, decompressed
};

class ProtocolWriter {
 public:
  ProtocolWriter(int fd, Millis io_timeout) : fd_(fd), timeout_(io_timeout) {}

  void put_token(std::string_view token, std::uint32_t value);
  void put_string(std::string_view token, std::string_view body);
  // Compresses `plain` when asked; an empty body is sent as length 0 with no body.
  Status put_bulk(std::string_view token, std::string_view plain, bool compress);
  Status flush();
  std::uint64_t bytes_written() const { return bytes_written_; }
  // What was put since the last flush, taken out unsent: a writer on fd -1 builds items in
  // memory that travel inside a bulk item (our header-cache manifest). Bodies above the flush
  // threshold must not be put that way (they would be written to the descriptor).
  std::string take_unsent() { return std::exchange(buffer_, {}); }

 private:
  Status put_body(std::string_view body);

  int fd_;
  Millis timeout_;
  std::string buffer_;
  std::uint64_t bytes_written_ = 0;
};

class ProtocolReader {
 public:
  ProtocolReader(int fd, Millis io_timeout) : fd_(fd), timeout_(io_timeout) {}
  // Reads items from memory (a decompressed bulk item holding items); its end is the stream's end.
  explicit ProtocolReader(std::string bytes) : fd_(-1), timeout_(0), buffer_(std::move(bytes)) {}
  bool exhausted() const { return fd_ < 0 && pos_ == buffer_.size(); }

  // Reads one header and checks the token; returns its number.
  Result<std::uint32_t> expect_token(std::string_view token);
  // The one place the order has a choice (protocol 3: FILE or LINK): which token came, and its number.
  struct Header {
    std::string token;
    std::uint32_t value = 0;
  };
  Result<Header> expect_either(std::string_view first, std::string_view second);
  Result<Header> expect_one_of(std::initializer_list<std::string_view> tokens);
  Result<std::string> read_string(std::string_view token, std::uint32_t max_length);
  // Reads a bulk item (decompressing when asked), enforcing the limits.
  Result<std::string> read_bulk(std::string_view token, bool compressed, const ProtocolLimits& limits);
  // Reads exactly `length` body bytes; storage grows only as bytes arrive.
  Result<std::string> read_body(std::uint32_t length, std::string_view what);

  std::uint64_t bytes_read() const { return bytes_read_; }
  // Bounds the whole exchange, not just each stall: a peer trickling one byte a second
  // cannot hold a job slot longer than this.
  void set_deadline(std::chrono::steady_clock::time_point deadline) { deadline_ = deadline; }
  // The longest wait for more bytes from now on; 0: only what has already arrived.
  void set_stall_timeout(Millis timeout) { timeout_ = timeout; }

 private:
  Result<std::size_t> fill(std::string_view what);
  Result<Header> read_header(std::initializer_list<std::string_view> tokens);
  Result<Millis> stall_timeout(std::string_view what) const;  // more bytes into the buffer; 0 at end of stream

  int fd_;
  Millis timeout_;
  std::string buffer_;
  std::size_t pos_ = 0;
  std::uint64_t bytes_read_ = 0;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
};

// A compile request as protocols 1 and 2 carry it (v3 fields are for pump mode).
struct CompileRequest {
  std::uint32_t version = 1;
  std::string cwd;                 // v3 only
  std::vector<std::string> argv;   // argv[0] is the compiler name
  std::string source;              // DOTI: the preprocessed source, uncompressed
};

struct CompileReply {
  std::uint32_t version = 1;
  std::uint32_t wait_status = 0;   // raw Unix wait status of the compiler
  std::string stderr_text;
  std::string stdout_text;
  std::string object;
  std::optional<std::string> dotd;  // v3 and success only
};

Status send_request(ProtocolWriter& out, const CompileRequest& request);
// Reads DIST and checks the version is one we serve: 0, 1 and 2, and 3 when `accept_pump`.
Result<std::uint32_t> receive_request_version(ProtocolReader& in, bool accept_pump = false);
// ARGC and the ARGV items that follow it, within the limits (every protocol version).
Result<std::vector<std::string>> receive_argv(ProtocolReader& in, const ProtocolLimits& limits);
// Reads the rest of a v1/v2 request after DIST.
Result<CompileRequest> receive_request_body(ProtocolReader& in, std::uint32_t version,
                                            const ProtocolLimits& limits);

// `capabilities`: our daemon's XCAP trailer (kCapability... bits), in the same write as the reply.
Status send_reply(ProtocolWriter& out, const CompileReply& reply, std::optional<std::uint32_t> capabilities = std::nullopt);
Result<CompileReply> receive_reply(ProtocolReader& in, std::uint32_t version, const ProtocolLimits& limits);
// What follows a reply, without waiting for it: the XCAP bits of a daemon of ours, nullopt when
// the server has closed the connection there (distcc 3.4). An error (anything else, or nothing
// arrived yet) means the answer is unknown. Never waiting is what keeps 3.4 daemons from paying
// anything for our extension; ours sends XCAP in the same write as the reply.
Result<std::optional<std::uint32_t>> receive_capabilities(ProtocolReader& in);

// Printable rendering of bytes for error messages ("HTTP/1.1\r\n" -> "HTTP/1.1\\r\\n").
std::string printable(std::string_view bytes, std::size_t max = 40);

}  // namespace dcc
