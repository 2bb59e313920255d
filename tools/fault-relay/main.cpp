// fault-relay: a faulty Ethernet cable between a QEMU guest and a TAP interface,
// for tests on a kernel without netem. QEMU's datagram network backend
// (`-netdev dgram,...,local.port=Q,remote.port=R`) sends each frame the guest
// writes as one UDP datagram to 127.0.0.1:R, where the relay listens, and
// takes frames for the guest on 127.0.0.1:Q; the relay passes them to and from
// a TAP interface, whose other side is the host kernel's own TCP/IP: a real,
// independent peer. On the way, each frame, in each direction alike, may be
//
//   dropped       --loss PERCENT
//   duplicated    --duplicate PERCENT (the copy follows the frame)
//   reordered     --reorder PERCENT (held back until the next frame has gone)
//   delayed       --delay MS [--jitter MS]: MS ± JITTER, uniformly (a jitter
//                 also reorders, as a real path's does)
//
// from a PRNG seeded with --seed, so that a run's faults can be told apart
// from another's. SIGUSR1 cuts the link for --partition-seconds (default 2):
// every frame sent or in flight meanwhile is lost, then the link heals.
// SIGTERM or SIGINT ends the relay; it then writes what it did, a line per
// direction, to stderr and to --stats FILE:
//
//   guest->host: frames 1200, delivered 1151, lost 61, duplicated 12, reordered 11, cut 40
//
//   fault-relay --qemu-port Q --listen-port R --tap IFACE [--seed N] [--loss P]
//               [--duplicate P] [--reorder P] [--delay MS] [--jitter MS]
//               [--partition-seconds S] [--stats FILE]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <queue>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "paf/posix/net_tap.h"

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

volatile sig_atomic_t stop_requested = 0;
volatile sig_atomic_t partition_requested = 0;

struct Options {
  std::uint16_t qemu_port = 0, listen_port = 0;
  std::string tap, stats_file;
  std::uint64_t seed = 1;
  double loss = 0, duplicate = 0, reorder = 0;  // probabilities, 0 to 1
  double delay_ms = 0, jitter_ms = 0;
  double partition_seconds = 2;
};

struct Frame {
  Clock::time_point due;
  std::uint64_t order;  // among frames due at the same time: first in, first out
  std::vector<std::uint8_t> bytes;
  bool operator>(const Frame& other) const {
    return due != other.due ? due > other.due : order > other.order;
  }
};

struct Counts {
  std::uint64_t frames = 0, delivered = 0, lost = 0, duplicated = 0, reordered = 0, cut = 0;
};

// One direction of the cable: the faults it applies and the frames in flight.
class Direction {
 public:
  Direction(const char* name, const Options& options, std::mt19937_64& random)
      : name_(name), options_(options), random_(random) {}

  // A frame entered the cable at `now`.
  void take(std::vector<std::uint8_t> bytes, Clock::time_point now, bool link_cut) {
    ++counts_.frames;
    if (link_cut) return void(++counts_.cut);
    if (chance(options_.loss)) return void(++counts_.lost);
    if (chance(options_.reorder)) {
      // Held back: it leaves after the next frame does (or on its own, late).
      ++counts_.reordered;
      held_.push_back(std::move(bytes));
      held_since_ = now;
      return;
    }
    const Clock::time_point due = now + delay();
    if (chance(options_.duplicate)) {
      ++counts_.duplicated;
      push(bytes, due);
    }
    push(std::move(bytes), due);
    // What was held back goes out behind this frame.
    for (auto& late : held_) push(std::move(late), due);
    held_.clear();
  }

  // Frames whose time has come, in order; `send` delivers one.
  template <typename Send>
  void release(Clock::time_point now, bool link_cut, Send&& send) {
    if (!held_.empty() && now - held_since_ > milliseconds(50)) {
      for (auto& late : held_) push(std::move(late), now);
      held_.clear();
    }
    while (!flight_.empty() && flight_.top().due <= now) {
      if (link_cut) {
        ++counts_.cut;
      } else {
        send(flight_.top().bytes);
        ++counts_.delivered;
      }
      flight_.pop();
    }
  }

