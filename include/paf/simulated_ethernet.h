// An in-memory Ethernet for simulations: a SimulatedEthernet joins NetDevices (so Stacks)
// in one process, as a switch would, and can lose, reorder, duplicate and
// delay frames. Its faults come from a seeded generator, so a run repeats
// exactly. Frames travel on the loop (posted, or on timers when delayed).
#ifndef PAF_SIMULATED_ETHERNET_H
#define PAF_SIMULATED_ETHERNET_H

#include <cstddef>
#include <cstdint>
#include <memory>

#include "paf/loop.h"
#include "paf/net.h"

namespace paf {

struct SimulatedEthernetOptions {
  double loss = 0;       // chance that a frame is dropped
  double reorder = 0;    // chance that a frame is held back by reorder_delay_ns (later ones pass it)
  double duplicate = 0;  // chance that a frame arrives twice
  std::uint64_t delay_ns = 0;  // every frame's latency
  std::uint64_t reorder_delay_ns = milliseconds(2);
  std::uint64_t seed = 1;
};

struct SimulatedEthernetStats {
  std::uint64_t sent = 0;       // frames devices sent
  std::uint64_t delivered = 0;  // frames handed to a receiving device
  std::uint64_t lost = 0;
  std::uint64_t reordered = 0;
  std::uint64_t duplicated = 0;
};

class SimulatedEthernetDevice;

class SimulatedEthernet {
 public:
  explicit SimulatedEthernet(Loop& loop, SimulatedEthernetOptions options = {});
  SimulatedEthernet(const SimulatedEthernet&) = delete;
  SimulatedEthernet& operator=(const SimulatedEthernet&) = delete;
  ~SimulatedEthernet();  // frames in flight are dropped

  // Plugs in a new device. A frame goes to the device whose MAC it names, or
  // (broadcast, multicast, unknown MAC) to every other device. The ethernet owns
  // its devices: each lives as long as it.
  SimulatedEthernetDevice& plug(MacAddress mac, std::size_t mtu = 1500);

  // Changes the faults from now on (and restarts the generator at options.seed).
  void set_options(SimulatedEthernetOptions options);
  const SimulatedEthernetStats& stats() const;

  struct State;  // shared with the frames in flight; in src/net/simulated_ethernet.cpp

 private:
  std::shared_ptr<State> state_;
};

class SimulatedEthernetDevice final : public NetDevice {
 public:
  SimulatedEthernetDevice(SimulatedEthernet::State& ethernet, std::size_t port, MacAddress mac,
                          std::size_t mtu)
      : ethernet_(ethernet), port_(port), mac_(mac), mtu_(mtu) {}

  MacAddress mac() const override { return mac_; }
  std::size_t mtu() const override { return mtu_; }
  Result<void> send(std::span<const Bytes> frame) override;
  void on_receive(Function<void(Bytes frame)> on_frame) override { receiver_ = std::move(on_frame); }

  // Hands `frame` to the receiver, if there is one (the ethernet calls it).
  void receive(Bytes frame) {
    if (receiver_) receiver_(frame);
  }

 private:
  SimulatedEthernet::State& ethernet_;
  std::size_t port_;
  MacAddress mac_;
  std::size_t mtu_;
  Function<void(Bytes)> receiver_;
};

}  // namespace paf

#endif
