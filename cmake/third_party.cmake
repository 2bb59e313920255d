# The four dependencies, built from the upstream sources that tools/fetch-deps
# extracts under third_party/ (fetched here when missing). Each becomes a static
# library target: paf_llhttp, paf_nghttp2, paf_mbedtls, paf_lwip. The same
# sources serve the hosted and the freestanding build; configuration headers
# live beside the paf code that uses the library.
set(PAF_THIRD_PARTY_DIR "${CMAKE_SOURCE_DIR}/third_party" CACHE PATH
    "Where tools/fetch-deps extracted the dependency sources")

if(NOT EXISTS "${PAF_THIRD_PARTY_DIR}/deps.lock")
  message(STATUS "Dependency sources missing: running tools/fetch-deps")
  execute_process(
    COMMAND "${CMAKE_SOURCE_DIR}/tools/fetch-deps"
    RESULT_VARIABLE fetch_result)
  if(NOT fetch_result EQUAL 0)
    message(FATAL_ERROR "tools/fetch-deps failed; see its message above")
  endif()
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             "${PAF_THIRD_PARTY_DIR}/deps.lock")

# Dependencies are not our code: no warnings from them, and -w keeps the build
# log readable. Their headers are SYSTEM includes for the same reason.
function(paf_third_party_library name)
  add_library(${name} STATIC ${ARGN})
  target_compile_options(${name} PRIVATE -w)
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE OFF)
endfunction()

# --- llhttp (HTTP/1.x parser) ------------------------------------------------
set(llhttp_dir "${PAF_THIRD_PARTY_DIR}/llhttp")
paf_third_party_library(paf_llhttp
  "${llhttp_dir}/src/llhttp.c" "${llhttp_dir}/src/api.c" "${llhttp_dir}/src/http.c")
target_include_directories(paf_llhttp SYSTEM PUBLIC
  "$<BUILD_INTERFACE:${llhttp_dir}/include>" "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/paf/third_party>")

# --- nghttp2 (HTTP/2 engine) -------------------------------------------------
set(nghttp2_dir "${PAF_THIRD_PARTY_DIR}/nghttp2")
file(STRINGS "${PAF_THIRD_PARTY_DIR}/deps.lock" nghttp2_lock REGEX "^nghttp2 ")
string(REGEX MATCH "^nghttp2 ([0-9]+)\\.([0-9]+)\\.([0-9]+)" _ "${nghttp2_lock}")
set(PACKAGE_VERSION "${CMAKE_MATCH_1}.${CMAKE_MATCH_2}.${CMAKE_MATCH_3}")
math(EXPR PACKAGE_VERSION_NUM
     "(${CMAKE_MATCH_1} << 16) | (${CMAKE_MATCH_2} << 8) | ${CMAKE_MATCH_3}" OUTPUT_FORMAT HEXADECIMAL)
configure_file("${nghttp2_dir}/lib/includes/nghttp2/nghttp2ver.h.in"
               "${CMAKE_BINARY_DIR}/generated/nghttp2/nghttp2ver.h" @ONLY)
file(GLOB nghttp2_sources "${nghttp2_dir}/lib/*.c")
paf_third_party_library(paf_nghttp2 ${nghttp2_sources})
target_include_directories(paf_nghttp2 SYSTEM PUBLIC
  "$<BUILD_INTERFACE:${nghttp2_dir}/lib/includes>"
  "$<BUILD_INTERFACE:${CMAKE_BINARY_DIR}/generated>"
  "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/paf/third_party>")
target_compile_definitions(paf_nghttp2 PUBLIC NGHTTP2_STATICLIB)
if(NOT PAF_FREESTANDING)
  target_compile_definitions(paf_nghttp2 PRIVATE
    HAVE_ARPA_INET_H HAVE_NETINET_IN_H HAVE_CLOCK_GETTIME HAVE_DECL_CLOCK_MONOTONIC=1)
else()
  # paf's libc has the byte-order functions in <arpa/inet.h> and a
  # clock_gettime(CLOCK_MONOTONIC) over the platform's monotonic clock, which
  # nghttp2_time.c uses for its timers (else it falls back to wall-clock time()).
  target_compile_definitions(paf_nghttp2 PRIVATE
    HAVE_ARPA_INET_H HAVE_CLOCK_GETTIME HAVE_DECL_CLOCK_MONOTONIC=1)
endif()

