// lzo_pack: stdin -> raw LZO1X-1 block on stdout, the form distcc 3.4's include server stores
// its compressed copies of headers in (<client root><path>.lzo). Used by the end-to-end tests to
// feed the stock 3.4 client's INCLUDE_SERVER_STUB.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>

#include "common/lzo_codec.h"

int main() {
  std::string plain((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  auto packed = dcc::lzo_compress(plain);
  if (!packed) {
    std::fprintf(stderr, "lzo_pack: %s\n", packed.error().message.c_str());
    return 1;
  }
  std::cout << *packed;
  return std::cout.good() ? 0 : 1;
}
