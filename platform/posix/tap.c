/* Opening a Linux TAP interface: /dev/net/tun, TUNSETIFF with IFF_TAP |
 * IFF_NO_PI (frames without a packet-information header), non-blocking. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "paf/posix/net_tap.h"

#define DEFAULT_MTU 1500

/* The interface's MTU, as the host configured it. */
static size_t interface_mtu(const char *interface_name) {
  int probe = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (probe < 0) return DEFAULT_MTU;
  struct ifreq request;
  memset(&request, 0, sizeof request);
  strncpy(request.ifr_name, interface_name, IFNAMSIZ - 1);
  int found = ioctl(probe, SIOCGIFMTU, &request) == 0 && request.ifr_mtu > 0;
  close(probe);
  return found ? (size_t)request.ifr_mtu : DEFAULT_MTU;
}

/* A random unicast, locally administered MAC: the stack's own, distinct from
 * the host side's. */
static int random_mac(uint8_t mac[PAF_NET_ALEN]) {
  if (paf_entropy(mac, PAF_NET_ALEN) != PAF_R_OK) return -1;
  mac[0] = (uint8_t)((mac[0] & 0xfe) | 0x02);
  return 0;
}

int paf_posix_tap_open(const char *interface_name, struct paf_net_info *info) {
  if (interface_name == NULL || interface_name[0] == '\0' || strlen(interface_name) >= IFNAMSIZ) {
    errno = EINVAL;
    return -1;
  }
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return -1;
  struct ifreq request;
  memset(&request, 0, sizeof request);
  request.ifr_flags = IFF_TAP | IFF_NO_PI;
  strncpy(request.ifr_name, interface_name, IFNAMSIZ - 1);
  if (ioctl(fd, TUNSETIFF, &request) != 0 || random_mac(info->mac_address) != 0) {
    int error = errno;
    close(fd);
    errno = error;
    return -1;
  }
  info->mtu = interface_mtu(interface_name);
  return fd;
}