  // When release() has something to do next (max() when nothing).
  Clock::time_point next_due() const {
    Clock::time_point next = Clock::time_point::max();
    if (!flight_.empty()) next = flight_.top().due;
    if (!held_.empty()) next = std::min(next, held_since_ + milliseconds(51));
    return next;
  }

  std::string describe() const {
    char line[256];
    std::snprintf(line, sizeof line,
                  "%s: frames %llu, delivered %llu, lost %llu, duplicated %llu, reordered %llu, "
                  "cut %llu\n",
                  name_, static_cast<unsigned long long>(counts_.frames),
                  static_cast<unsigned long long>(counts_.delivered),
                  static_cast<unsigned long long>(counts_.lost),
                  static_cast<unsigned long long>(counts_.duplicated),
                  static_cast<unsigned long long>(counts_.reordered),
                  static_cast<unsigned long long>(counts_.cut));
    return line;
  }

 private:
  bool chance(double probability) {
    return probability > 0 && std::uniform_real_distribution<double>(0, 1)(random_) < probability;
  }
  Clock::duration delay() {
    double ms = options_.delay_ms;
    if (options_.jitter_ms > 0)
      ms += std::uniform_real_distribution<double>(-options_.jitter_ms, options_.jitter_ms)(random_);
    return std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double, std::milli>(ms < 0 ? 0 : ms));
  }
  void push(std::vector<std::uint8_t> bytes, Clock::time_point due) {
    flight_.push(Frame{due, next_order_++, std::move(bytes)});
  }

  const char* name_;
  const Options& options_;
  std::mt19937_64& random_;
  std::priority_queue<Frame, std::vector<Frame>, std::greater<>> flight_;
  std::vector<std::vector<std::uint8_t>> held_;
  Clock::time_point held_since_;
  std::uint64_t next_order_ = 0;
  Counts counts_;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "fault-relay: %s\n"
               "usage: fault-relay --qemu-port Q --listen-port R --tap IFACE [--seed N]\n"
               "         [--loss PERCENT] [--duplicate PERCENT] [--reorder PERCENT]\n"
               "         [--delay MS] [--jitter MS] [--partition-seconds S] [--stats FILE]\n",
               why);
  std::exit(2);
}

