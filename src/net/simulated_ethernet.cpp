#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "paf/simulated_ethernet.h"

namespace paf {
namespace {

constexpr std::size_t kEthernetHeader = 14;

// splitmix64: small, fast, and the same sequence everywhere for one seed.
class Generator {
 public:
  explicit Generator(std::uint64_t seed) : state_(seed) {}
  // True with probability `p`.
  bool chance(double p) {
    if (p <= 0) return false;
    return static_cast<double>(next() >> 11) * 0x1.0p-53 < p;
  }

 private:
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
  }
  std::uint64_t state_;
};

bool is_group_address(Bytes frame) { return (frame[0] & 1) != 0; }  // broadcast or multicast

}  // namespace

struct SimulatedEthernet::State : std::enable_shared_from_this<SimulatedEthernet::State> {
  State(Loop& ethernet_loop, SimulatedEthernetOptions chosen)
      : loop(ethernet_loop), options(chosen), generator(chosen.seed) {}

  // Sends `frame` from `from` to the device it names, or floods it.
  void carry(std::size_t from, std::vector<std::uint8_t> frame) {
    ++stats.sent;
    std::size_t target = port_for(Bytes(frame));
    for (std::size_t port = 0; port < devices.size(); ++port) {
      if (port == from || (target != devices.size() && port != target)) continue;
      impair(port, frame);
    }
  }

  std::size_t port_for(Bytes frame) const {
    if (is_group_address(frame)) return devices.size();
    for (std::size_t port = 0; port < devices.size(); ++port)
      if (std::equal(frame.begin(), frame.begin() + 6, devices[port]->mac().begin())) return port;
    return devices.size();
  }

  // Applies the faults to one frame on its way to `port`.
  void impair(std::size_t port, const std::vector<std::uint8_t>& frame) {
    if (generator.chance(options.loss)) {
      ++stats.lost;
      return;
    }
    std::uint64_t delay = options.delay_ns;
    if (generator.chance(options.reorder)) {
      ++stats.reordered;
      delay += options.reorder_delay_ns;
    }
    int copies = 1;
    if (generator.chance(options.duplicate)) {
      ++stats.duplicated;
      copies = 2;
    }
    for (int i = 0; i < copies; ++i) schedule(port, frame, delay);
  }

  void schedule(std::size_t port, std::vector<std::uint8_t> frame, std::uint64_t delay) {
    auto delivery = [state = weak_from_this(), port, frame = std::move(frame)] {
      if (auto alive = state.lock()) alive->deliver(port, frame);
    };
    if (delay == 0)
      loop.post(std::move(delivery));
    else
      loop.add_timer_after(delay, std::move(delivery));
  }

  void deliver(std::size_t port, const std::vector<std::uint8_t>& frame) {
    ++stats.delivered;
    devices[port]->receive(frame);
  }

  Loop& loop;
  SimulatedEthernetOptions options;
  Generator generator;
  SimulatedEthernetStats stats;
  std::vector<std::unique_ptr<SimulatedEthernetDevice>> devices;
};

SimulatedEthernet::SimulatedEthernet(Loop& loop, SimulatedEthernetOptions options)
    : state_(std::make_shared<State>(loop, options)) {}

SimulatedEthernet::~SimulatedEthernet() = default;

SimulatedEthernetDevice& SimulatedEthernet::plug(MacAddress mac, std::size_t mtu) {
  auto& devices = state_->devices;
  devices.push_back(std::make_unique<SimulatedEthernetDevice>(*state_, devices.size(), mac, mtu));
  return *devices.back();
}

void SimulatedEthernet::set_options(SimulatedEthernetOptions options) {
  state_->options = options;
  state_->generator = Generator(options.seed);
}

const SimulatedEthernetStats& SimulatedEthernet::stats() const { return state_->stats; }

Result<void> SimulatedEthernetDevice::send(std::span<const Bytes> frame) {
  std::vector<std::uint8_t> whole;
  for (Bytes piece : frame) whole.insert(whole.end(), piece.begin(), piece.end());
  if (whole.size() < kEthernetHeader || whole.size() > mtu_ + kEthernetHeader)
    return fail(Errc::invalid_argument, "simulated ethernet: frame size out of range");
  ethernet_.carry(port_, std::move(whole));
  return {};
}

}  // namespace paf
