// The paf libc functions the tests call, under their paf_test_ names (see
// rename.h), declared with the host's types where they match ours (LP64).
#ifndef PAF_TESTS_LIBC_UNDER_TEST_H
#define PAF_TESTS_LIBC_UNDER_TEST_H

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <string>

// Our struct tm: the nine standard fields only (glibc's has two more).
struct paf_test_tm {
  int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst;
};

extern "C" {
int paf_test_snprintf(char* buf, size_t size, const char* format, ...);
int paf_test_printf(const char* format, ...);
int paf_test_puts(const char* s);

void paf_test_paf_libc_heap_init(void* base, size_t size);
void* paf_test_malloc(size_t size);
void* paf_test_calloc(size_t count, size_t size);
void* paf_test_realloc(void* p, size_t size);
void* paf_test_aligned_alloc(size_t alignment, size_t size);
void paf_test_free(void* p);
// Our <malloc.h>'s struct: rename.h renames its tag with the function, as C
// allows and C++ only warns about.
struct paf_test_mallinfo2 {
  size_t arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
};
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
struct paf_test_mallinfo2 paf_test_mallinfo2();
#pragma GCC diagnostic pop

void paf_test_qsort(void* base, size_t count, size_t size, int (*compare)(const void*, const void*));
void* paf_test_bsearch(const void* key, const void* base, size_t count, size_t size,
                       int (*compare)(const void*, const void*));

long paf_test_strtol(const char* s, char** end, int base);
unsigned long paf_test_strtoul(const char* s, char** end, int base);
long long paf_test_strtoll(const char* s, char** end, int base);
unsigned long long paf_test_strtoull(const char* s, char** end, int base);
int paf_test_atoi(const char* s);
double paf_test_strtod(const char* s, char** end);
double paf_test_atof(const char* s);
int paf_test_sscanf(const char* s, const char* format, ...);
double paf_test_fabs(double x);
double paf_test_ceil(double x);
double paf_test_floor(double x);
extern int paf_test_errno;

paf_test_tm* paf_test_gmtime_r(const long* t, paf_test_tm* out);
long paf_test_timegm(paf_test_tm* tm);
long paf_test_time(long* out);

void* paf_test_memcpy(void* dst, const void* src, size_t n);
void* paf_test_memmove(void* dst, const void* src, size_t n);
void* paf_test_memset(void* dst, int c, size_t n);
int paf_test_memcmp(const void* a, const void* b, size_t n);
void* paf_test_memchr(const void* s, int c, size_t n);
size_t paf_test_strlen(const char* s);
size_t paf_test_strnlen(const char* s, size_t n);
int paf_test_strcmp(const char* a, const char* b);
int paf_test_strncmp(const char* a, const char* b, size_t n);
char* paf_test_strncpy(char* dst, const char* src, size_t n);
char* paf_test_strncat(char* dst, const char* src, size_t n);
char* paf_test_strchr(const char* s, int c);
char* paf_test_strrchr(const char* s, int c);
char* paf_test_strstr(const char* haystack, const char* needle);
size_t paf_test_strspn(const char* s, const char* accept);
size_t paf_test_strcspn(const char* s, const char* reject);
char* paf_test_strpbrk(const char* s, const char* accept);
int paf_test_strcasecmp(const char* a, const char* b);
int paf_test_strncasecmp(const char* a, const char* b, size_t n);
char* paf_test_strdup(const char* s);
}

// The fake platform the libc runs on in these tests (fake_platform.cpp).
namespace fake_platform {
extern std::string console;      // everything written to the console
extern uint64_t wall_clock_ns;   // what paf_clock_wall() returns
}  // namespace fake_platform

#endif
