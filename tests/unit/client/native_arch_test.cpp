// native_arch: the -### parsers on output captured from this project's reference machine (Debian
// 12, gcc 12.2, clang 14.0.6, an AMD EPYC that gcc 12 calls znver3 and clang 14 does not know), the
// runner with a scripted RunCommand, and real compilers checking that the resolved flags give
// byte-identical objects.
#include "client/native_arch.h"

#include <fcntl.h>
#include <gtest/gtest.h>

#include "../test_support.h"
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace dcc {
namespace {

// stderr of `gcc -### -march=native -x c -c /dev/null -o /dev/null`
constexpr std::string_view kGccMarchNative = R"CAP(Using built-in specs.
COLLECT_GCC=gcc
OFFLOAD_TARGET_NAMES=nvptx-none:amdgcn-amdhsa
OFFLOAD_TARGET_DEFAULT=1
Target: x86_64-linux-gnu
Configured with: ../src/configure -v --with-pkgversion='Debian 12.2.0-14+deb12u1' --with-bugurl=file:///usr/share/doc/gcc-12/README.Bugs --enable-languages=c,ada,c++,go,d,fortran,objc,obj-c++,m2 --prefix=/usr --with-gcc-major-version-only --program-suffix=-12 --program-prefix=x86_64-linux-gnu- --enable-shared --enable-linker-build-id --libexecdir=/usr/lib --without-included-gettext --enable-threads=posix --libdir=/usr/lib --enable-nls --enable-clocale=gnu --enable-libstdcxx-debug --enable-libstdcxx-time=yes --with-default-libstdcxx-abi=new --enable-gnu-unique-object --disable-vtable-verify --enable-plugin --enable-default-pie --with-system-zlib --enable-libphobos-checking=release --with-target-system-zlib=auto --enable-objc-gc=auto --enable-multiarch --disable-werror --enable-cet --with-arch-32=i686 --with-abi=m64 --with-multilib-list=m32,m64,mx32 --enable-multilib --with-tune=generic --enable-offload-targets=nvptx-none=/build/reproducible-path/gcc-12-12.2.0/debian/tmp-nvptx/usr,amdgcn-amdhsa=/build/reproducible-path/gcc-12-12.2.0/debian/tmp-gcn/usr --enable-offload-defaulted --without-cuda-driver --enable-checking=release --build=x86_64-linux-gnu --host=x86_64-linux-gnu --target=x86_64-linux-gnu
Thread model: posix
Supported LTO compression algorithms: zlib zstd
gcc version 12.2.0 (Debian 12.2.0-14+deb12u1) 
COLLECT_GCC_OPTIONS='-march=native' '-c' '-o' '/dev/null'
 /usr/lib/gcc/x86_64-linux-gnu/12/cc1 -quiet -imultiarch x86_64-linux-gnu /dev/null "-march=znver3" -mmmx -mpopcnt -msse -msse2 -msse3 -mssse3 -msse4.1 -msse4.2 -mavx -mavx2 -msse4a -mno-fma4 -mno-xop -mfma -mavx512f -mbmi -mbmi2 -maes -mpclmul -mavx512vl -mavx512bw -mavx512dq -mavx512cd -mno-avx512er -mno-avx512pf -mavx512vbmi -mavx512ifma -mno-avx5124vnniw -mno-avx5124fmaps -mavx512vpopcntdq -mavx512vbmi2 -mgfni -mvpclmulqdq -mavx512vnni -mavx512bitalg -mavx512bf16 -mavx512vp2intersect -mno-3dnow -madx -mabm -mno-cldemote -mclflushopt -mclwb -mclzero -mcx16 -mno-enqcmd -mf16c -mfsgsbase -mfxsr -mno-hle -msahf -mno-lwp -mlzcnt -mmovbe -mmovdir64b -mmovdiri -mno-mwaitx -mno-pconfig -mno-pku -mno-prefetchwt1 -mprfchw -mno-ptwrite -mno-rdpid -mrdrnd -mno-rdseed -mno-rtm -mno-serialize -mno-sgx -msha -mno-shstk -mno-tbm -mno-tsxldtrk -mvaes -mno-waitpkg -mno-wbnoinvd -mxsave -mxsavec -mxsaveopt -mno-xsaves -mno-amx-tile -mno-amx-int8 -mno-amx-bf16 -mno-uintr -mno-hreset -mno-kl -mno-widekl -mavxvnni -mno-avx512fp16 --param "l1-cache-size=48" --param "l1-cache-line-size=64" --param "l2-cache-size=1024" "-mtune=znver3" -quiet -dumpbase null -fasynchronous-unwind-tables -o /tmp/ccBiB4fN.s
COLLECT_GCC_OPTIONS='-march=native' '-c' '-o' '/dev/null'
 as --64 -o /dev/null /tmp/ccBiB4fN.s
COMPILER_PATH=/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/:/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/
LIBRARY_PATH=/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/12/../../../x86_64-linux-gnu/:/usr/lib/gcc/x86_64-linux-gnu/12/../../../../lib/:/lib/x86_64-linux-gnu/:/lib/../lib/:/usr/lib/x86_64-linux-gnu/:/usr/lib/../lib/:/usr/local/cuda/lib64/stubs/:/usr/lib/gcc/x86_64-linux-gnu/12/../../../:/lib/:/usr/lib/
COLLECT_GCC_OPTIONS='-march=native' '-c' '-o' '/dev/null'
)CAP";

// stderr of `g++ -### -march=native -x c++ -c /dev/null -o /dev/null`
constexpr std::string_view kGxxMarchNative = R"CAP(Using built-in specs.
COLLECT_GCC=g++
OFFLOAD_TARGET_NAMES=nvptx-none:amdgcn-amdhsa
OFFLOAD_TARGET_DEFAULT=1
Target: x86_64-linux-gnu
Configured with: ../src/configure -v --with-pkgversion='Debian 12.2.0-14+deb12u1' --with-bugurl=file:///usr/share/doc/gcc-12/README.Bugs --enable-languages=c,ada,c++,go,d,fortran,objc,obj-c++,m2 --prefix=/usr --with-gcc-major-version-only --program-suffix=-12 --program-prefix=x86_64-linux-gnu- --enable-shared --enable-linker-build-id --libexecdir=/usr/lib --without-included-gettext --enable-threads=posix --libdir=/usr/lib --enable-nls --enable-clocale=gnu --enable-libstdcxx-debug --enable-libstdcxx-time=yes --with-default-libstdcxx-abi=new --enable-gnu-unique-object --disable-vtable-verify --enable-plugin --enable-default-pie --with-system-zlib --enable-libphobos-checking=release --with-target-system-zlib=auto --enable-objc-gc=auto --enable-multiarch --disable-werror --enable-cet --with-arch-32=i686 --with-abi=m64 --with-multilib-list=m32,m64,mx32 --enable-multilib --with-tune=generic --enable-offload-targets=nvptx-none=/build/reproducible-path/gcc-12-12.2.0/debian/tmp-nvptx/usr,amdgcn-amdhsa=/build/reproducible-path/gcc-12-12.2.0/debian/tmp-gcn/usr --enable-offload-defaulted --without-cuda-driver --enable-checking=release --build=x86_64-linux-gnu --host=x86_64-linux-gnu --target=x86_64-linux-gnu
Thread model: posix
Supported LTO compression algorithms: zlib zstd
gcc version 12.2.0 (Debian 12.2.0-14+deb12u1) 
COLLECT_GCC_OPTIONS='-march=native' '-c' '-o' '/dev/null' '-shared-libgcc'
 /usr/lib/gcc/x86_64-linux-gnu/12/cc1plus -quiet -imultiarch x86_64-linux-gnu -D_GNU_SOURCE /dev/null "-march=znver3" -mmmx -mpopcnt -msse -msse2 -msse3 -mssse3 -msse4.1 -msse4.2 -mavx -mavx2 -msse4a -mno-fma4 -mno-xop -mfma -mavx512f -mbmi -mbmi2 -maes -mpclmul -mavx512vl -mavx512bw -mavx512dq -mavx512cd -mno-avx512er -mno-avx512pf -mavx512vbmi -mavx512ifma -mno-avx5124vnniw -mno-avx5124fmaps -mavx512vpopcntdq -mavx512vbmi2 -mgfni -mvpclmulqdq -mavx512vnni -mavx512bitalg -mavx512bf16 -mavx512vp2intersect -mno-3dnow -madx -mabm -mno-cldemote -mclflushopt -mclwb -mclzero -mcx16 -mno-enqcmd -mf16c -mfsgsbase -mfxsr -mno-hle -msahf -mno-lwp -mlzcnt -mmovbe -mmovdir64b -mmovdiri -mno-mwaitx -mno-pconfig -mno-pku -mno-prefetchwt1 -mprfchw -mno-ptwrite -mno-rdpid -mrdrnd -mno-rdseed -mno-rtm -mno-serialize -mno-sgx -msha -mno-shstk -mno-tbm -mno-tsxldtrk -mvaes -mno-waitpkg -mno-wbnoinvd -mxsave -mxsavec -mxsaveopt -mno-xsaves -mno-amx-tile -mno-amx-int8 -mno-amx-bf16 -mno-uintr -mno-hreset -mno-kl -mno-widekl -mavxvnni -mno-avx512fp16 --param "l1-cache-size=48" --param "l1-cache-line-size=64" --param "l2-cache-size=1024" "-mtune=znver3" -quiet -dumpbase null -fasynchronous-unwind-tables -o /tmp/ccJ6vZrc.s
COLLECT_GCC_OPTIONS='-march=native' '-c' '-o' '/dev/null' '-shared-libgcc'
 as --64 -o /dev/null /tmp/ccJ6vZrc.s
COMPILER_PATH=/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/:/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/
LIBRARY_PATH=/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/12/../../../x86_64-linux-gnu/:/usr/lib/gcc/x86_64-linux-gnu/12/../../../../lib/:/lib/x86_64-linux-gnu/:/lib/../lib/:/usr/lib/x86_64-linux-gnu/:/usr/lib/../lib/:/usr/local/cuda/lib64/stubs/:/usr/lib/gcc/x86_64-linux-gnu/12/../../../:/lib/:/usr/lib/
COLLECT_GCC_OPTIONS='-march=native' '-c' '-o' '/dev/null' '-shared-libgcc'
)CAP";

