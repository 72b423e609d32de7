#include "common/protocol.h"

#include <algorithm>
#include <cstdio>

#include "common/lzo_codec.h"

namespace dcc {
namespace {

constexpr std::size_t kHeaderSize = 12;
constexpr std::size_t kFlushThreshold = 64 * 1024;
constexpr std::size_t kReadChunk = 64 * 1024;

std::string header(std::string_view token, std::uint32_t value) {
  char buf[kHeaderSize + 1];
  std::snprintf(buf, sizeof buf, "%.4s%08x", token.data(), value);
  return std::string(buf, kHeaderSize);
}

bool parse_hex(std::string_view digits, std::uint32_t& value) {
  // distcc accepts upper- and lower-case hex (strtoul); nothing else.
  value = 0;
  for (char c : digits) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return false;
    value = (value << 4) | static_cast<std::uint32_t>(d);
  }
  return true;
}

}  // namespace

std::optional<ProtocolFeatures> features_for(std::uint32_t version) {
  switch (version) {
    case 0:  // distcc 3.4 treats DIST 0 as protocol 1
    case 1: return ProtocolFeatures{};
    case 2: return ProtocolFeatures{.compressed = true};
    case 3: return ProtocolFeatures{.compressed = true, .sends_cwd = true, .sends_files = true, .returns_dotd = true};
    case kProtocolPumpHeaderCache:
      return ProtocolFeatures{.compressed = true, .sends_cwd = true, .sends_files = true, .returns_dotd = true,
                              .header_cache = true};
    default: return std::nullopt;
  }
}

std::string printable(std::string_view bytes, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size() && i < max; ++i) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c >= 0x20 && c < 0x7f && c != '\\') out += static_cast<char>(c);
    else {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (bytes.size() > max) out += "...";
  return out;
}

// ---------------------------------------------------------------- writer

void ProtocolWriter::put_token(std::string_view token, std::uint32_t value) { buffer_ += header(token, value); }

void ProtocolWriter::put_string(std::string_view token, std::string_view body) {
  put_token(token, static_cast<std::uint32_t>(body.size()));
  buffer_.append(body);
}

Status ProtocolWriter::put_body(std::string_view body) {
  if (buffer_.size() + body.size() <= kFlushThreshold) {
    buffer_.append(body);
    return {};
  }
  // Large bodies go straight to the descriptor rather than being copied into the buffer.
  if (auto s = flush(); !s) return s;
  bytes_written_ += body.size();
  return write_all(fd_, body, timeout_, "sending to peer");
}

Status ProtocolWriter::put_bulk(std::string_view token, std::string_view plain, bool compress) {
  if (plain.empty()) {
    put_token(token, 0);
    return {};
  }
  if (!compress) {
    put_token(token, static_cast<std::uint32_t>(plain.size()));
    return put_body(plain);
  }
  auto packed = lzo_compress(plain);
  if (!packed) return packed.error();
  put_token(token, static_cast<std::uint32_t>(packed->size()));
  return put_body(*packed);
}

Status ProtocolWriter::flush() {
  if (buffer_.empty()) return {};
  bytes_written_ += buffer_.size();
  auto s = write_all(fd_, buffer_, timeout_, "sending to peer");
  buffer_.clear();
  return s;
}

// ---------------------------------------------------------------- reader

Result<Millis> ProtocolReader::stall_timeout(std::string_view what) const {
  if (!deadline_) return timeout_;
  auto left = std::chrono::duration_cast<Millis>(*deadline_ - std::chrono::steady_clock::now());
  if (left.count() <= 0) return make_error(ExitCode::timeout, std::string(what) + ": peer too slow, deadline passed");
  return std::min(timeout_, left);
}

Result<std::size_t> ProtocolReader::fill(std::string_view what) {
  if (pos_ > 0 && pos_ == buffer_.size()) {
    buffer_.clear();
    pos_ = 0;
  }
  if (fd_ < 0) return 0;  // reading from memory: nothing more to come
  auto timeout = stall_timeout(what);
  if (!timeout) return timeout.error();
  std::size_t old = buffer_.size();
  buffer_.resize(old + kReadChunk);
  auto n = read_some(fd_, buffer_.data() + old, kReadChunk, *timeout, what);
  buffer_.resize(old + (n ? *n : 0));
  if (!n) {
    if (auto late = stall_timeout(what); !late) return late.error();  // the deadline, not a stall
    return n.error();
  }
  bytes_read_ += *n;
  return *n;
}

