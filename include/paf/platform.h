/*
 * The platform contract: everything paf needs from what runs it, as a C ABI
 * modeled on Solo5's solo5.h. Each platform (platform/posix on a Linux host,
 * platform/virtio on x86_64 bare metal) implements all of it, and nothing above
 * this header knows which platform runs.
 *
 * Conventions:
 *  - Times are nanoseconds in a uint64_t. A deadline is a value of
 *    paf_clock_monotonic(); UINT64_MAX is a deadline never reached.
 *  - Functions are called from one thread only (the application's); none is
 *    reentrant and none may be called from a signal or interrupt handler.
 *  - A function that fails leaves its output parameters unspecified.
 */
#ifndef PAF_PLATFORM_H
#define PAF_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__cplusplus)
#define PAF_NORETURN [[noreturn]]
#else
#define PAF_NORETURN _Noreturn
#endif

/* What a platform call did. */
typedef enum {
  PAF_R_OK = 0,  /* done */
  PAF_R_AGAIN,   /* nothing to do yet (no frame received, no room to send) */
  PAF_R_EINVAL,  /* an argument is invalid (unknown device, bad size, ...) */
  PAF_R_EUNSPEC, /* the platform failed; it may have logged why */
} paf_result_t;

/* ---- Start ------------------------------------------------------------- */

/* What the platform hands the application once booted. */
struct paf_start_info {
  /* The command line, NUL-terminated (never NULL; "" when none). Points to
   * memory that stays valid and unchanged until the application exits. */
  const char *cmdline;
  /* Memory the application owns for its heap: [heap_start, heap_start +
   * heap_size), page aligned. A hosted platform whose C library brings its own
   * allocator may still give a region; the application decides. */
  uintptr_t heap_start;
  size_t heap_size;
};

/* Supplied by the application: its entry point, called exactly once by the
 * platform after boot. The value it returns is the exit status, as if passed
 * to paf_exit(). */
int paf_app_main(const struct paf_start_info *info);

/* ---- Time -------------------------------------------------------------- */

/* Monotonic time in nanoseconds since an unspecified point (usually boot).
 * Never goes backwards; keeps counting while the application sleeps. */
uint64_t paf_clock_monotonic(void);

/* Wall-clock time in nanoseconds since the Unix epoch (UTC). May jump when the
 * platform's clock is set; 0 if the platform has no idea of the date. */
uint64_t paf_clock_wall(void);

/* ---- Waiting ----------------------------------------------------------- */

/* A handle names an acquired device; a handle set is a bit mask with bit N set
 * for handle N. There are at most 64 handles. */
typedef uint64_t paf_handle_t;
typedef uint64_t paf_handle_set_t;

/* Sleeps until the monotonic time reaches `deadline` or until at least one
 * acquired device has input ready, whichever comes first. A deadline already
 * passed returns at once (after checking the devices). A deadline of UINT64_MAX
 * with no device acquired sleeps forever.
 * If `ready_set` is not NULL, it receives the set of handles with input ready
 * (0 when the deadline was reached); a handle in the set will answer
 * paf_net_read() with at least one frame or an error, not PAF_R_AGAIN. */
void paf_yield(uint64_t deadline, paf_handle_set_t *ready_set);

/* ---- Console ----------------------------------------------------------- */

/* Writes `size` bytes of `buf` to the console (serial line, or standard output
 * on a host), all of them, before returning. Never fails visibly: a console
 * that cannot take the bytes loses them. */
void paf_console_write(const char *buf, size_t size);

/* ---- Network ----------------------------------------------------------- */

#define PAF_NET_ALEN 6  /* bytes in a MAC address */
#define PAF_NET_HLEN 14 /* bytes in an Ethernet header */

struct paf_net_info {
  uint8_t mac_address[PAF_NET_ALEN];
  size_t mtu; /* largest payload, without the Ethernet header */
};

/* Acquires the network device called `name` (as the platform's configuration
 * names it, e.g. on the command line). On success stores its handle and its
 * MAC address and MTU. PAF_R_EINVAL when no such device exists or it is
 * already acquired. */
paf_result_t paf_net_acquire(const char *name, paf_handle_t *handle,
                             struct paf_net_info *info);

/* Receives one Ethernet frame (header included) into `buf`, stores its length
 * in `*read_size`. PAF_R_AGAIN when no frame is waiting: call paf_yield().
 * PAF_R_EINVAL when `handle` is not acquired or `size` is smaller than
 * mtu + PAF_NET_HLEN; such a frame is not lost. */
paf_result_t paf_net_read(paf_handle_t handle, uint8_t *buf, size_t size,
                          size_t *read_size);

/* Sends one Ethernet frame (header included) of `size` bytes. PAF_R_AGAIN
 * when the device has no room for it now (its transmit queue is full): the
 * frame was not taken; send it again later or drop it. PAF_R_EINVAL
 * when `handle` is not acquired or `size` exceeds mtu + PAF_NET_HLEN. The
 * frame may be dropped later, as on any Ethernet; PAF_R_OK means it was
 * handed to the device, not that it arrived. */
paf_result_t paf_net_write(paf_handle_t handle, const uint8_t *buf,
                           size_t size);

/* ---- Entropy ----------------------------------------------------------- */

/* Fills `buf` with `size` bytes from the platform's cryptographically secure
 * source (getrandom(2), RDRAND, ...). PAF_R_EUNSPEC when there is none; the
 * caller must not then use `buf` as key material. */
paf_result_t paf_entropy(void *buf, size_t size);

/* ---- Configuration ----------------------------------------------------- */

/* Longest name paf_config_read() looks up, without its NUL (QEMU's fw_cfg
 * limit: 56 bytes with it). */
#define PAF_CONFIG_NAME_MAX 55

/* Reads the whole configuration item called `name` — a file the platform was
 * given at start, not built into the image: a certificate, a key. Names are
 * paths relative to the platform's configuration store, compared exactly,
 * e.g. "opt/paf/cert.pem" (QEMU: -fw_cfg name=opt/paf/cert.pem,file=...;
 * POSIX: the file of that relative path under $PAF_CONFIG_DIR).
 * PAF_R_OK: the item's `*out_len` bytes are in `buf` (no NUL is added).
 * PAF_R_AGAIN: the item exists but is larger than `size`; `*out_len` receives
 * its length and `buf` is left unchanged: call again with a buffer that large
 * (a `size` of 0 with a NULL `buf` asks for the length only).
 * PAF_R_EINVAL: no such item (or no configuration store at all), or `name`
 * is NULL, empty or longer than PAF_CONFIG_NAME_MAX.
 * PAF_R_EUNSPEC: the item exists but could not be read. */
paf_result_t paf_config_read(const char *name, void *buf, size_t size, size_t *out_len);

/* ---- Ending ------------------------------------------------------------ */

/* Ends the application with `status` (0: success) at once: nothing more runs,
 * output already given to paf_console_write() is not lost. Never returns. */
PAF_NORETURN void paf_exit(int status);

/* Ends the application abnormally at once (a host may dump core; a bare-metal
 * platform reports failure to its monitor). Never returns. */
PAF_NORETURN void paf_abort(void);

#ifdef __cplusplus
}
#endif

#endif /* PAF_PLATFORM_H */