// stderr of `gcc -### -mno-avx2 -march=native -mavx512f -mtune=generic -x c -c /dev/null -o
// /dev/null`
constexpr std::string_view kGccUserFlags = R"CAP(Using built-in specs.
COLLECT_GCC=gcc
OFFLOAD_TARGET_NAMES=nvptx-none:amdgcn-amdhsa
OFFLOAD_TARGET_DEFAULT=1
Target: x86_64-linux-gnu
Configured with: ../src/configure -v --with-pkgversion='Debian 12.2.0-14+deb12u1' --with-bugurl=file:///usr/share/doc/gcc-12/README.Bugs --enable-languages=c,ada,c++,go,d,fortran,objc,obj-c++,m2 --prefix=/usr --with-gcc-major-version-only --program-suffix=-12 --program-prefix=x86_64-linux-gnu- --enable-shared --enable-linker-build-id --libexecdir=/usr/lib --without-included-gettext --enable-threads=posix --libdir=/usr/lib --enable-nls --enable-clocale=gnu --enable-libstdcxx-debug --enable-libstdcxx-time=yes --with-default-libstdcxx-abi=new --enable-gnu-unique-object --disable-vtable-verify --enable-plugin --enable-default-pie --with-system-zlib --enable-libphobos-checking=release --with-target-system-zlib=auto --enable-objc-gc=auto --enable-multiarch --disable-werror --enable-cet --with-arch-32=i686 --with-abi=m64 --with-multilib-list=m32,m64,mx32 --enable-multilib --with-tune=generic --enable-offload-targets=nvptx-none=/build/reproducible-path/gcc-12-12.2.0/debian/tmp-nvptx/usr,amdgcn-amdhsa=/build/reproducible-path/gcc-12-12.2.0/debian/tmp-gcn/usr --enable-offload-defaulted --without-cuda-driver --enable-checking=release --build=x86_64-linux-gnu --host=x86_64-linux-gnu --target=x86_64-linux-gnu
Thread model: posix
Supported LTO compression algorithms: zlib zstd
gcc version 12.2.0 (Debian 12.2.0-14+deb12u1) 
COLLECT_GCC_OPTIONS='-mno-avx2' '-march=native' '-mavx512f' '-mtune=generic' '-c' '-o' '/dev/null'
 /usr/lib/gcc/x86_64-linux-gnu/12/cc1 -quiet -imultiarch x86_64-linux-gnu /dev/null "-march=znver3" -mmmx -mpopcnt -msse -msse2 -msse3 -mssse3 -msse4.1 -msse4.2 -mavx -mavx2 -msse4a -mno-fma4 -mno-xop -mfma -mavx512f -mbmi -mbmi2 -maes -mpclmul -mavx512vl -mavx512bw -mavx512dq -mavx512cd -mno-avx512er -mno-avx512pf -mavx512vbmi -mavx512ifma -mno-avx5124vnniw -mno-avx5124fmaps -mavx512vpopcntdq -mavx512vbmi2 -mgfni -mvpclmulqdq -mavx512vnni -mavx512bitalg -mavx512bf16 -mavx512vp2intersect -mno-3dnow -madx -mabm -mno-cldemote -mclflushopt -mclwb -mclzero -mcx16 -mno-enqcmd -mf16c -mfsgsbase -mfxsr -mno-hle -msahf -mno-lwp -mlzcnt -mmovbe -mmovdir64b -mmovdiri -mno-mwaitx -mno-pconfig -mno-pku -mno-prefetchwt1 -mprfchw -mno-ptwrite -mno-rdpid -mrdrnd -mno-rdseed -mno-rtm -mno-serialize -mno-sgx -msha -mno-shstk -mno-tbm -mno-tsxldtrk -mvaes -mno-waitpkg -mno-wbnoinvd -mxsave -mxsavec -mxsaveopt -mno-xsaves -mno-amx-tile -mno-amx-int8 -mno-amx-bf16 -mno-uintr -mno-hreset -mno-kl -mno-widekl -mavxvnni -mno-avx512fp16 -quiet -dumpbase null -mno-avx2 -mavx512f "-mtune=generic" -fasynchronous-unwind-tables -o /tmp/ccdRYRX3.s
COLLECT_GCC_OPTIONS='-mno-avx2' '-march=native' '-mavx512f' '-mtune=generic' '-c' '-o' '/dev/null'
 as --64 -o /dev/null /tmp/ccdRYRX3.s
COMPILER_PATH=/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/:/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/
LIBRARY_PATH=/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/12/../../../x86_64-linux-gnu/:/usr/lib/gcc/x86_64-linux-gnu/12/../../../../lib/:/lib/x86_64-linux-gnu/:/lib/../lib/:/usr/lib/x86_64-linux-gnu/:/usr/lib/../lib/:/usr/local/cuda/lib64/stubs/:/usr/lib/gcc/x86_64-linux-gnu/12/../../../:/lib/:/usr/lib/
COLLECT_GCC_OPTIONS='-mno-avx2' '-march=native' '-mavx512f' '-mtune=generic' '-c' '-o' '/dev/null'
)CAP";