# --- BearSSL (its AES-GCM only, for mbedTLS: src/tls/port/gcm_alt.c) ---------
# AES in counter mode (AES-NI, else constant-time 64-bit code), GHASH (PCLMUL,
# else constant-time), and GCM over them; chosen at run time from CPUID.
set(bearssl_dir "${PAF_THIRD_PARTY_DIR}/bearssl")
paf_third_party_library(paf_bearssl
  "${bearssl_dir}/src/aead/gcm.c"
  "${bearssl_dir}/src/symcipher/aes_x86ni.c" "${bearssl_dir}/src/symcipher/aes_x86ni_ctr.c"
  "${bearssl_dir}/src/symcipher/aes_ct64.c" "${bearssl_dir}/src/symcipher/aes_ct64_enc.c"
  "${bearssl_dir}/src/symcipher/aes_ct64_ctr.c" "${bearssl_dir}/src/symcipher/aes_common.c"
  "${bearssl_dir}/src/hash/ghash_pclmul.c" "${bearssl_dir}/src/hash/ghash_ctmul64.c"
  "${bearssl_dir}/src/codec/ccopy.c" "${bearssl_dir}/src/codec/dec32be.c"
  "${bearssl_dir}/src/codec/enc32be.c" "${bearssl_dir}/src/codec/dec32le.c"
  "${bearssl_dir}/src/codec/enc32le.c" "${bearssl_dir}/src/codec/dec64be.c"
  "${bearssl_dir}/src/codec/enc64be.c" "${bearssl_dir}/src/codec/dec64le.c"
  "${bearssl_dir}/src/codec/enc64le.c")
target_include_directories(paf_bearssl SYSTEM PUBLIC
  "$<BUILD_INTERFACE:${bearssl_dir}/inc>" "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/paf/third_party>")
target_include_directories(paf_bearssl PRIVATE "${bearssl_dir}/src")

# --- OpenSSL's AES-GCM assembly (x86-64: AES-NI, GHASH, stitched AVX) --------
# Generated from OpenSSL's perlasm at build time (cmake/perlasm.cmake), for the
# GCM in src/tls/port/gcm_alt.c on CPUs with AVX, MOVBE, AES-NI and PCLMUL:
# AES-CTR and GHASH interleaved run about 1.5x faster than BearSSL's two passes.
set(PAF_OPENSSL_GCM OFF)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64)$")
  find_program(PAF_PERL perl REQUIRED)
  set(openssl_dir "${PAF_THIRD_PARTY_DIR}/openssl")
  set(openssl_gcm_asm)
  foreach(source crypto/aes/asm/aesni-x86_64.pl crypto/modes/asm/ghash-x86_64.pl
                 crypto/modes/asm/aesni-gcm-x86_64.pl)
    get_filename_component(stem "${source}" NAME_WE)
    set(output "${CMAKE_BINARY_DIR}/generated/openssl/${stem}.s")
    add_custom_command(
      OUTPUT "${output}"
      COMMAND "${CMAKE_COMMAND}" "-DPERL=${PAF_PERL}" "-DCC=${CMAKE_C_COMPILER}"
              "-DSOURCE=${openssl_dir}/${source}" "-DOUTPUT=${output}" -DPREFIX=paf_ossl_
              -P "${CMAKE_SOURCE_DIR}/cmake/perlasm.cmake"
      DEPENDS "${openssl_dir}/${source}" "${openssl_dir}/crypto/perlasm/x86_64-xlate.pl"
              "${CMAKE_SOURCE_DIR}/cmake/perlasm.cmake"
      COMMENT "perlasm ${stem}.s"
      VERBATIM)
    list(APPEND openssl_gcm_asm "${output}")
  endforeach()
  paf_third_party_library(paf_openssl_gcm ${openssl_gcm_asm})
  set_target_properties(paf_openssl_gcm PROPERTIES LINKER_LANGUAGE C)
  # The generated files do not say their stack is not executable (OpenSSL's
  # build passes the same flag).
  target_compile_options(paf_openssl_gcm PRIVATE -Wa,--noexecstack)
  set(PAF_OPENSSL_GCM ON)
endif()

# --- mbedTLS (TLS 1.3/1.2, X.509, crypto) ------------------------------------
set(mbedtls_dir "${PAF_THIRD_PARTY_DIR}/mbedtls")
file(GLOB mbedtls_sources "${mbedtls_dir}/library/*.c")
paf_third_party_library(paf_mbedtls ${mbedtls_sources})
target_include_directories(paf_mbedtls SYSTEM PUBLIC
  "$<BUILD_INTERFACE:${mbedtls_dir}/include>"
  "$<BUILD_INTERFACE:${CMAKE_SOURCE_DIR}/src/tls/config>"
  "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/paf/third_party>")
target_include_directories(paf_mbedtls PRIVATE "${mbedtls_dir}/library")
# paf's adjustments to mbedTLS's default configuration (both builds), and its
# GCM over BearSSL's (MBEDTLS_GCM_ALT).
target_compile_definitions(paf_mbedtls PUBLIC
  MBEDTLS_USER_CONFIG_FILE="paf_mbedtls_config.h")
