/* lwIP options for paf: every option paf sets, in one place.
 * NO_SYS raw API: lwIP runs inside paf's event loop, one thread, no OS. */
#ifndef PAF_LWIPOPTS_H
#define PAF_LWIPOPTS_H

#define NO_SYS 1
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define SYS_LIGHTWEIGHT_PROT 0

#define LWIP_IPV4 1
#define LWIP_IPV6 1
#define LWIP_DHCP 1
#define LWIP_DHCP_DOES_ACD_CHECK 0 /* else DHCP waits ~8 s for address conflict detection */
#define LWIP_AUTOIP 0
#define LWIP_DNS 1
/* IPv6: a link-local address, then SLAAC. The interface sends router
 * solicitations once up; a router advertisement's autonomous /64 prefix plus
 * the EUI-64 identifier of the MAC forms a global address (slots 1 and 2 of
 * LWIP_IPV6_NUM_ADDRESSES; slot 0 is the link-local one). MLD reports the
 * solicited-node groups that duplicate detection and neighbor discovery need.
 * DNS servers come from DHCP or dns=, not from advertisements (RDNSS would
 * overwrite them from slot 0), and there is no DHCPv6. */
#define LWIP_IPV6_AUTOCONFIG 1
#define LWIP_IPV6_SEND_ROUTER_SOLICIT 1
#define LWIP_IPV6_NUM_ADDRESSES 3
#define LWIP_IPV6_MLD 1
#define LWIP_ND6_RDNSS_MAX_DNS_SERVERS 0
#define LWIP_IPV6_DHCP6 0
#define IPV6_FRAG_COPYHEADER 1 /* required on 64-bit targets */
#define LWIP_ICMP 1
#define LWIP_RAW 0
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK 1
/* SO_REUSEADDR for listeners: a server restarting on its port must not wait
 * out the TIME_WAIT connections of its previous life (src/net sets it). */
#define SO_REUSE 1
/* Keep every packet sent while ARP resolves its next hop, not just the last:
 * else a burst of connections to a new peer loses all SYNs but one, and
 * each costs a 3-second retransmission. */
#define ARP_QUEUEING 1

/* Memory, for ServeOptions::max_connections (1024) at once, some of them
 * hostile (tests/attacks, TcpFlow.PeersThatReadNothingLeaveRoomForANewConnection):
 * - What TCP sends (PBUF_RAM) comes from the C library's heap, the image's
 *   whole heap, not a static 4 MiB of its own: a connection holds at most its
 *   send buffer (TCP_SND_BUF), and TcpFlow queues at most 16 KiB beyond what
 *   the peer's window lets out, so a peer that reads nothing holds little.
 * - Segments: one pool for every connection, 16 per connection on average.
 *   With 256 (as it was), eight peers that read nothing took every segment,
 *   and then no connection could send, not even a SYN-ACK.
 * - Connections: 1,024 served and a backlog of 128 (hello.elf's) waiting.
 *   Past it lwIP drops a SYN; the peer tries again, as with a full backlog.
 * - What arrives waits in PBUF_POOL_SIZE pool buffers, until TcpFlow copies it. */
#define MEM_ALIGNMENT 8
#define MEM_LIBC_MALLOC 1
#define MEMP_NUM_TCP_PCB 1152
#define MEMP_NUM_TCP_PCB_LISTEN 16
#define TCP_MSS 1460
#define TCP_WND (32 * TCP_MSS)
#define TCP_SND_BUF (32 * TCP_MSS)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
#define MEMP_NUM_TCP_SEG (16 * 1024) /* must be >= TCP_SND_QUEUELEN */
#define PBUF_POOL_SIZE 512
#define LWIP_WND_SCALE 1
#define TCP_RCV_SCALE 2

#define LWIP_STATS 0
#define LWIP_PROVIDE_ERRNO 1

#endif