// stderr of `gcc -### -mtune=native -x c -c /dev/null -o /dev/null`
constexpr std::string_view kGccMtuneNative = R"CAP(Using built-in specs.
COLLECT_GCC=gcc
OFFLOAD_TARGET_NAMES=nvptx-none:amdgcn-amdhsa
OFFLOAD_TARGET_DEFAULT=1
Target: x86_64-linux-gnu
Configured with: ../src/configure -v --with-pkgversion='Debian 12.2.0-14+deb12u1' --with-bugurl=file:///usr/share/doc/gcc-12/README.Bugs --enable-languages=c,ada,c++,go,d,fortran,objc,obj-c++,m2 --prefix=/usr --with-gcc-major-version-only --program-suffix=-12 --program-prefix=x86_64-linux-gnu- --enable-shared --enable-linker-build-id --libexecdir=/usr/lib --without-included-gettext --enable-threads=posix --libdir=/usr/lib --enable-nls --enable-clocale=gnu --enable-libstdcxx-debug --enable-libstdcxx-time=yes --with-default-libstdcxx-abi=new --enable-gnu-unique-object --disable-vtable-verify --enable-plugin --enable-default-pie --with-system-zlib --enable-libphobos-checking=release --with-target-system-zlib=auto --enable-objc-gc=auto --enable-multiarch --disable-werror --enable-cet --with-arch-32=i686 --with-abi=m64 --with-multilib-list=m32,m64,mx32 --enable-multilib --with-tune=generic --enable-offload-targets=nvptx-none=/build/reproducible-path/gcc-12-12.2.0/debian/tmp-nvptx/usr,amdgcn-amdhsa=/build/reproducible-path/gcc-12-12.2.0/debian/tmp-gcn/usr --enable-offload-defaulted --without-cuda-driver --enable-checking=release --build=x86_64-linux-gnu --host=x86_64-linux-gnu --target=x86_64-linux-gnu
Thread model: posix
Supported LTO compression algorithms: zlib zstd
gcc version 12.2.0 (Debian 12.2.0-14+deb12u1) 
COLLECT_GCC_OPTIONS='-mtune=native' '-c' '-o' '/dev/null' '-march=x86-64'
 /usr/lib/gcc/x86_64-linux-gnu/12/cc1 -quiet -imultiarch x86_64-linux-gnu /dev/null --param "l1-cache-size=48" --param "l1-cache-line-size=64" --param "l2-cache-size=1024" "-mtune=znver3" -quiet -dumpbase null "-march=x86-64" -fasynchronous-unwind-tables -o /tmp/ccxMaO6B.s
COLLECT_GCC_OPTIONS='-mtune=native' '-c' '-o' '/dev/null' '-march=x86-64'
 as --64 -o /dev/null /tmp/ccxMaO6B.s
COMPILER_PATH=/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/:/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/
LIBRARY_PATH=/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/12/../../../x86_64-linux-gnu/:/usr/lib/gcc/x86_64-linux-gnu/12/../../../../lib/:/lib/x86_64-linux-gnu/:/lib/../lib/:/usr/lib/x86_64-linux-gnu/:/usr/lib/../lib/:/usr/local/cuda/lib64/stubs/:/usr/lib/gcc/x86_64-linux-gnu/12/../../../:/lib/:/usr/lib/
COLLECT_GCC_OPTIONS='-mtune=native' '-c' '-o' '/dev/null' '-march=x86-64'
)CAP";

// stderr of `gcc -### -m32 -mcpu=native -x c -c /dev/null -o /dev/null`
constexpr std::string_view kGccM32McpuNative =
    R"CAP(gcc: warning: ‘-mcpu=’ is deprecated; use ‘-mtune=’ or ‘-march=’ instead
Using built-in specs.
COLLECT_GCC=gcc
OFFLOAD_TARGET_NAMES=nvptx-none:amdgcn-amdhsa
OFFLOAD_TARGET_DEFAULT=1
Target: x86_64-linux-gnu
Configured with: ../src/configure -v --with-pkgversion='Debian 12.2.0-14+deb12u1' --with-bugurl=file:///usr/share/doc/gcc-12/README.Bugs --enable-languages=c,ada,c++,go,d,fortran,objc,obj-c++,m2 --prefix=/usr --with-gcc-major-version-only --program-suffix=-12 --program-prefix=x86_64-linux-gnu- --enable-shared --enable-linker-build-id --libexecdir=/usr/lib --without-included-gettext --enable-threads=posix --libdir=/usr/lib --enable-nls --enable-clocale=gnu --enable-libstdcxx-debug --enable-libstdcxx-time=yes --with-default-libstdcxx-abi=new --enable-gnu-unique-object --disable-vtable-verify --enable-plugin --enable-default-pie --with-system-zlib --enable-libphobos-checking=release --with-target-system-zlib=auto --enable-objc-gc=auto --enable-multiarch --disable-werror --enable-cet --with-arch-32=i686 --with-abi=m64 --with-multilib-list=m32,m64,mx32 --enable-multilib --with-tune=generic --enable-offload-targets=nvptx-none=/build/reproducible-path/gcc-12-12.2.0/debian/tmp-nvptx/usr,amdgcn-amdhsa=/build/reproducible-path/gcc-12-12.2.0/debian/tmp-gcn/usr --enable-offload-defaulted --without-cuda-driver --enable-checking=release --build=x86_64-linux-gnu --host=x86_64-linux-gnu --target=x86_64-linux-gnu
Thread model: posix
Supported LTO compression algorithms: zlib zstd
gcc version 12.2.0 (Debian 12.2.0-14+deb12u1) 
COLLECT_GCC_OPTIONS='-m32' '-mtune=native' '-c' '-o' '/dev/null' '-march=i686'
 /usr/lib/gcc/x86_64-linux-gnu/12/cc1 -quiet -imultilib 32 -imultiarch i386-linux-gnu /dev/null --param "l1-cache-size=48" --param "l1-cache-line-size=64" --param "l2-cache-size=1024" "-mtune=znver3" -quiet -dumpbase null -m32 "-march=i686" -fasynchronous-unwind-tables -o /tmp/ccA0xiBe.s
COLLECT_GCC_OPTIONS='-m32' '-mtune=native' '-c' '-o' '/dev/null' '-march=i686'
 as --32 -o /dev/null /tmp/ccA0xiBe.s
COMPILER_PATH=/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/:/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/
LIBRARY_PATH=/usr/lib/gcc/x86_64-linux-gnu/12/../../../../lib32/:/lib/../lib32/:/usr/lib/../lib32/:/usr/local/cuda/lib64/stubs/:/usr/lib/gcc/x86_64-linux-gnu/12/:/usr/lib/gcc/x86_64-linux-gnu/12/../../../:/lib/:/usr/lib/
COLLECT_GCC_OPTIONS='-m32' '-mtune=native' '-c' '-o' '/dev/null' '-march=i686'
)CAP";