Result<ProtocolReader::Header> ProtocolReader::read_header(std::initializer_list<std::string_view> tokens) {
  std::string expected;
  for (auto token : tokens) expected += (expected.empty() ? "" : " or ") + std::string(token);
  std::string what = "reading " + expected + " header";
  while (buffer_.size() - pos_ < kHeaderSize) {
    auto n = fill(what);
    if (!n) return n.error();
    if (*n == 0) {
      std::size_t have = buffer_.size() - pos_;
      if (have == 0) return make_error(ExitCode::truncated, "connection closed while expecting token " + expected);
      return make_error(ExitCode::truncated, "connection closed after " + std::to_string(have) +
                                                 " bytes of the " + expected + " header");
    }
  }
  std::string_view head(buffer_.data() + pos_, kHeaderSize);
  std::string_view token = head.substr(0, 4);
  Header result;
  bool known = std::find(tokens.begin(), tokens.end(), token) != tokens.end();
  if (!known || !parse_hex(head.substr(4), result.value)) {
    return make_error(ExitCode::protocol_error, "protocol derailment: expected token " + expected +
                                                    ", got \"" + printable(std::string_view(buffer_).substr(pos_), 24) + "\"");
  }
  result.token = std::string(token);
  pos_ += kHeaderSize;
  return result;
}

Result<std::uint32_t> ProtocolReader::expect_token(std::string_view token) {
  auto head = read_header({token});
  if (!head) return head.error();
  return head->value;
}

Result<ProtocolReader::Header> ProtocolReader::expect_either(std::string_view first, std::string_view second) {
  return read_header({first, second});
}

Result<ProtocolReader::Header> ProtocolReader::expect_one_of(std::initializer_list<std::string_view> tokens) {
  return read_header(tokens);
}

Result<std::string> ProtocolReader::read_body(std::uint32_t length, std::string_view what) {
  std::size_t need = length;
  std::size_t buffered = std::min(need, buffer_.size() - pos_);
  std::string body(buffer_, pos_, buffered);
  pos_ += buffered;
  // The rest goes straight into the body. Its storage doubles only when full and only as bytes
  // actually arrive, so a header claiming 4 GiB costs nothing until 4 GiB are really sent, and an
  // honest body is zero-filled and copied O(log n) times, not once per read.
  std::size_t filled = body.size();
  while (filled < need) {
    if (filled == body.size()) {
      body.resize(std::min(need, std::max(filled * 2, filled + kReadChunk)));
    }
    auto timeout = stall_timeout(what);
    if (!timeout) return timeout.error();
    auto n = fd_ < 0 ? Result<std::size_t>(std::size_t{0})
                     : read_some(fd_, body.data() + filled, body.size() - filled, *timeout, what);
    if (!n) {
      if (auto late = stall_timeout(what); !late) return late.error();  // the deadline, not a stall
      return n.error();
    }
    if (*n == 0) {
      return make_error(ExitCode::truncated, "connection closed after " + std::to_string(filled) + " of " +
                                                 std::to_string(need) + " bytes of " + std::string(what));
    }
    filled += *n;
    bytes_read_ += *n;
  }
  body.resize(filled);
  return body;
}

Result<std::string> ProtocolReader::read_string(std::string_view token, std::uint32_t max_length) {
  auto length = expect_token(token);
  if (!length) return length.error();
  if (*length > max_length) {
    return make_error(ExitCode::protocol_error, std::string(token) + " of " + std::to_string(*length) +
                                                    " bytes exceeds the limit of " + std::to_string(max_length));
  }
  return read_body(*length, token);
}

Result<std::string> ProtocolReader::read_bulk(std::string_view token, bool compressed, const ProtocolLimits& limits) {
  auto length = expect_token(token);
  if (!length) return length.error();
  if (*length > limits.max_body) {
    return make_error(ExitCode::protocol_error, std::string(token) + " of " + std::to_string(*length) +
                                                    " bytes exceeds the limit of " + std::to_string(limits.max_body));
  }
  auto body = read_body(*length, token);
  if (!body || !compressed || body->empty()) return body;
  auto plain = lzo_decompress(*body, limits.max_plain);
  if (!plain) return make_error(plain.error().code, std::string(token) + ": " + plain.error().message);
  return plain;
}

// ---------------------------------------------------------------- requests and replies

Status send_request(ProtocolWriter& out, const CompileRequest& request) {
  auto features = features_for(request.version);
  if (!features || features->sends_files) {
    return make_error(ExitCode::protocol_error, "cannot send a plain-mode request as protocol " + std::to_string(request.version));
  }
  out.put_token("DIST", request.version);
  out.put_token("ARGC", static_cast<std::uint32_t>(request.argv.size()));
  for (const auto& arg : request.argv) out.put_string("ARGV", arg);
  if (auto s = out.put_bulk("DOTI", request.source, features->compressed); !s) return s;
  return out.flush();
}

Result<std::uint32_t> receive_request_version(ProtocolReader& in, bool accept_pump) {
  auto version = in.expect_token("DIST");
  if (!version) return version.error();
  auto features = features_for(*version);
  if (!features) return make_error(ExitCode::protocol_error, "unsupported protocol version " + std::to_string(*version));
  if (features->sends_files && !accept_pump) {
    return make_error(ExitCode::protocol_error, "protocol 3 (pump mode) is not accepted here");
  }
  return *version;
}

