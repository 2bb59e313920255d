/* The host's boot: turns argv into paf_start_info and calls paf_app_main, as a
 * bare-metal platform does from its boot loader's data. Linked only into
 * applications (library paf_posix_main), never into tests with their own main.
 *
 * Words of the form --net:NAME=IFACE are the platform's, not the
 * application's: they bind the network device NAME to the TAP interface IFACE
 * (paf/posix/net_tap.h) and are left out of the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "paf/platform.h"
#include "paf/posix/net_tap.h"

/* Reserved, not committed: pages cost memory only once touched. More than the
 * 100 MiB that the platform contract's heap test asks of every binding. */
#define PAF_POSIX_HEAP_SIZE ((size_t)256 << 20)

#define NET_OPTION "--net:"

static int is_platform_word(const char *word) {
  return strncmp(word, NET_OPTION, strlen(NET_OPTION)) == 0;
}

/* Binds the device of "--net:NAME=IFACE"; 0 when the word is malformed. */
static int bind_network_device(const char *word) {
  const char *name = word + strlen(NET_OPTION);
  const char *equals = strchr(name, '=');
  char device[64];
  if (equals == NULL || equals == name || (size_t)(equals - name) >= sizeof device) return 0;
  memcpy(device, name, (size_t)(equals - name));
  device[equals - name] = '\0';
  return paf_posix_net_bind_tap(device, equals + 1) == PAF_R_OK;
}

/* argv[1..] without the platform's words, joined with single spaces, like a
 * kernel command line. */
static char *join_arguments(int argc, char **argv) {
  size_t length = 0;
  for (int i = 1; i < argc; ++i) length += strlen(argv[i]) + 1;
  char *cmdline = malloc(length + 1);
  if (cmdline == NULL) return NULL;
  char *end = cmdline;
  for (int i = 1; i < argc; ++i) {
    if (is_platform_word(argv[i])) continue;
    if (end > cmdline) *end++ = ' ';
    size_t n = strlen(argv[i]);
    memcpy(end, argv[i], n);
    end += n;
  }
  *end = '\0';
  return cmdline;
}

/* Global so that it stays valid, and reachable, until the process ends. */
static char *cmdline;

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    if (is_platform_word(argv[i]) && !bind_network_device(argv[i])) {
      fprintf(stderr,
              "paf/posix: %s: want --net:NAME=IFACE, each NAME once (IFACE: a TAP interface)\n",
              argv[i]);
      return 2;
    }
  }
  cmdline = join_arguments(argc, argv);
  if (cmdline == NULL) {
    fprintf(stderr, "paf/posix: out of memory building the command line\n");
    return 1;
  }
  void *heap = mmap(NULL, PAF_POSIX_HEAP_SIZE, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (heap == MAP_FAILED) {
    fprintf(stderr, "paf/posix: cannot reserve %zu bytes for the heap\n", PAF_POSIX_HEAP_SIZE);
    return 1;
  }
  struct paf_start_info info = {
      .cmdline = cmdline,
      .heap_start = (uintptr_t)heap,
      .heap_size = PAF_POSIX_HEAP_SIZE,
  };
  /* Returning (rather than paf_exit) lets a hosted process end normally:
   * stdio flushed, sanitizers' leak checks run. The status is the same. */
  return paf_app_main(&info);
}