// stderr of `clang -### -march=native -x c -c /dev/null -o /dev/null`
constexpr std::string_view kClangMarchNative = R"CAP(Debian clang version 14.0.6
Target: x86_64-pc-linux-gnu
Thread model: posix
InstalledDir: /usr/bin
 (in-process)
 "/usr/lib/llvm-14/bin/clang" "-cc1" "-triple" "x86_64-pc-linux-gnu" "-emit-obj" "-mrelax-all" "--mrelax-relocations" "-disable-free" "-clear-ast-before-backend" "-disable-llvm-verifier" "-discard-value-names" "-main-file-name" "null" "-mrelocation-model" "pic" "-pic-level" "2" "-pic-is-pie" "-mframe-pointer=all" "-fmath-errno" "-ffp-contract=on" "-fno-rounding-math" "-mconstructor-aliases" "-funwind-tables=2" "-target-cpu" "x86-64" "-target-feature" "-avx512pf" "-target-feature" "-tsxldtrk" "-target-feature" "+cx16" "-target-feature" "+sahf" "-target-feature" "-tbm" "-target-feature" "+avx512ifma" "-target-feature" "+sha" "-target-feature" "+crc32" "-target-feature" "-fma4" "-target-feature" "+vpclmulqdq" "-target-feature" "+prfchw" "-target-feature" "+bmi2" "-target-feature" "-cldemote" "-target-feature" "+fsgsbase" "-target-feature" "-ptwrite" "-target-feature" "-amx-tile" "-target-feature" "-uintr" "-target-feature" "+gfni" "-target-feature" "+popcnt" "-target-feature" "-widekl" "-target-feature" "+aes" "-target-feature" "+avx512bitalg" "-target-feature" "+movdiri" "-target-feature" "-xsaves" "-target-feature" "-avx512er" "-target-feature" "+avxvnni" "-target-feature" "-avx512fp16" "-target-feature" "+avx512vnni" "-target-feature" "-amx-bf16" "-target-feature" "+avx512vpopcntdq" "-target-feature" "-pconfig" "-target-feature" "+clwb" "-target-feature" "+avx512f" "-target-feature" "+xsavec" "-target-feature" "+clzero" "-target-feature" "-pku" "-target-feature" "+mmx" "-target-feature" "-lwp" "-target-feature" "-rdpid" "-target-feature" "-xop" "-target-feature" "-rdseed" "-target-feature" "-waitpkg" "-target-feature" "-kl" "-target-feature" "+movdir64b" "-target-feature" "+sse4a" "-target-feature" "+avx512bw" "-target-feature" "+clflushopt" "-target-feature" "+xsave" "-target-feature" "+avx512vbmi2" "-target-feature" "+64bit" "-target-feature" "+avx512vl" "-target-feature" "-serialize" "-target-feature" "-hreset" "-target-feature" "-invpcid" "-target-feature" "+avx512cd" "-target-feature" "+avx" "-target-feature" "+vaes" "-target-feature" "+avx512bf16" "-target-feature" "+cx8" "-target-feature" "+fma" "-target-feature" "-rtm" "-target-feature" "+bmi" "-target-feature" "-enqcmd" "-target-feature" "+rdrnd" "-target-feature" "-mwaitx" "-target-feature" "+sse4.1" "-target-feature" "+sse4.2" "-target-feature" "+avx2" "-target-feature" "+fxsr" "-target-feature" "-wbnoinvd" "-target-feature" "+sse" "-target-feature" "+lzcnt" "-target-feature" "+pclmul" "-target-feature" "-prefetchwt1" "-target-feature" "+f16c" "-target-feature" "+ssse3" "-target-feature" "-sgx" "-target-feature" "-shstk" "-target-feature" "+cmov" "-target-feature" "+avx512vbmi" "-target-feature" "-amx-int8" "-target-feature" "+movbe" "-target-feature" "+avx512vp2intersect" "-target-feature" "+xsaveopt" "-target-feature" "+avx512dq" "-target-feature" "+sse2" "-target-feature" "+adx" "-target-feature" "+sse3" "-mllvm" "-treat-scalable-fixed-error-as-warning" "-debugger-tuning=gdb" "-fcoverage-compilation-dir=/tmp/natx/cap" "-resource-dir" "/usr/lib/llvm-14/lib/clang/14.0.6" "-internal-isystem" "/usr/lib/llvm-14/lib/clang/14.0.6/include" "-internal-isystem" "/usr/local/include" "-internal-isystem" "/usr/bin/../lib/gcc/x86_64-linux-gnu/12/../../../../x86_64-linux-gnu/include" "-internal-externc-isystem" "/usr/include/x86_64-linux-gnu" "-internal-externc-isystem" "/include" "-internal-externc-isystem" "/usr/include" "-fdebug-compilation-dir=/tmp/natx/cap" "-ferror-limit" "19" "-fgnuc-version=4.2.1" "-faddrsig" "-D__GCC_HAVE_DWARF2_CFI_ASM=1" "-o" "/dev/null" "-x" "c" "/dev/null"
)CAP";

// stderr of `clang -### -mtune=native -x c -c /dev/null -o /dev/null`
constexpr std::string_view kClangMtuneNative = R"CAP(Debian clang version 14.0.6
Target: x86_64-pc-linux-gnu
Thread model: posix
InstalledDir: /usr/bin
 (in-process)
 "/usr/lib/llvm-14/bin/clang" "-cc1" "-triple" "x86_64-pc-linux-gnu" "-emit-obj" "-mrelax-all" "--mrelax-relocations" "-disable-free" "-clear-ast-before-backend" "-disable-llvm-verifier" "-discard-value-names" "-main-file-name" "null" "-mrelocation-model" "pic" "-pic-level" "2" "-pic-is-pie" "-mframe-pointer=all" "-fmath-errno" "-ffp-contract=on" "-fno-rounding-math" "-mconstructor-aliases" "-funwind-tables=2" "-target-cpu" "x86-64" "-tune-cpu" "generic" "-mllvm" "-treat-scalable-fixed-error-as-warning" "-debugger-tuning=gdb" "-fcoverage-compilation-dir=/tmp/natx/cap" "-resource-dir" "/usr/lib/llvm-14/lib/clang/14.0.6" "-internal-isystem" "/usr/lib/llvm-14/lib/clang/14.0.6/include" "-internal-isystem" "/usr/local/include" "-internal-isystem" "/usr/bin/../lib/gcc/x86_64-linux-gnu/12/../../../../x86_64-linux-gnu/include" "-internal-externc-isystem" "/usr/include/x86_64-linux-gnu" "-internal-externc-isystem" "/include" "-internal-externc-isystem" "/usr/include" "-fdebug-compilation-dir=/tmp/natx/cap" "-ferror-limit" "19" "-fgnuc-version=4.2.1" "-faddrsig" "-D__GCC_HAVE_DWARF2_CFI_ASM=1" "-o" "/dev/null" "-x" "c" "/dev/null"
)CAP";

