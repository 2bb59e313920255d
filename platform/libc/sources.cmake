# paf_libc's implementation files, in one list shared by the freestanding
# library (platform/libc) and its hosted tests (tests/libc).
set(PAF_LIBC_C_SOURCES
  arith.c
  console.c
  ctype.c
  errno.c
  exit.c
  format.c
  malloc.c
  math.c
  memory.c
  qsort.c
  scan.c
  snprintf.c
  string.c
  strtod.c
  strtol.c
  time.c)
list(TRANSFORM PAF_LIBC_C_SOURCES PREPEND "${CMAKE_CURRENT_LIST_DIR}/src/")
set(PAF_LIBC_CXX_SOURCES "${CMAKE_CURRENT_LIST_DIR}/src/cxxrt.cpp")
# The glue to double-conversion (paf_double_conversion), for strtod.c and
# format.c: C++, compiled as it is in the hosted tests (no renaming needed).
set(PAF_LIBC_DECIMAL_SOURCES "${CMAKE_CURRENT_LIST_DIR}/src/decimal.cpp")
# Loops that look like memset/memcpy must stay loops inside the functions that
# implement memset/memcpy.
set(PAF_LIBC_COMPILE_OPTIONS -fno-tree-loop-distribute-patterns)
