/* Integer helpers of <stdlib.h> and <inttypes.h>. */
#include <inttypes.h>
#include <stdlib.h>

int abs(int x) { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }
long long llabs(long long x) { return x < 0 ? -x : x; }
intmax_t imaxabs(intmax_t x) { return x < 0 ? -x : x; }

div_t div(int num, int den) { return (div_t){num / den, num % den}; }
ldiv_t ldiv(long num, long den) { return (ldiv_t){num / den, num % den}; }
lldiv_t lldiv(long long num, long long den) { return (lldiv_t){num / den, num % den}; }
imaxdiv_t imaxdiv(intmax_t num, intmax_t den) { return (imaxdiv_t){num / den, num % den}; }

/* rand: the C standard's own example generator (mbedTLS's self-tests call
 * it). Not for anything secret: that is what paf_entropy is for. */
static unsigned long rand_state = 1;

int rand(void) {
  rand_state = rand_state * 1103515245 + 12345;
  return (int)((rand_state / 65536) % 32768);
}

void srand(unsigned seed) { rand_state = seed; }
