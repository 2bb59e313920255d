/* errno, and the messages strerror gives for the numbers paf's code meets. */
#include <errno.h>
#include <string.h>

int errno;

char *strerror(int errnum) {
  switch (errnum) {
    case 0: return (char *)"Success";
    case EPERM: return (char *)"Operation not permitted";
    case ENOENT: return (char *)"No such file or directory";
    case EINTR: return (char *)"Interrupted";
    case EIO: return (char *)"I/O error";
    case EBADF: return (char *)"Bad file descriptor";
    case EAGAIN: return (char *)"Resource temporarily unavailable";
    case ENOMEM: return (char *)"Out of memory";
    case EACCES: return (char *)"Permission denied";
    case EFAULT: return (char *)"Bad address";
    case EBUSY: return (char *)"Resource busy";
    case EEXIST: return (char *)"File exists";
    case EINVAL: return (char *)"Invalid argument";
    case ENOSPC: return (char *)"No space left on device";
    case EPIPE: return (char *)"Broken pipe";
    case EDOM: return (char *)"Domain error";
    case ERANGE: return (char *)"Result not representable";
    case ENOSYS: return (char *)"Function not implemented";
    case EOVERFLOW: return (char *)"Value too large for data type";
    case EILSEQ: return (char *)"Illegal byte sequence";
    case EOPNOTSUPP: return (char *)"Operation not supported";
    case EADDRINUSE: return (char *)"Address in use";
    case ECONNRESET: return (char *)"Connection reset by peer";
    case ENOBUFS: return (char *)"No buffer space available";
    case ETIMEDOUT: return (char *)"Operation timed out";
    case ECONNREFUSED: return (char *)"Connection refused";
    case EINPROGRESS: return (char *)"Operation in progress";
    default: return (char *)"Unknown error";
  }
}
