/* paf_clock_wall: the CMOS real-time clock (MC146818), read once at boot and
 * carried forward by the monotonic clock (the RTC counts whole seconds; a
 * second read would only lose precision). QEMU keeps it at the host's UTC. */
#include <time.h>

#include "cpu.h"
#include "kernel.h"
#include "paf/platform.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define CMOS_NMI_DISABLE 0x80
#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_CENTURY 0x32 /* ACPI's usual century register; QEMU has it */
#define STATUS_A_UPDATE_IN_PROGRESS 0x80
#define STATUS_B_24_HOUR 0x02
#define STATUS_B_BINARY 0x04
#define HOUR_PM 0x80
#define NS_PER_SECOND 1000000000ull
/* An update takes under 2 ms; a port that never clears is no RTC. */
#define MAX_UPDATE_WAIT_SPINS 10000000u

struct rtc_fields {
  uint8_t second, minute, hour, day, month, year, century, status_b;
};

static uint64_t wall_ns_at_read;
static uint64_t monotonic_ns_at_read;

static uint8_t cmos_read(uint8_t reg) {
  outb(CMOS_INDEX, CMOS_NMI_DISABLE | reg);
  return inb(CMOS_DATA);
}

static int wait_for_update_end(void) {
  for (uint32_t spins = 0; spins < MAX_UPDATE_WAIT_SPINS; spins++)
    if (!(cmos_read(RTC_STATUS_A) & STATUS_A_UPDATE_IN_PROGRESS)) return 1;
  return 0;
}

static struct rtc_fields read_fields(void) {
  return (struct rtc_fields){
      .second = cmos_read(RTC_SECONDS), .minute = cmos_read(RTC_MINUTES),
      .hour = cmos_read(RTC_HOURS), .day = cmos_read(RTC_DAY),
      .month = cmos_read(RTC_MONTH), .year = cmos_read(RTC_YEAR),
      .century = cmos_read(RTC_CENTURY), .status_b = cmos_read(RTC_STATUS_B)};
}

static int same_fields(const struct rtc_fields *a, const struct rtc_fields *b) {
  return a->second == b->second && a->minute == b->minute && a->hour == b->hour &&
         a->day == b->day && a->month == b->month && a->year == b->year &&
         a->century == b->century;
}

/* Reads until two reads agree, so no field is taken across an update. */
static int read_stable(struct rtc_fields *out) {
  struct rtc_fields previous;
  if (!wait_for_update_end()) return 0;
  previous = read_fields();
  for (int tries = 0; tries < 10; tries++) {
    if (!wait_for_update_end()) return 0;
    *out = read_fields();
    if (same_fields(out, &previous)) return 1;
    previous = *out;
  }
  return 0;
}

static int from_bcd(uint8_t value, int binary) {
  return binary ? value : (value >> 4) * 10 + (value & 0x0f);
}

static struct tm to_tm(const struct rtc_fields *f) {
  int binary = f->status_b & STATUS_B_BINARY;
  int hour = from_bcd(f->hour & (uint8_t)~HOUR_PM, binary);
  if (!(f->status_b & STATUS_B_24_HOUR)) hour = hour % 12 + (f->hour & HOUR_PM ? 12 : 0);
  int century = from_bcd(f->century, binary);
  if (century < 19 || century > 99) century = 20; /* no century register */
  return (struct tm){.tm_sec = from_bcd(f->second, binary),
                     .tm_min = from_bcd(f->minute, binary),
                     .tm_hour = hour,
                     .tm_mday = from_bcd(f->day, binary),
                     .tm_mon = from_bcd(f->month, binary) - 1,
                     .tm_year = century * 100 + from_bcd(f->year, binary) - 1900};
}

void rtc_init(void) {
  struct rtc_fields fields;
  if (!read_stable(&fields)) return; /* paf_clock_wall stays 0: no idea */
  struct tm tm = to_tm(&fields);
  time_t seconds = timegm(&tm);
  if (seconds <= 0) return;
  monotonic_ns_at_read = paf_clock_monotonic();
  wall_ns_at_read = (uint64_t)seconds * NS_PER_SECOND;
}

uint64_t paf_clock_wall(void) {
  if (wall_ns_at_read == 0) return 0;
  return wall_ns_at_read + (paf_clock_monotonic() - monotonic_ns_at_read);
}
