/* The NIC: paf_net_acquire finds the virtio-net device and reports the MAC
 * QEMU was given (run-qemu-test.sh --net: mac=52:54:00:12:34:56) and MTU
 * 1500; it cannot be acquired twice; bad handles and sizes are refused. */
#include <string.h>

#include "check.h"
#include "paf/platform.h"

int paf_app_main(const struct paf_start_info *info) {
  (void)info;
  static const uint8_t expected_mac[PAF_NET_ALEN] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
  paf_handle_t handle, second;
  struct paf_net_info net, second_net;
  CHECK(paf_net_acquire("service0", &handle, &net) == PAF_R_OK);
  CHECK(memcmp(net.mac_address, expected_mac, PAF_NET_ALEN) == 0);
  CHECK(net.mtu == 1500);
  CHECK(paf_net_acquire("service0", &second, &second_net) == PAF_R_EINVAL);

  static uint8_t frame[1500 + PAF_NET_HLEN + 1];
  size_t size;
  CHECK(paf_net_read(handle, frame, 100, &size) == PAF_R_EINVAL);
  CHECK(paf_net_read(handle + 1, frame, sizeof frame, &size) == PAF_R_EINVAL);
  CHECK(paf_net_write(handle, frame, sizeof frame) == PAF_R_EINVAL);
  CHECK(paf_net_write(handle + 1, frame, 60) == PAF_R_EINVAL);
  paf_result_t read = paf_net_read(handle, frame, sizeof frame, &size);
  CHECK(read == PAF_R_AGAIN || (read == PAF_R_OK && size >= PAF_NET_HLEN));
  puts("SUCCESS");
  return 0;
}