// stderr of `clang -### <the translation of kClangMarchNative> -x c -c /dev/null -o /dev/null`
constexpr std::string_view kClangTranslated = R"CAP(Debian clang version 14.0.6
Target: x86_64-pc-linux-gnu
Thread model: posix
InstalledDir: /usr/bin
 (in-process)
 "/usr/lib/llvm-14/bin/clang" "-cc1" "-triple" "x86_64-pc-linux-gnu" "-emit-obj" "-mrelax-all" "--mrelax-relocations" "-disable-free" "-clear-ast-before-backend" "-disable-llvm-verifier" "-discard-value-names" "-main-file-name" "null" "-mrelocation-model" "pic" "-pic-level" "2" "-pic-is-pie" "-mframe-pointer=all" "-fmath-errno" "-ffp-contract=on" "-fno-rounding-math" "-mconstructor-aliases" "-funwind-tables=2" "-target-cpu" "x86-64" "-target-feature" "-avx512pf" "-target-feature" "-tsxldtrk" "-target-feature" "+cx16" "-target-feature" "+sahf" "-target-feature" "-tbm" "-target-feature" "+avx512ifma" "-target-feature" "+sha" "-target-feature" "+crc32" "-target-feature" "-fma4" "-target-feature" "+vpclmulqdq" "-target-feature" "+prfchw" "-target-feature" "+bmi2" "-target-feature" "-cldemote" "-target-feature" "+fsgsbase" "-target-feature" "-ptwrite" "-target-feature" "-amx-tile" "-target-feature" "-uintr" "-target-feature" "+gfni" "-target-feature" "+popcnt" "-target-feature" "-widekl" "-target-feature" "+aes" "-target-feature" "+avx512bitalg" "-target-feature" "+movdiri" "-target-feature" "-xsaves" "-target-feature" "-avx512er" "-target-feature" "+avxvnni" "-target-feature" "-avx512fp16" "-target-feature" "+avx512vnni" "-target-feature" "-amx-bf16" "-target-feature" "+avx512vpopcntdq" "-target-feature" "-pconfig" "-target-feature" "+clwb" "-target-feature" "+avx512f" "-target-feature" "+xsavec" "-target-feature" "+clzero" "-target-feature" "-pku" "-target-feature" "+mmx" "-target-feature" "-lwp" "-target-feature" "-rdpid" "-target-feature" "-xop" "-target-feature" "-rdseed" "-target-feature" "-waitpkg" "-target-feature" "-kl" "-target-feature" "+movdir64b" "-target-feature" "+sse4a" "-target-feature" "+avx512bw" "-target-feature" "+clflushopt" "-target-feature" "+xsave" "-target-feature" "+avx512vbmi2" "-target-feature" "+avx512vl" "-target-feature" "-serialize" "-target-feature" "-hreset" "-target-feature" "-invpcid" "-target-feature" "+avx512cd" "-target-feature" "+avx" "-target-feature" "+vaes" "-target-feature" "+avx512bf16" "-target-feature" "+fma" "-target-feature" "-rtm" "-target-feature" "+bmi" "-target-feature" "-enqcmd" "-target-feature" "+rdrnd" "-target-feature" "-mwaitx" "-target-feature" "+sse4.1" "-target-feature" "+sse4.2" "-target-feature" "+avx2" "-target-feature" "+fxsr" "-target-feature" "-wbnoinvd" "-target-feature" "+sse" "-target-feature" "+lzcnt" "-target-feature" "+pclmul" "-target-feature" "-prefetchwt1" "-target-feature" "+f16c" "-target-feature" "+ssse3" "-target-feature" "-sgx" "-target-feature" "-shstk" "-target-feature" "+avx512vbmi" "-target-feature" "-amx-int8" "-target-feature" "+movbe" "-target-feature" "+avx512vp2intersect" "-target-feature" "+xsaveopt" "-target-feature" "+avx512dq" "-target-feature" "+sse2" "-target-feature" "+adx" "-target-feature" "+sse3" "-mllvm" "-treat-scalable-fixed-error-as-warning" "-debugger-tuning=gdb" "-fcoverage-compilation-dir=/tmp/natx/cap" "-resource-dir" "/usr/lib/llvm-14/lib/clang/14.0.6" "-internal-isystem" "/usr/lib/llvm-14/lib/clang/14.0.6/include" "-internal-isystem" "/usr/local/include" "-internal-isystem" "/usr/bin/../lib/gcc/x86_64-linux-gnu/12/../../../../x86_64-linux-gnu/include" "-internal-externc-isystem" "/usr/include/x86_64-linux-gnu" "-internal-externc-isystem" "/include" "-internal-externc-isystem" "/usr/include" "-fdebug-compilation-dir=/tmp/natx/cap" "-ferror-limit" "19" "-fgnuc-version=4.2.1" "-target-feature" "+64bit" "-target-feature" "+cx8" "-target-feature" "+cmov" "-faddrsig" "-D__GCC_HAVE_DWARF2_CFI_ASM=1" "-o" "/dev/null" "-x" "c" "/dev/null"
)CAP";

// ---------------------------------------------------------------------------------------------
// Helpers

