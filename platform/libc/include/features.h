/* paf libc: stand-in for glibc's <features.h>, which libstdc++'s
 * bits/os_defines.h includes. We are not glibc: every version test is false. */
#ifndef PAF_LIBC_FEATURES_H
#define PAF_LIBC_FEATURES_H

#define __GLIBC_PREREQ(major, minor) 0

#ifdef __cplusplus
#define __PAF_BEGIN_DECLS extern "C" {
#define __PAF_END_DECLS }
#define __PAF_NOTHROW noexcept
#else
#define __PAF_BEGIN_DECLS
#define __PAF_END_DECLS
#define __PAF_NOTHROW
#endif

#endif
