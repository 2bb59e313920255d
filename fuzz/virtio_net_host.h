/* fuzz/virtio_net_host.c: platform/virtio's NIC driver, hosted. */
#ifndef PAF_FUZZ_VIRTIO_NET_HOST_H
#define PAF_FUZZ_VIRTIO_NET_HOST_H

#include <stdint.h>

#include "virtio_ring.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Frees what the driver allocated and forgets the NIC: the next
 * paf_net_acquire starts afresh. */
void virtio_net_host_reset(void);

/* The driver's rings (what the device shares with it) and its count of
 * transmit buffers free. */
struct virtio_net_host_view {
  struct virtq *receive, *transmit;
  uint16_t free_transmit_count;
};
struct virtio_net_host_view virtio_net_host_rings(void);

#ifdef __cplusplus
}
#endif

#endif