std::vector<std::string> words(std::string_view text) {
  std::istringstream in{std::string(text)};
  return {std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
}

bool mentions_native(const std::vector<std::string>& argv) {
  return std::any_of(argv.begin(), argv.end(),
                     [](const std::string& a) { return a.ends_with("=native"); });
}

bool contains(const std::vector<std::string>& argv, std::string_view arg) {
  return std::find(argv.begin(), argv.end(), arg) != argv.end();
}

// What gcc 12 expands -march=native into on the reference machine, cut out of kGccMarchNative's
// cc1 line by hand (quotes dropped, `--param x` joined to `--param=x`).
constexpr std::string_view kGccMarchNativeExpected =
    "-march=znver3 -mmmx -mpopcnt -msse -msse2 -msse3 -mssse3 -msse4.1 -msse4.2 -mavx -mavx2 "
    "-msse4a -mno-fma4 -mno-xop -mfma -mavx512f -mbmi -mbmi2 -maes -mpclmul -mavx512vl -mavx512bw "
    "-mavx512dq -mavx512cd -mno-avx512er -mno-avx512pf -mavx512vbmi -mavx512ifma -mno-avx5124vnniw "
    "-mno-avx5124fmaps -mavx512vpopcntdq -mavx512vbmi2 -mgfni -mvpclmulqdq -mavx512vnni "
    "-mavx512bitalg -mavx512bf16 -mavx512vp2intersect -mno-3dnow -madx -mabm -mno-cldemote "
    "-mclflushopt -mclwb -mclzero -mcx16 -mno-enqcmd -mf16c -mfsgsbase -mfxsr -mno-hle -msahf "
    "-mno-lwp -mlzcnt -mmovbe -mmovdir64b -mmovdiri -mno-mwaitx -mno-pconfig -mno-pku "
    "-mno-prefetchwt1 -mprfchw -mno-ptwrite -mno-rdpid -mrdrnd -mno-rdseed -mno-rtm -mno-serialize "
    "-mno-sgx -msha -mno-shstk -mno-tbm -mno-tsxldtrk -mvaes -mno-waitpkg -mno-wbnoinvd -mxsave "
    "-mxsavec -mxsaveopt -mno-xsaves -mno-amx-tile -mno-amx-int8 -mno-amx-bf16 -mno-uintr "
    "-mno-hreset -mno-kl -mno-widekl -mavxvnni -mno-avx512fp16 --param=l1-cache-size=48 "
    "--param=l1-cache-line-size=64 --param=l2-cache-size=1024 -mtune=znver3";

constexpr std::string_view kGccTuneExpected =
    "--param=l1-cache-size=48 --param=l1-cache-line-size=64 --param=l2-cache-size=1024 "
    "-mtune=znver3";

// ---------------------------------------------------------------------------------------------
// uses_native_cpu

TEST(UsesNativeCpu, FindsEachNativeSpellingExactly) {
  const std::vector<std::pair<std::string_view, bool>> cases = {
      {"gcc -O2 -march=native -c a.c", true}, {"gcc -mtune=native -c a.c", true},
      {"gcc -mcpu=native -c a.c", true},      {"gcc -march=haswell -mtune=generic -c a.c", false},
      {"gcc -march=native2 -c a.c", false},   {"gcc -c native.c -o native.o", false},
      {"gcc -Dmarch=native -c a.c", false},
  };
  for (const auto& [command, expected] : cases) {
    const std::vector<std::string> argv = words(command);
    EXPECT_EQ(uses_native_cpu(argv), expected) << command;
  }
}

// ---------------------------------------------------------------------------------------------
// parse_native_flags: gcc

TEST(ParseNativeFlagsGcc, MarchNativeGivesTheWholeExpansion) {
  const Result<std::vector<std::string>> flags = parse_native_flags(kGccMarchNative, false);
  ASSERT_TRUE(flags.ok()) << flags.error().message;
  EXPECT_EQ(*flags, words(kGccMarchNativeExpected));
}

TEST(ParseNativeFlagsGcc, CxxDriverLineIsCc1plusWithTheSameExpansion) {
  const Result<std::vector<std::string>> flags = parse_native_flags(kGxxMarchNative, false);
  ASSERT_TRUE(flags.ok()) << flags.error().message;
  EXPECT_EQ(*flags, words(kGccMarchNativeExpected));
}

TEST(ParseNativeFlagsGcc, KeepsNoCc1OnlyOptions) {
  const Result<std::vector<std::string>> flags = parse_native_flags(kGccMarchNative, false);
  ASSERT_TRUE(flags.ok()) << flags.error().message;
  for (const std::string& flag : *flags) {
    EXPECT_TRUE(flag.starts_with("-m") || flag.starts_with("--param=")) << flag;
  }
  for (std::string_view cc1_only : {"-quiet", "-imultiarch", "-dumpbase", "--param"}) {
    EXPECT_FALSE(contains(*flags, cc1_only)) << cc1_only;
  }
}

TEST(ParseNativeFlagsGcc, UserTargetOptionsAfterTheExpansionAreNotTaken) {
  // gcc -mno-avx2 -march=native -mavx512f -mtune=generic: the expansion comes first on the cc1
  // line (no -mtune and no cache params, as -mtune is given); the user's options follow -quiet.
  const Result<std::vector<std::string>> flags = parse_native_flags(kGccUserFlags, false);
  ASSERT_TRUE(flags.ok()) << flags.error().message;
  std::vector<std::string> expected = words(kGccMarchNativeExpected);
  expected.resize(expected.size() - 4);  // without the three params and -mtune=znver3
  EXPECT_EQ(*flags, expected);
  EXPECT_FALSE(contains(*flags, "-mno-avx2"));
  EXPECT_FALSE(contains(*flags, "-mtune=generic"));
}

TEST(ParseNativeFlagsGcc, MtuneNativeLeavesOutTheDefaultMarch) {
  const Result<std::vector<std::string>> flags = parse_native_flags(kGccMtuneNative, false);
  ASSERT_TRUE(flags.ok()) << flags.error().message;
  EXPECT_EQ(*flags, words(kGccTuneExpected));  // not the driver default -march=x86-64
}

TEST(ParseNativeFlagsGcc, McpuNativeIsTuneOnX86AndM32StaysTheUsers) {
  const Result<std::vector<std::string>> flags = parse_native_flags(kGccM32McpuNative, false);
  ASSERT_TRUE(flags.ok()) << flags.error().message;
  EXPECT_EQ(*flags, words(kGccTuneExpected));
}

TEST(ParseNativeFlagsGcc, UndoesTheDriversQuoting) {
  const std::string_view output =
      "COLLECT_GCC_OPTIONS='-march=native'\n"
      " \"/opt/my gcc/cc1\" -quiet \"/tmp/a b.c\" \"-march=we\\\"ird\\\\cpu\" -mavx "
      "--param \"l1-cache-size=48\" \"-mtune=x\\$y\" -quiet -dumpbase a -o /tmp/x.s\n"
      " as --64 -o a.o /tmp/x.s\n";
  const Result<std::vector<std::string>> flags = parse_native_flags(output, false);
  ASSERT_TRUE(flags.ok()) << flags.error().message;
  EXPECT_EQ(*flags, (std::vector<std::string>{"-march=we\"ird\\cpu", "-mavx",
                                              "--param=l1-cache-size=48", "-mtune=x$y"}));
}

struct BadOutput {
  std::string_view name;
  std::string_view output;
  bool is_clang;
  std::string_view cause;
};

void PrintTo(const BadOutput& bad, std::ostream* os) { *os << bad.name; }

class ParseNativeFlagsErrors : public testing::TestWithParam<BadOutput> {};

TEST_P(ParseNativeFlagsErrors, AreOneLineDistccFailedNamingTheCause) {
  const Result<std::vector<std::string>> flags =
      parse_native_flags(GetParam().output, GetParam().is_clang);
  ASSERT_FALSE(flags.ok());
  EXPECT_EQ(flags.error().code, ExitCode::distcc_failed);
  EXPECT_EQ(flags.error().message,
            "cannot resolve native CPU flags: " + std::string(GetParam().cause));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseNativeFlagsErrors,
    testing::Values(
        BadOutput{"empty", "", false, "gcc -### printed no cc1 line"},
        BadOutput{"no_cc1_line", "Using built-in specs.\ngcc: error: x.c: No such file\n", false,
                  "gcc -### printed no cc1 line"},
        BadOutput{"no_target_options",
                  " /usr/lib/gcc/cc1 -quiet /dev/null -quiet -dumpbase null -o x.s\n", false,
                  "gcc -### printed no target options for cc1"},
        BadOutput{"param_without_value", " /usr/lib/gcc/cc1 -quiet /dev/null --param\n", false,
                  "gcc -### printed --param without a value"},
        BadOutput{"native_left", " /usr/lib/gcc/cc1 /dev/null -mavx -quiet -mcpu=native -o x.s\n",
                  false, "gcc -### left -mcpu=native unresolved"},
        BadOutput{"gcc_output_as_clang", kGccMarchNative, true, "clang -### printed no -cc1 line"},
        BadOutput{"clang_no_target_cpu",
                  " \"clang\" \"-cc1\" \"-triple\" \"x86_64-pc-linux-gnu\" \"-o\" \"x.o\"\n", true,
                  "clang -### printed no -target-cpu"},
        BadOutput{"clang_odd_feature",
                  " \"clang\" \"-cc1\" \"-target-cpu\" \"x86-64\" \"-target-feature\" \"avx\"\n",
                  true, "clang -### printed an odd target feature 'avx'"}),
    [](const testing::TestParamInfo<BadOutput>& info) { return std::string(info.param.name); });

// ---------------------------------------------------------------------------------------------
// parse_native_flags: clang

TEST(ParseNativeFlagsClang, MarchNativeBecomesMarchPlusOneFlagPerFeatureInOrder) {
  const Result<std::vector<std::string>> flags = parse_native_flags(kClangMarchNative, true);
  ASSERT_TRUE(flags.ok()) << flags.error().message;
  ASSERT_GE(flags->size(), 13u);
  const std::vector<std::string> head(flags->begin(), flags->begin() + 5);
  EXPECT_EQ(head, (std::vector<std::string>{"-march=x86-64", "-mno-avx512pf", "-mno-tsxldtrk",
                                            "-mcx16", "-msahf"}));
  EXPECT_TRUE(contains(*flags, "-mcrc32"));
  EXPECT_TRUE(contains(*flags, "-msse4.2"));
  EXPECT_TRUE(contains(*flags, "-mavx512vp2intersect"));
  EXPECT_FALSE(contains(*flags, "-m64bit"));
  EXPECT_FALSE(contains(*flags, "-mcx8"));
  // The three features without a driver flag go last, straight to -cc1, in their order.
  const std::vector<std::string> tail(flags->end() - 12, flags->end());
  EXPECT_EQ(tail, words("-Xclang -target-feature -Xclang +64bit -Xclang -target-feature -Xclang "
                        "+cx8 -Xclang -target-feature -Xclang +cmov"));
}

TEST(ParseNativeFlagsClang, MtuneNativeGivesCpuAndTune) {
  // clang 14 does not know this CPU: -mtune=native resolves to "generic".
  const Result<std::vector<std::string>> flags = parse_native_flags(kClangMtuneNative, true);
  ASSERT_TRUE(flags.ok()) << flags.error().message;
  EXPECT_EQ(*flags, (std::vector<std::string>{"-march=x86-64", "-mtune=generic"}));
}

TEST(CheckClangTranslation, AcceptsTheRealTranslation) {
  const Status same = check_clang_translation(kClangMarchNative, kClangTranslated);
  EXPECT_TRUE(same.ok()) << same.error().message;
}

TEST(CheckClangTranslation, NamesTheFirstDifferingArgument) {
  std::string translated(kClangTranslated);
  const std::size_t at = translated.find("\"+avx2\"");
  ASSERT_NE(at, std::string::npos);
  translated.replace(at, 7, "\"-avx2\"");
  const Status same = check_clang_translation(kClangMarchNative, translated);
  ASSERT_FALSE(same.ok());
  EXPECT_EQ(same.error().code, ExitCode::distcc_failed);
  EXPECT_EQ(same.error().message,
            "cannot resolve native CPU flags: the translated flags give clang -cc1 "
            "'-target-feature -avx2' instead of '-target-feature +avx2'");
}

TEST(CheckClangTranslation, ComparesTheFeaturesWithoutFlagToo) {
  const std::string_view native =
      " \"clang\" \"-cc1\" \"-target-cpu\" \"k8\" \"-target-feature\" \"+cx8\" \"-o\" \"x\"\n";
  const std::string_view moved =
      " \"clang\" \"-cc1\" \"-target-cpu\" \"k8\" \"-o\" \"x\" \"-target-feature\" \"+cx8\"\n";
  const std::string_view lost = " \"clang\" \"-cc1\" \"-target-cpu\" \"k8\" \"-o\" \"x\"\n";
  EXPECT_TRUE(check_clang_translation(native, moved).ok());
  EXPECT_FALSE(check_clang_translation(native, lost).ok());
}

// ---------------------------------------------------------------------------------------------
// resolve_native_cpu with a scripted compiler

struct ScriptedRun {
  std::vector<CommandOutput> replies;
  std::vector<std::vector<std::string>> calls;

  RunCommand runner() {
    return [this](const std::vector<std::string>& argv) -> Result<CommandOutput> {
      calls.push_back(argv);
      if (calls.size() > replies.size()) {
        return make_error(ExitCode::io_error, "unexpected run of " + argv[0]);
      }
      return replies[calls.size() - 1];
    };
  }
};

TEST(ResolveNativeCpu, WithoutNativeFlagsRunsNothing) {
  ScriptedRun script;
  const std::vector<std::string> argv = words("gcc -O2 -march=haswell -c a.c");
  const Result<std::vector<std::string>> resolved = resolve_native_cpu(argv, script.runner());
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(*resolved, argv);
  EXPECT_TRUE(script.calls.empty());
}

TEST(ResolveNativeCpu, GccProbesWithTheTargetOptionsAndPutsTheExpansionFirst) {
  ScriptedRun script{{{0, "", std::string(kGccUserFlags)}}, {}};
  const std::vector<std::string> argv =
      words("gcc -O2 -mno-avx2 -DX=1 -march=native -mavx512f -c a.c -mtune=generic -o a.o");
  const Result<std::vector<std::string>> resolved = resolve_native_cpu(argv, script.runner());
  ASSERT_TRUE(resolved.ok()) << resolved.error().message;

  ASSERT_EQ(script.calls.size(), 1u);
  EXPECT_EQ(script.calls[0], words("gcc -### -mno-avx2 -march=native -mavx512f -mtune=generic "
                                   "-x c -c /dev/null -o /dev/null"));
  std::vector<std::string> expected = {"gcc"};
  std::vector<std::string> expansion = words(kGccMarchNativeExpected);
  expected.insert(expected.end(), expansion.begin(), expansion.end() - 4);
  for (std::string_view rest :
       {"-O2", "-mno-avx2", "-DX=1", "-mavx512f", "-c", "a.c", "-mtune=generic", "-o", "a.o"}) {
    expected.emplace_back(rest);
  }
  EXPECT_EQ(*resolved, expected);
}

TEST(ResolveNativeCpu, ClangIsCheckedWithASecondProbe) {
  ScriptedRun script{
      {{0, "", std::string(kClangMarchNative)}, {0, "", std::string(kClangTranslated)}}, {}};
  const std::vector<std::string> argv =
      words("clang -O2 -march=native -mllvm -x86-asm-syntax=intel -c a.c -target x86_64-linux-gnu");
  const Result<std::vector<std::string>> resolved = resolve_native_cpu(argv, script.runner());
  ASSERT_TRUE(resolved.ok()) << resolved.error().message;
  const Result<std::vector<std::string>> flags = parse_native_flags(kClangMarchNative, true);
  ASSERT_TRUE(flags.ok());

  ASSERT_EQ(script.calls.size(), 2u);
  EXPECT_EQ(script.calls[0], words("clang -### -march=native -target x86_64-linux-gnu "
                                   "-x c -c /dev/null -o /dev/null"));
  std::vector<std::string> second = {"clang", "-###"};
  second.insert(second.end(), flags->begin(), flags->end());
  for (std::string_view rest : words("-target x86_64-linux-gnu -x c -c /dev/null -o /dev/null")) {
    second.emplace_back(rest);
  }
  EXPECT_EQ(script.calls[1], second);

  std::vector<std::string> expected = {"clang"};
  expected.insert(expected.end(), flags->begin(), flags->end());
  for (std::string_view rest :
       words("-O2 -mllvm -x86-asm-syntax=intel -c a.c -target x86_64-linux-gnu")) {
    expected.emplace_back(rest);
  }
  EXPECT_EQ(*resolved, expected);
}

struct ResolveFailure {
  std::string_view name;
  std::vector<CommandOutput> replies;
  std::string_view message;
};

void PrintTo(const ResolveFailure& failure, std::ostream* os) { *os << failure.name; }

class ResolveNativeCpuErrors : public testing::TestWithParam<ResolveFailure> {};

TEST_P(ResolveNativeCpuErrors, SayWhichFlagAndWhy) {
  ScriptedRun script{GetParam().replies, {}};
  const std::vector<std::string> argv =
      words(GetParam().name.starts_with("clang") ? "clang -mtune=native -march=native -c a.c"
                                                 : "x86_64-linux-gnu-gcc -mtune=native -c a.c");
  const Result<std::vector<std::string>> resolved = resolve_native_cpu(argv, script.runner());
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code, ExitCode::distcc_failed);
  EXPECT_EQ(resolved.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ResolveNativeCpuErrors,
    testing::Values(
        ResolveFailure{"gcc_cannot_run",
                       {},
                       "cannot resolve -mtune=native: unexpected run of "
                       "x86_64-linux-gnu-gcc"},
        ResolveFailure{"gcc_exit_status",
                       {{1, "",
                         "Using built-in specs.\nx86_64-linux-gnu-gcc: error: "
                         "unrecognized command-line option '-mfoo'\n"}},
                       "cannot resolve -mtune=native: x86_64-linux-gnu-gcc -### exited with status "
                       "1: x86_64-linux-gnu-gcc: error: unrecognized command-line option '-mfoo'"},
        ResolveFailure{"gcc_no_cc1",
                       {{0, "", "Using built-in specs.\n"}},
                       "cannot resolve -mtune=native: gcc -### printed no cc1 line"},
        ResolveFailure{"clang_rejects_translation",
                       {{0, "", std::string(kClangMarchNative)},
                        {1, "", "clang: error: unknown argument: '-mfoo'\n"}},
                       "cannot resolve -mtune=native: clang -### exited with status 1: clang: "
                       "error: unknown argument: '-mfoo'"},
        ResolveFailure{
            "clang_translation_differs",
            {{0, "", std::string(kClangMarchNative)}, {0, "", std::string(kClangMtuneNative)}},
            "cannot resolve -mtune=native: the translated flags give clang different "
            "64bit/cx8/cmov features"}),
    [](const testing::TestParamInfo<ResolveFailure>& info) {
      return std::string(info.param.name);
    });

// ---------------------------------------------------------------------------------------------
// Real compilers: the resolved flags must give the same object as the native ones.

using TempDir = test::ScratchDir;  // the shared per-test scratch directory

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::optional<std::string> find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

// posix_spawnp with stdout and stderr sent to files in `dir`, then read back.
Result<CommandOutput> run_in(const std::string& dir, const std::vector<std::string>& argv) {
  const std::string out_path = dir + "/run.out";
  const std::string err_path = dir + "/run.err";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    return make_error(ExitCode::io_error, "cannot run " + argv[0] + ": " + strerror(spawned));
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return make_error(ExitCode::io_error, "waitpid failed");
  const int exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return CommandOutput{exit_status, read_file(out_path).value_or(""),
                       read_file(err_path).value_or("")};
}

constexpr std::string_view kVectorisableSource = R"SRC(
void saxpy(float *restrict y, const float *restrict x, float a, int n) {
  for (int i = 0; i < n; ++i) y[i] += a * x[i];
}
int dot(const int *a, const int *b, int n) {
  int s = 0;
  for (int i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}
void square_plus_one(double *restrict d, const double *restrict s, int n) {
  for (int i = 0; i < n; ++i) d[i] = s[i] * s[i] + 1.0;
}
unsigned bits(unsigned long long v) { return __builtin_popcountll(v); }
)SRC";

constexpr std::string_view kVectorisableCxxSource = R"SRC(
template <class T> T sum(const T *v, int n) {
  T s = 0;
  for (int i = 0; i < n; ++i) s += v[i] * v[i];
  return s;
}
template float sum<float>(const float *, int);
template long sum<long>(const long *, int);
struct Mat { float m[16][16]; };
void mul(Mat &r, const Mat &a, const Mat &b) {
  for (int i = 0; i < 16; ++i)
    for (int j = 0; j < 16; ++j) {
      float s = 0;
      for (int k = 0; k < 16; ++k) s += a.m[i][k] * b.m[k][j];
      r.m[i][j] = s;
    }
}
)SRC";