Result<std::vector<std::string>> receive_argv(ProtocolReader& in, const ProtocolLimits& limits) {
  auto argc = in.expect_token("ARGC");
  if (!argc) return argc.error();
  if (*argc == 0 || *argc > limits.max_argc) {
    return make_error(ExitCode::protocol_error, "ARGC " + std::to_string(*argc) + " is outside 1.." + std::to_string(limits.max_argc));
  }
  std::vector<std::string> argv;
  std::size_t total = 0;
  for (std::uint32_t i = 0; i < *argc; ++i) {
    auto arg = in.read_string("ARGV", limits.max_arg_length);
    if (!arg) return arg.error();
    total += arg->size();
    if (total > limits.max_total_argv) {
      return make_error(ExitCode::protocol_error, "arguments exceed the limit of " + std::to_string(limits.max_total_argv) + " bytes");
    }
    argv.push_back(std::move(*arg));
  }
  return argv;
}

Result<CompileRequest> receive_request_body(ProtocolReader& in, std::uint32_t version, const ProtocolLimits& limits) {
  auto features = features_for(version);
  if (!features) return make_error(ExitCode::protocol_error, "unsupported protocol version " + std::to_string(version));
  if (features->sends_files) return make_error(ExitCode::protocol_error, "a protocol 3 request has no plain-mode body");
  CompileRequest request;
  request.version = version;
  auto argv = receive_argv(in, limits);
  if (!argv) return argv.error();
  request.argv = std::move(*argv);
  auto source = in.read_bulk("DOTI", features->compressed, limits);
  if (!source) return source.error();
  request.source = std::move(*source);
  return request;
}

Status send_reply(ProtocolWriter& out, const CompileReply& reply, std::optional<std::uint32_t> capabilities) {
  auto features = features_for(reply.version);
  if (!features) return make_error(ExitCode::protocol_error, "cannot reply in protocol " + std::to_string(reply.version));
  bool compress = features->compressed;
  out.put_token("DONE", reply.version);
  out.put_token("STAT", reply.wait_status);
  if (auto s = out.put_bulk("SERR", reply.stderr_text, compress); !s) return s;
  if (auto s = out.put_bulk("SOUT", reply.stdout_text, compress); !s) return s;
  // distcc sends no object at all with a failing status.
  if (auto s = out.put_bulk("DOTO", reply.wait_status == 0 ? std::string_view(reply.object) : std::string_view(), compress); !s) {
    return s;
  }
  if (features->returns_dotd && reply.wait_status == 0) {
    if (auto s = out.put_bulk("DOTD", reply.dotd.value_or(""), compress); !s) return s;
  }
  if (capabilities) out.put_token("XCAP", *capabilities);
  return out.flush();
}

Result<std::optional<std::uint32_t>> receive_capabilities(ProtocolReader& in) {
  in.set_stall_timeout(Millis{0});
  std::uint64_t before = in.bytes_read();
  auto bits = in.expect_token("XCAP");
  if (bits) return std::optional<std::uint32_t>(*bits);
  // The end of the stream right after the reply, not in the middle of something else.
  if (bits.error().code == ExitCode::truncated && in.bytes_read() == before) return std::optional<std::uint32_t>();
  return bits.error();
}

Result<CompileReply> receive_reply(ProtocolReader& in, std::uint32_t version, const ProtocolLimits& limits) {
  auto features = features_for(version);
  if (!features) return make_error(ExitCode::protocol_error, "unsupported protocol version " + std::to_string(version));
  CompileReply reply;
  reply.version = version;
  auto done = in.expect_token("DONE");
  if (!done) return done.error();
  if (*done != version) {
    return make_error(ExitCode::protocol_error, "server replied with protocol " + std::to_string(*done) +
                                                    ", not " + std::to_string(version));
  }
  auto status = in.expect_token("STAT");
  if (!status) return status.error();
  reply.wait_status = *status;
  auto err = in.read_bulk("SERR", features->compressed, limits);
  if (!err) return err.error();
  reply.stderr_text = std::move(*err);
  auto out = in.read_bulk("SOUT", features->compressed, limits);
  if (!out) return out.error();
  reply.stdout_text = std::move(*out);
  auto object = in.read_bulk("DOTO", features->compressed, limits);
  if (!object) return object.error();
  if (reply.wait_status != 0 && !object->empty()) {
    return make_error(ExitCode::protocol_error, "server sent an object file with failing status " + std::to_string(reply.wait_status));
  }
  reply.object = std::move(*object);
  if (features->returns_dotd && reply.wait_status == 0) {
    auto dotd = in.read_bulk("DOTD", features->compressed, limits);
    if (!dotd) return dotd.error();
    reply.dotd = std::move(*dotd);
  }
  return reply;
}

}  // namespace dcc
