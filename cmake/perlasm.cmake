# Turns one of OpenSSL's perlasm sources into GNU assembly for x86-64 ELF, as
# OpenSSL's own build does, then gives every global symbol (and the one it
# reads, OPENSSL_ia32cap_P) the prefix PREFIX, so that paf's copy never meets
# OpenSSL's in a program that links both.
#
#   cmake -DPERL=perl -DCC=cc -DSOURCE=x.pl -DOUTPUT=x.s -DPREFIX=paf_ossl_ -P perlasm.cmake
#
# CC matters: the scripts ask the assembler's version before they emit AVX code.
foreach(var PERL CC SOURCE OUTPUT PREFIX)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "perlasm.cmake: ${var} is not set")
  endif()
endforeach()

execute_process(
  COMMAND "${CMAKE_COMMAND}" -E env "CC=${CC}" "${PERL}" "${SOURCE}" elf "${OUTPUT}.raw"
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "perlasm.cmake: ${PERL} ${SOURCE} failed (${result})")
endif()
file(READ "${OUTPUT}.raw" text)
file(REMOVE "${OUTPUT}.raw")

string(REGEX MATCHALL "\n\\.globl[ \t]+[A-Za-z0-9_]+" globals "${text}")
set(names OPENSSL_ia32cap_P)
foreach(global IN LISTS globals)
  string(REGEX REPLACE "^\n\\.globl[ \t]+" "" name "${global}")
  list(APPEND names "${name}")
endforeach()
foreach(name IN LISTS names)
  # A whole name only: not a label that merely contains it (.Laesni_..., _aesni_...).
  string(REGEX REPLACE "([^A-Za-z0-9_.])${name}([^A-Za-z0-9_])" "\\1${PREFIX}${name}\\2"
         text "${text}")
endforeach()
file(WRITE "${OUTPUT}" "${text}")