struct RealCompile {
  std::string_view name;
  std::string_view compiler;
  std::string_view flags;
};

void PrintTo(const RealCompile& compile, std::ostream* os) {
  *os << compile.compiler << " " << compile.flags;
}

// One compiler, one source file in a fresh temp dir, and compiles into that dir.
class RealBuild {
 public:
  explicit RealBuild(std::string compiler) : compiler_(std::move(compiler)) {
    const bool cxx = compiler_.ends_with("++");
    source_ = dir_.path() + (cxx ? "/v.cpp" : "/v.c");
    std::ofstream(source_) << (cxx ? kVectorisableCxxSource : kVectorisableSource);
  }

  bool ready() const { return !dir_.path().empty(); }
  RunCommand runner() const {
    return [this](const std::vector<std::string>& argv) { return run_in(dir_.path(), argv); };
  }
  std::vector<std::string> command(std::string_view flags, const std::string& object) const {
    std::vector<std::string> argv = {compiler_};
    for (std::string& flag : words(flags)) argv.push_back(std::move(flag));
    argv.insert(argv.end(), {"-c", source_, "-o", path(object)});
    return argv;
  }
  // Runs argv; a failure is a fatal test failure.
  void run(const std::vector<std::string>& argv, std::string_view what) const {
    const Result<CommandOutput> result = run_in(dir_.path(), argv);
    ASSERT_TRUE(result.ok()) << result.error().message;
    ASSERT_EQ(result->exit_status, 0) << what << " failed:\n" << result->err;
  }
  // Compiles with `flags` into native.o and with their resolution into resolved.o.
  void compile_both(std::string_view flags, std::vector<std::string>* resolved_argv) const {
    ASSERT_NO_FATAL_FAILURE(run(command(flags, "native.o"), "native compile"));
    const Result<std::vector<std::string>> resolved =
        resolve_native_cpu(command(flags, "resolved.o"), runner());
    ASSERT_TRUE(resolved.ok()) << resolved.error().message;
    EXPECT_FALSE(mentions_native(*resolved));
    ASSERT_NO_FATAL_FAILURE(run(*resolved, "resolved compile"));
    *resolved_argv = *resolved;
  }
  std::string path(const std::string& name) const { return dir_.path() + "/" + name; }
  std::string contents(const std::string& name) const { return read_file(path(name)).value_or(""); }

