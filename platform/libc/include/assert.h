/* paf libc: <assert.h>. A failed assertion prints where, then aborts.
 * Deliberately without include guard, as the standard asks (NDEBUG may change). */
#include <features.h>

#undef assert
#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
__PAF_BEGIN_DECLS
void __paf_assert_fail(const char *expr, const char *file, int line, const char *func)
    __attribute__((noreturn));
__PAF_END_DECLS
#define assert(expr) \
  ((expr) ? (void)0 : __paf_assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif

#if !defined(__cplusplus) && !defined(static_assert)
#define static_assert _Static_assert
#endif