target_sources(paf_mbedtls PRIVATE "${CMAKE_SOURCE_DIR}/src/tls/port/gcm_alt.c")
target_link_libraries(paf_mbedtls PUBLIC paf_bearssl)
if(PAF_OPENSSL_GCM)
  target_link_libraries(paf_mbedtls PUBLIC paf_openssl_gcm)
  target_compile_definitions(paf_mbedtls PRIVATE PAF_OPENSSL_GCM=1)
endif()
# AES-NI and PCLMUL through mbedTLS's intrinsics rather than its inline
# assembly: AES-128-GCM runs 1.4x faster (about 380 -> 530 MB/s of CPU time
# on this machine's Xeon; SSE4.1 is worth a third of that). The flags only let
# aesni.c use the instructions; it still asks CPUID before it does, so a CPU
# without AES-NI takes the portable path in aes.c (every CPU with AES-NI also
# has SSE4.1).
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64)$")
  set_source_files_properties("${mbedtls_dir}/library/aesni.c" PROPERTIES
                              COMPILE_OPTIONS "-maes;-mpclmul;-msse4.1")
endif()
if(PAF_FREESTANDING)
  # The entropy source and monotonic clock the freestanding configuration
  # promises (see paf_mbedtls_config.h), over include/paf/platform.h.
  target_sources(paf_mbedtls PRIVATE "${CMAKE_SOURCE_DIR}/src/tls/port/mbedtls_platform.c")
  target_include_directories(paf_mbedtls PRIVATE "${CMAKE_SOURCE_DIR}/include")
endif()

# --- lwIP (TCP/IP stack, NO_SYS raw API) -------------------------------------
set(LWIP_DIR "${PAF_THIRD_PARTY_DIR}/lwip")
include("${LWIP_DIR}/src/Filelists.cmake")
paf_third_party_library(paf_lwip ${lwipcore_SRCS} ${lwipcore4_SRCS} ${lwipcore6_SRCS}
                        "${LWIP_DIR}/src/netif/ethernet.c")
if(PAF_FUZZ)
  # A formal null-member access the fuzzers reach, which is no fault (the
  # file says why): not a crash to stop at.
  target_compile_options(paf_lwip PRIVATE
    "-fsanitize-ignorelist=${CMAKE_SOURCE_DIR}/fuzz/ubsan-ignorelist.txt")
endif()
target_include_directories(paf_lwip SYSTEM PUBLIC
  "$<BUILD_INTERFACE:${LWIP_DIR}/src/include>"
  "$<BUILD_INTERFACE:${CMAKE_SOURCE_DIR}/src/net/port>"
  "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/paf/third_party>")

# --- uriparser (RFC 3986 URIs: paf::Uri) -------------------------------------
# Narrow strings only (URI_NO_UNICODE): paf's text is UTF-8 in char. Its
# UriConfig.h is generated here, as its CMake build does, saying only the
# version: the optional reallocarray is left out (uriparser has its own).
set(uriparser_dir "${PAF_THIRD_PARTY_DIR}/uriparser")
function(paf_configure_uriparser)
  file(STRINGS "${PAF_THIRD_PARTY_DIR}/deps.lock" lock REGEX "^uriparser ")
  string(REGEX MATCH "^uriparser ([^ ]+)" _ "${lock}")
  set(PROJECT_VERSION "${CMAKE_MATCH_1}")
  configure_file("${uriparser_dir}/src/UriConfig.h.in"
                 "${CMAKE_BINARY_DIR}/generated/uriparser/UriConfig.h")
endfunction()
paf_configure_uriparser()
file(GLOB uriparser_sources "${uriparser_dir}/src/*.c")
paf_third_party_library(paf_uriparser ${uriparser_sources})
target_include_directories(paf_uriparser SYSTEM PUBLIC
  "$<BUILD_INTERFACE:${uriparser_dir}/include>" "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/paf/third_party>")
target_include_directories(paf_uriparser PRIVATE "${CMAKE_BINARY_DIR}/generated/uriparser")
target_compile_definitions(paf_uriparser PUBLIC URI_NO_UNICODE URI_STATIC_BUILD)

# --- double-conversion (decimal <-> binary doubles, for platform/libc) --------
# Correctly rounded strtod and exact digits for printf's %e/%f/%g in paf's
# libc (platform/libc/src/decimal.cpp). Built in both builds: the hosted one
# for tests/libc, which compares that libc with glibc. Not its
# string-to-double.cc (it needs <locale>): platform/libc/src/strtod.c reads
# the text and hands double-conversion the digits.
set(double_conversion_dir "${PAF_THIRD_PARTY_DIR}/double-conversion")
paf_third_party_library(paf_double_conversion
  "${double_conversion_dir}/double-conversion/bignum.cc"
  "${double_conversion_dir}/double-conversion/bignum-dtoa.cc"
  "${double_conversion_dir}/double-conversion/cached-powers.cc"
  "${double_conversion_dir}/double-conversion/double-to-string.cc"
  "${double_conversion_dir}/double-conversion/fast-dtoa.cc"
  "${double_conversion_dir}/double-conversion/fixed-dtoa.cc"
  "${double_conversion_dir}/double-conversion/strtod.cc")
