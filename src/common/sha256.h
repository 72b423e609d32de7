// SHA-256 (FIPS 180-4). The pump-mode header cache names files by this digest; a cryptographic
// hash matters there because one client's upload is served to other clients' jobs, so a client
// must not be able to make two different headers share a name.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace dcc {

using Sha256Digest = std::array<std::uint8_t, 32>;

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  Sha256Digest finish();  // the object is spent afterwards

 private:
  void compress(const std::uint8_t* block);

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> block_{};
  std::size_t block_used_ = 0;
  std::uint64_t total_bytes_ = 0;
};

Sha256Digest sha256(std::string_view bytes);
std::string to_hex(const Sha256Digest& digest);  // 64 lowercase hex digits

}  // namespace dcc
