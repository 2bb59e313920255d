/* Network devices: TAP interfaces bound to device names (paf/posix/net_tap.h).
 * A handle is the index of its binding. Input readiness is polled in
 * paf_yield (through paf_posix_net_poll) with ppoll(2), whose timeout has the
 * deadline's nanosecond precision. */
#define _GNU_SOURCE /* ppoll */
#include "net.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "paf/posix/net_tap.h"

#define MAX_BINDINGS 8
#define NAME_CAPACITY 64
#define INTERFACE_CAPACITY 16 /* IFNAMSIZ */

struct binding {
  char name[NAME_CAPACITY];
  char interface_name[INTERFACE_CAPACITY];
  int fd; /* -1 until acquired */
  struct paf_net_info info;
};

static struct binding bindings[MAX_BINDINGS];
static size_t binding_count;

__attribute__((format(printf, 1, 2))) static void log_line(const char *format, ...) {
  char line[256];
  va_list arguments;
  va_start(arguments, format);
  int n = vsnprintf(line, sizeof line, format, arguments);
  va_end(arguments);
  if (n > 0) paf_console_write(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

paf_result_t paf_posix_net_bind_tap(const char *name, const char *interface_name) {
  if (name == NULL || interface_name == NULL || name[0] == '\0' || interface_name[0] == '\0' ||
      strlen(name) >= NAME_CAPACITY || strlen(interface_name) >= INTERFACE_CAPACITY ||
      binding_count == MAX_BINDINGS)
    return PAF_R_EINVAL;
  for (size_t i = 0; i < binding_count; ++i)
    if (strcmp(bindings[i].name, name) == 0) return PAF_R_EINVAL;
  struct binding *binding = &bindings[binding_count++];
  strcpy(binding->name, name);
  strcpy(binding->interface_name, interface_name);
  binding->fd = -1;
  return PAF_R_OK;
}

paf_result_t paf_net_acquire(const char *name, paf_handle_t *handle, struct paf_net_info *info) {
  size_t i = 0;
  while (i < binding_count && strcmp(bindings[i].name, name != NULL ? name : "") != 0) ++i;
  if (i == binding_count) {
    log_line(
        "paf/posix: no network device \"%s\": bind it to a TAP interface with "
        "--net:%s=IFACE\n",
        name != NULL ? name : "(null)", name != NULL ? name : "NAME");
    return PAF_R_EINVAL;
  }
  struct binding *binding = &bindings[i];
  if (binding->fd >= 0) return PAF_R_EINVAL; /* acquired already */
  binding->fd = paf_posix_tap_open(binding->interface_name, &binding->info);
  if (binding->fd < 0) {
    log_line("paf/posix: network device \"%s\": cannot open TAP interface %s: %s\n", binding->name,
             binding->interface_name, strerror(errno));
    return PAF_R_EINVAL;
  }
  const uint8_t *m = binding->info.mac_address;
  char mac[18];
  snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
  log_line("paf/posix: network device \"%s\" is TAP interface %s, mac %s\n", binding->name,
           binding->interface_name, mac);
  *handle = i;
  *info = binding->info;
  return PAF_R_OK;
}

static struct binding *acquired(paf_handle_t handle) {
  if (handle >= binding_count || bindings[handle].fd < 0) return NULL;
  return &bindings[handle];
}

paf_result_t paf_net_read(paf_handle_t handle, uint8_t *buf, size_t size, size_t *read_size) {
  struct binding *binding = acquired(handle);
  if (binding == NULL || size < binding->info.mtu + PAF_NET_HLEN) return PAF_R_EINVAL;
  for (;;) {
    ssize_t n = read(binding->fd, buf, size);
    if (n > 0) {
      *read_size = (size_t)n;
      return PAF_R_OK;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return PAF_R_AGAIN;
    return PAF_R_EUNSPEC;
  }
}

paf_result_t paf_net_write(paf_handle_t handle, const uint8_t *buf, size_t size) {
  struct binding *binding = acquired(handle);
  if (binding == NULL || size > binding->info.mtu + PAF_NET_HLEN) return PAF_R_EINVAL;
  for (;;) {
    ssize_t n = write(binding->fd, buf, size);
    if (n == (ssize_t)size) return PAF_R_OK;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return PAF_R_AGAIN;
    return PAF_R_EUNSPEC; /* e.g. EIO while the host side of the interface is down */
  }
}

int paf_posix_net_poll(uint64_t deadline, paf_handle_set_t *ready_set) {
  struct pollfd fds[MAX_BINDINGS];
  paf_handle_t handles[MAX_BINDINGS];
  nfds_t count = 0;
  for (size_t i = 0; i < binding_count; ++i) {
    if (bindings[i].fd < 0) continue;
    fds[count] = (struct pollfd){.fd = bindings[i].fd, .events = POLLIN};
    handles[count++] = i;
  }
  *ready_set = 0;
  if (count == 0) return -1;
  for (;;) {
    uint64_t now = paf_clock_monotonic();
    uint64_t wait = deadline > now ? deadline - now : 0;
    struct timespec timeout = {.tv_sec = (time_t)(wait / 1000000000u),
                               .tv_nsec = (long)(wait % 1000000000u)};
    int ready = ppoll(fds, count, deadline == UINT64_MAX ? NULL : &timeout, NULL);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return 0;
    break;
  }
  for (nfds_t i = 0; i < count; ++i)
    if (fds[i].revents != 0) *ready_set |= (paf_handle_set_t)1 << handles[i];
  return 0;
}