double number(std::string_view option, const char* text, double low, double high) {
  char* end = nullptr;
  const double value = std::strtod(text, &end);
  if (end == text || *end != '\0' || !(value >= low && value <= high))
    usage((std::string(option) + " wants a number from " + std::to_string(low) + " to " +
           std::to_string(high))
              .c_str());
  return value;
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; i += 2) {
    const std::string_view option = argv[i];
    if (i + 1 >= argc) usage((std::string(option) + " wants a value").c_str());
    const char* value = argv[i + 1];
    if (option == "--qemu-port") {
      options.qemu_port = static_cast<std::uint16_t>(number(option, value, 1, 65535));
    } else if (option == "--listen-port") {
      options.listen_port = static_cast<std::uint16_t>(number(option, value, 1, 65535));
    } else if (option == "--tap") {
      options.tap = value;
    } else if (option == "--seed") {
      options.seed = static_cast<std::uint64_t>(number(option, value, 0, 1e15));
    } else if (option == "--loss") {
      options.loss = number(option, value, 0, 100) / 100;
    } else if (option == "--duplicate") {
      options.duplicate = number(option, value, 0, 100) / 100;
    } else if (option == "--reorder") {
      options.reorder = number(option, value, 0, 100) / 100;
    } else if (option == "--delay") {
      options.delay_ms = number(option, value, 0, 10000);
    } else if (option == "--jitter") {
      options.jitter_ms = number(option, value, 0, 10000);
    } else if (option == "--partition-seconds") {
      options.partition_seconds = number(option, value, 0, 3600);
    } else if (option == "--stats") {
      options.stats_file = value;
    } else {
      usage(("unknown option " + std::string(option)).c_str());
    }
  }
  if (options.qemu_port == 0 || options.listen_port == 0 || options.tap.empty())
    usage("--qemu-port, --listen-port and --tap are required");
  return options;
}

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);

  struct sigaction action{};
  action.sa_handler = [](int) { stop_requested = 1; };
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  action.sa_handler = [](int) { partition_requested = 1; };
  sigaction(SIGUSR1, &action, nullptr);

  const int udp = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const sockaddr_in listen_address = loopback(options.listen_port);
  if (udp < 0 || bind(udp, reinterpret_cast<const sockaddr*>(&listen_address), sizeof listen_address) != 0) {
    std::fprintf(stderr, "fault-relay: cannot listen on 127.0.0.1:%u/udp: %s\n", options.listen_port,
                 std::strerror(errno));
    return 1;
  }
  const sockaddr_in qemu_address = loopback(options.qemu_port);
  paf_net_info info{};
  const int tap = paf_posix_tap_open(options.tap.c_str(), &info);
  if (tap < 0) {
    std::fprintf(stderr, "fault-relay: cannot open TAP interface %s: %s\n", options.tap.c_str(),
                 std::strerror(errno));
    return 1;
  }

  std::mt19937_64 random(options.seed);
  Direction to_host("guest->host", options, random), to_guest("host->guest", options, random);
  Clock::time_point cut_until{};
  std::fprintf(stderr, "fault-relay: relaying 127.0.0.1:%u/udp <-> %s\n", options.listen_port,
               options.tap.c_str());

  std::vector<std::uint8_t> buffer(65536);
  while (!stop_requested) {
    Clock::time_point now = Clock::now();
    if (partition_requested) {
      partition_requested = 0;
      cut_until = now + std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(options.partition_seconds));
      std::fprintf(stderr, "fault-relay: link cut for %.1f s\n", options.partition_seconds);
    }
    const Clock::time_point due = std::min(to_host.next_due(), to_guest.next_due());
    int timeout_ms = 100;  // signals are also looked at this often
    if (due != Clock::time_point::max())
      timeout_ms = static_cast<int>(std::clamp<long long>(
          std::chrono::duration_cast<milliseconds>(due - now).count() + 1, 0, 100));
    pollfd fds[2] = {{udp, POLLIN, 0}, {tap, POLLIN, 0}};
    if (poll(fds, 2, timeout_ms) < 0 && errno != EINTR) {
      std::perror("fault-relay: poll");
      return 1;
    }
    now = Clock::now();
    const bool cut = now < cut_until;
    // At most 64 frames per device per turn, so that neither side starves.
    for (int i = 0; i < 64 && (fds[0].revents & POLLIN); ++i) {
      const ssize_t n = recv(udp, buffer.data(), buffer.size(), 0);
      if (n <= 0) break;
      to_host.take({buffer.begin(), buffer.begin() + n}, now, cut);
    }
    for (int i = 0; i < 64 && (fds[1].revents & POLLIN); ++i) {
      const ssize_t n = read(tap, buffer.data(), buffer.size());
      if (n <= 0) break;
      to_guest.take({buffer.begin(), buffer.begin() + n}, now, cut);
    }
    // A frame that cannot be written now (a full queue) is lost, as on a wire.
    to_host.release(now, cut, [&](const std::vector<std::uint8_t>& frame) {
      (void)!write(tap, frame.data(), frame.size());
    });
    to_guest.release(now, cut, [&](const std::vector<std::uint8_t>& frame) {
      (void)!sendto(udp, frame.data(), frame.size(), 0,
                    reinterpret_cast<const sockaddr*>(&qemu_address), sizeof qemu_address);
    });
  }

  const std::string report = to_host.describe() + to_guest.describe();
  std::fputs(report.c_str(), stderr);
  if (!options.stats_file.empty()) {
    if (FILE* file = std::fopen(options.stats_file.c_str(), "w")) {
      std::fputs(report.c_str(), file);
      std::fclose(file);
    }
  }
  close(tap);
  close(udp);
  return 0;
}