 private:
  TempDir dir_;
  std::string compiler_;
  std::string source_;
};

class ResolvedFlagsGiveTheSameObject : public testing::TestWithParam<RealCompile> {};

TEST_P(ResolvedFlagsGiveTheSameObject, AsTheNativeCompile) {
  const std::string compiler(GetParam().compiler);
  if (!find_program(compiler)) GTEST_SKIP() << compiler << " is not on PATH";
  const RealBuild build(compiler);
  ASSERT_TRUE(build.ready()) << "cannot create a temp dir under " << DCC_TEST_TMP;
  std::vector<std::string> resolved;
  ASSERT_NO_FATAL_FAILURE(build.compile_both(GetParam().flags, &resolved));
  const std::string native_object = build.contents("native.o");
  ASSERT_FALSE(native_object.empty());
  EXPECT_TRUE(native_object == build.contents("resolved.o"))
      << "objects differ; resolved command line:\n"
      << testing::PrintToString(resolved);

  // Say so when the comparison is weak: native code identical to the baseline x86-64 code.
  std::string baseline_flags;
  for (const std::string& flag : words(GetParam().flags)) {
    if (!flag.ends_with("=native")) baseline_flags += flag + " ";
  }
  ASSERT_NO_FATAL_FAILURE(build.run(build.command(baseline_flags, "baseline.o"), "baseline"));
  if (build.contents("baseline.o") == native_object) {
    std::cout << "note: " << GetParam().flags << " gives the same object as " << baseline_flags
              << "on this CPU\n";
  }
}

// gcc records its cc1 switches in DW_AT_producer (-grecord-gcc-switches is the default). The
// native expansion puts its --params before -mtune=<cpu> and -g/-O; from the driver they can
// only come after them, so with plain -g the debug info differs in that string. The code does
// not: compare .text.
TEST(GccDebugInfo, DiffersOnlyInTheRecordedSwitchOrder) {
  if (!find_program("gcc") || !find_program("objcopy")) GTEST_SKIP() << "no gcc or objcopy";
  const RealBuild build("gcc");
  ASSERT_TRUE(build.ready());
  std::vector<std::string> resolved;
  ASSERT_NO_FATAL_FAILURE(build.compile_both("-O2 -g -march=native", &resolved));
  for (const std::string& name : {std::string("native"), std::string("resolved")}) {
    ASSERT_NO_FATAL_FAILURE(build.run({"objcopy", "-O", "binary", "--only-section=.text",
                                       build.path(name + ".o"), build.path(name + ".text")},
                                      "objcopy"));
  }
  const std::string text = build.contents("native.text");
  EXPECT_FALSE(text.empty());
  EXPECT_TRUE(text == build.contents("resolved.text"));
  std::cout << "note: with -g the whole objects are "
            << (build.contents("native.o") == build.contents("resolved.o") ? "identical"
                                                                           : "different")
            << "\n";
}

INSTANTIATE_TEST_SUITE_P(
    Compilers, ResolvedFlagsGiveTheSameObject,
    testing::Values(
        RealCompile{"gcc_march", "gcc", "-O2 -march=native"},
        RealCompile{"gcc_mtune", "gcc", "-O2 -mtune=native"},
        RealCompile{"gcc_march_mtune_o3", "gcc", "-O3 -march=native -mtune=native"},
        RealCompile{"gcc_user_flags", "gcc",
                    "-O2 -mno-avx2 -march=native -mno-avx512f -mtune=generic"},
        RealCompile{"gcc_march_then_mtune", "gcc", "-O2 -march=haswell -mtune=native"},
        RealCompile{"gcc_m32", "gcc", "-O2 -m32 -march=native"},
        RealCompile{"gcc_debug_unrecorded", "gcc", "-O2 -g -gno-record-gcc-switches -march=native"},
        RealCompile{"gxx_march", "g++", "-O2 -march=native"},
        RealCompile{"gxx_o3", "g++", "-O3 -march=native -fno-exceptions"},
        RealCompile{"clang_march", "clang", "-O2 -march=native"},
        RealCompile{"clang_march_debug", "clang", "-O2 -g -march=native"},
        RealCompile{"clang_mtune", "clang", "-O2 -mtune=native"},
        RealCompile{"clang_user_flags", "clang", "-O2 -mno-avx2 -march=native -mno-fma"},
        RealCompile{"clang_m32", "clang", "-O2 -m32 -march=native"},
        RealCompile{"clangxx_march", "clang++", "-O3 -march=native"}),
    [](const testing::TestParamInfo<RealCompile>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace dcc
