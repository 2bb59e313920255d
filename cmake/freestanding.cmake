# Toolchain for paf's freestanding build: x86_64 bare metal with Debian's own
# gcc/g++, no OS, no C library but paf's (platform/libc), no libstdc++.so.
#
#   cmake -S . -B build/fs -G Ninja -DPAF_FREESTANDING=ON \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/freestanding.cmake
#
# Headers, in search order: platform/libc/include-cxx (libstdc++ configured
# single-threaded), libstdc++'s headers, platform/libc/include (our C library),
# gcc's own freestanding headers (stddef, stdint, stdarg, limits, float, x86
# intrinsics). GCC 12's libstdc++ headers believe they are hosted, so <cstring>
# and friends come from our libc; only their header-only parts may be used.
#
# C++ standard headers that work (tests/image/all_headers.cpp includes and
# uses them all, and is linked into tests/image/minimal.elf, so the list is
# checked, not guessed; "works" = needs nothing from libstdc++.so):
#   <cstddef> <cstdint> <cstring> <climits> <cstdlib> <cstdio> <cstdarg>
#   <cctype> <cerrno> <cassert> <cinttypes> <ctime>
#   <span> <string_view> <string> (integers only in to_string/stoi: no
#   floating-point formatting) <array> <vector> <deque> <forward_list> <queue>
#   <stack> <bitset> <optional> <expected> <variant> <any> <tuple> <utility>
#   <functional> (std::function, std::move_only_function) <memory>
#   (unique_ptr, make_unique, shared_ptr/make_shared single-threaded) <new>
#   <type_traits> <limits> <concepts> <compare> <initializer_list> <iterator>
#   <ranges> <algorithm> <numeric> <bit> <charconv> (integers) <ratio>
#   <chrono> (durations only: no clock's now()) <source_location> <version>
#   <atomic> (single core, lock-free integers; no wait/notify)
# Not allowed (each needs libstdc++.so or an OS; a use fails at link time):
#   <map> <set> (std::_Rb_tree_*), <unordered_map> <unordered_set>
#   (_Prime_rehash_policy), <list> (_List_node_base), clocks' now(),
#   <mutex> <condition_variable> <thread> <future>, <random> and <cmath> (no
#   <math.h>), iostreams and <locale>, <regex>, <filesystem>, <format>,
#   anything throwing (no exceptions: libstdc++ calls std::__throw_*, which
#   print and abort).

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER gcc)
set(CMAKE_CXX_COMPILER g++)
set(CMAKE_ASM_COMPILER gcc)
# No C library to link a test program against: CMake's compiler checks build a
# static library instead.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

get_filename_component(_paf_root "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
execute_process(COMMAND gcc -print-file-name=include
                OUTPUT_VARIABLE _paf_gcc_include OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND gcc -dumpversion
                OUTPUT_VARIABLE _paf_gcc_major OUTPUT_STRIP_TRAILING_WHITESPACE)
string(REGEX MATCH "^[0-9]+" _paf_gcc_major "${_paf_gcc_major}")
execute_process(COMMAND gcc -dumpmachine
                OUTPUT_VARIABLE _paf_gcc_triple OUTPUT_STRIP_TRAILING_WHITESPACE)

# Debian's gcc targets Linux: undefine its OS macros, or mbedTLS and others
# silently pick Linux code paths (getpid, clock_gettime, inet_pton, ...).
set(_paf_flags
  "-O2 -ffreestanding -fno-pic -fno-pie -mno-red-zone -fno-stack-protector"
  "-fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections -nostdinc"
  "-U__linux__ -U__linux -Ulinux -U__unix__ -U__unix -Uunix -U__gnu_linux__"
  "-DPAF_FREESTANDING=1")
string(JOIN " " _paf_flags ${_paf_flags})

set(_paf_c_includes
  "-isystem ${_paf_root}/platform/libc/include -isystem ${_paf_gcc_include}")
set(_paf_cxx_includes
  "-isystem ${_paf_root}/platform/libc/include-cxx"
  "-isystem /usr/include/c++/${_paf_gcc_major}"
  "-isystem /usr/include/${_paf_gcc_triple}/c++/${_paf_gcc_major}"
  "${_paf_c_includes}")
string(JOIN " " _paf_cxx_includes ${_paf_cxx_includes})

set(CMAKE_C_FLAGS_INIT "${_paf_flags} ${_paf_c_includes}")
set(CMAKE_ASM_FLAGS_INIT "${_paf_flags} ${_paf_c_includes}")
set(CMAKE_CXX_FLAGS_INIT
    "${_paf_flags} -fno-exceptions -fno-rtti -fno-threadsafe-statics ${_paf_cxx_includes}")
# Optimisation is part of the flags above; keep the per-type defaults from
# overriding it with -O0/-O3 surprises, but keep -g where asked.
set(CMAKE_C_FLAGS_RELWITHDEBINFO_INIT "-g")
set(CMAKE_CXX_FLAGS_RELWITHDEBINFO_INIT "-g")
set(CMAKE_C_FLAGS_RELEASE_INIT "")
set(CMAKE_CXX_FLAGS_RELEASE_INIT "")

# --emit-relocs keeps the relocations in the (unstripped) image, which keeps
# every referenced symbol in its symbol table: tests/image/check-image.sh can
# then see an undefined (e.g. weak) reference that a static link would hide.
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "-nostdlib -static -no-pie -Wl,--gc-sections -Wl,--build-id=none -Wl,--emit-relocs")
# libgcc: the compiler's own helpers (128-bit division, ...), pure code.
set(CMAKE_C_STANDARD_LIBRARIES "-lgcc" CACHE STRING "" FORCE)
set(CMAKE_CXX_STANDARD_LIBRARIES "-lgcc" CACHE STRING "" FORCE)
set(CMAKE_POSITION_INDEPENDENT_CODE OFF)
