#include "common/lzo_codec.h"

#include <lzo/lzo1x.h>

#include <algorithm>
#include <memory>
#include <mutex>

namespace dcc {
namespace {

bool lzo_ready() {
  // lzo_init only checks the library's build-time assumptions; it is idempotent and cheap,
  // but call_once keeps the "no global mutable state" promise honest.
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = lzo_init() == LZO_E_OK; });
  return ok;
}

}  // namespace

Result<std::string> lzo_compress(std::string_view plain) {
  if (!lzo_ready()) return make_error(ExitCode::distcc_failed, "LZO library failed to initialise");
  // Worst case expansion of LZO1X, from the LZO documentation.
  // Uninitialised scratch (new[] without ()): zero-filling the worst-case size would cost more
  // than compressing. Only the bytes produced are copied into the result.
  lzo_uint out_len = plain.size() + plain.size() / 16 + 64 + 3;
  std::unique_ptr<unsigned char[]> out(new unsigned char[out_len]);
  std::unique_ptr<unsigned char[]> work(new unsigned char[LZO1X_1_MEM_COMPRESS]);
  int rc = lzo1x_1_compress(reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), out.get(), &out_len,
                            work.get());
  if (rc != LZO_E_OK) return make_error(ExitCode::distcc_failed, "LZO compression failed (code " + std::to_string(rc) + ")");
  return std::string(reinterpret_cast<const char*>(out.get()), out_len);
}

Result<std::string> lzo_decompress(std::string_view compressed, std::size_t max_size) {
  if (!lzo_ready()) return make_error(ExitCode::distcc_failed, "LZO library failed to initialise");
  // Like distcc: start at 8x and double on overrun, but never beyond max_size.
  std::size_t guess = std::min<std::size_t>(std::max<std::size_t>(compressed.size() * 8, 4096), max_size);
  for (;;) {
    // Uninitialised (new[] without ()): the 8x guess is mostly never touched, so it must not be
    // zero-filled; only the decompressed bytes are copied into the result.
    std::unique_ptr<unsigned char[]> out(new unsigned char[guess]);
    lzo_uint out_len = guess;
    int rc = lzo1x_decompress_safe(reinterpret_cast<const unsigned char*>(compressed.data()), compressed.size(),
                                   out.get(), &out_len, nullptr);
    if (rc == LZO_E_OK) return std::string(reinterpret_cast<const char*>(out.get()), out_len);
    if (rc == LZO_E_OUTPUT_OVERRUN && guess < max_size) {
      guess = std::min(guess * 2, max_size);
      continue;
    }
    if (rc == LZO_E_OUTPUT_OVERRUN) {
      return make_error(ExitCode::protocol_error, "LZO body expands beyond the limit of " + std::to_string(max_size) + " bytes");
    }
    return make_error(ExitCode::protocol_error, "corrupt LZO body (lzo1x_decompress_safe code " + std::to_string(rc) + ")");
  }
}

}  // namespace dcc
