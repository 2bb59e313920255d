/* check-image.sh must reject this: a static image that links although it
 * calls a missing function (a weak reference resolves to address 0). */
.weak missing_function
.globl _start
_start:
  call missing_function
  ud2