target_include_directories(paf_double_conversion SYSTEM PUBLIC "$<BUILD_INTERFACE:${double_conversion_dir}>")
if(PAF_FREESTANDING)
  # Its <cmath> (for ceil) is paf's <math.h>: libstdc++'s needs all of C99's.
  target_include_directories(paf_double_conversion BEFORE PRIVATE
    "${CMAKE_SOURCE_DIR}/platform/libc/port/double-conversion")
  target_compile_options(paf_double_conversion PRIVATE -fno-exceptions -fno-rtti)
endif()

# --- cJSON (JSON: ACME's directory, orders, problems and JWS in src/acme) -----
# In both builds: in the image, its numbers go through platform/libc's strtod,
# sscanf and printf's %g. Only cJSON.c is built (not cJSON_Utils: JSON Patch
# and Pointer).
set(cjson_dir "${PAF_THIRD_PARTY_DIR}/cjson")
paf_third_party_library(paf_cjson "${cjson_dir}/cJSON.c")
target_include_directories(paf_cjson SYSTEM PUBLIC "$<BUILD_INTERFACE:${cjson_dir}>")

# --- c-ares (non-blocking DNS on the host: platform/posix/dns.cpp) -----------
# Hosted only. Its ares_config.h (what this host's C library offers) comes from
# c-ares' own CMake checks, run once per build tree into generated/c-ares
# (again when the fetched version changes); the sources are built here, as a
# paf library, from the list its build uses (src/lib/Makefile.inc).
if(NOT PAF_FREESTANDING)
  set(cares_dir "${PAF_THIRD_PARTY_DIR}/c-ares")
  set(cares_config_dir "${CMAKE_BINARY_DIR}/generated/c-ares")
  file(STRINGS "${PAF_THIRD_PARTY_DIR}/deps.lock" cares_lock REGEX "^c-ares ")
  set(cares_configured_lock "")
  if(EXISTS "${cares_config_dir}/paf-configured")
    file(READ "${cares_config_dir}/paf-configured" cares_configured_lock)
  endif()
  if(NOT EXISTS "${cares_config_dir}/ares_config.h" OR NOT cares_configured_lock STREQUAL cares_lock)
    message(STATUS "c-ares: running its configuration checks (${cares_lock})")
    file(REMOVE_RECURSE "${cares_config_dir}")
    execute_process(
      COMMAND "${CMAKE_COMMAND}" -S "${cares_dir}" -B "${cares_config_dir}" -G "${CMAKE_GENERATOR}"
              "-DCMAKE_C_COMPILER=${CMAKE_C_COMPILER}" -DCARES_STATIC=ON -DCARES_SHARED=OFF
              -DCARES_INSTALL=OFF -DCARES_BUILD_TOOLS=OFF -DCARES_BUILD_TESTS=OFF -DCARES_THREADS=OFF
      OUTPUT_FILE "${CMAKE_BINARY_DIR}/generated/c-ares-configure.log"
      ERROR_FILE "${CMAKE_BINARY_DIR}/generated/c-ares-configure.log"
      RESULT_VARIABLE cares_result)
    if(NOT cares_result EQUAL 0 OR NOT EXISTS "${cares_config_dir}/ares_config.h")
      message(FATAL_ERROR "c-ares' configuration failed: see ${CMAKE_BINARY_DIR}/generated/c-ares-configure.log")
    endif()
    file(WRITE "${cares_config_dir}/paf-configured" "${cares_lock}")
  endif()
  include("${cares_config_dir}/src/lib/Makefile.inc.cmake")  # CSOURCES, relative to src/lib
  list(FILTER CSOURCES INCLUDE REGEX "\\.c$")
  list(TRANSFORM CSOURCES PREPEND "${cares_dir}/src/lib/")
  paf_third_party_library(paf_cares ${CSOURCES})
  # ares_build.h: c-ares' own, beside ares.h (its generic one for GCC on Linux).
  target_include_directories(paf_cares SYSTEM PUBLIC
    "$<BUILD_INTERFACE:${cares_dir}/include>" "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/paf/third_party>")
  target_include_directories(paf_cares PRIVATE
    "${cares_config_dir}" "${cares_dir}/src/lib" "${cares_dir}/src/lib/include")
  target_compile_definitions(paf_cares PUBLIC CARES_STATICLIB)
  target_compile_definitions(paf_cares PRIVATE HAVE_CONFIG_H=1 CARES_BUILDING_LIBRARY
    _GNU_SOURCE _POSIX_C_SOURCE=200809L _XOPEN_SOURCE=700)
endif()
