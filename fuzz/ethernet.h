// What the network target does to the fuzzer's Ethernet frames before lwIP
// sees them, so that mutations reach past the checks a LAN peer passes
// anyway: checksums made right (IPv4 header, TCP, UDP, ICMP, ICMPv6) and
// numbers only a peer that saw the stack's frames knows (the TCP initial
// sequence number, DHCP and DNS transaction ids) filled in, as offsets from
// those learnt from the stack's last frames. Also writes such frames (the
// seed corpus).
#ifndef PAF_FUZZ_ETHERNET_H
#define PAF_FUZZ_ETHERNET_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace paf::fuzz {

inline std::uint32_t get16(const std::uint8_t* p) { return (p[0] << 8) | p[1]; }
inline std::uint32_t get32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}
inline void put16(std::uint8_t* p, std::uint32_t v) { p[0] = v >> 8, p[1] = v & 0xff; }
inline void put32(std::uint8_t* p, std::uint32_t v) { put16(p, v >> 16), put16(p + 2, v & 0xffff); }

// RFC 1071's sum, not yet folded or complemented.
inline std::uint32_t sum16(const std::uint8_t* p, std::size_t n, std::uint32_t sum = 0) {
  for (; n > 1; p += 2, n -= 2) sum += get16(p);
  if (n == 1) sum += p[0] << 8;
  return sum;
}
inline std::uint16_t fold(std::uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

enum : std::uint8_t { kIcmp = 1, kTcp = 6, kUdp = 17, kIcmpV6 = 58 };

// What the stack told its peer lately.
struct Learnt {
  std::uint32_t tcp_isn = 0;   // the sequence number of its last SYN
  std::uint32_t dhcp_xid = 0;  // of its last DHCP request
  std::uint16_t dns_id = 0;    // of its last DNS query
  std::uint16_t dns_port = 0;  // and the port it came from
};

// Where a frame's transport header is: IPv4 or IPv6 without extension headers.
struct Transport {
  std::uint8_t protocol = 0;
  std::uint8_t* header = nullptr;
  std::size_t length = 0;    // transport header and payload
  std::uint32_t pseudo = 0;  // the pseudo-header's sum
  bool ipv4 = false;
};

inline Transport find_transport(std::uint8_t* frame, std::size_t size) {
  if (size < 14) return {};
  std::uint8_t* ip = frame + 14;
  std::size_t left = size - 14;
  const std::uint32_t ethertype = get16(frame + 12);
  if (ethertype == 0x0800 && left >= 20) {
    std::size_t header = (ip[0] & 0x0f) * std::size_t{4};
    std::size_t total = get16(ip + 2);
    if (header < 20 || header > left || total < header || total > left) return {};
    std::size_t length = total - header;
    std::uint32_t pseudo = sum16(ip + 12, 8) + ip[9] + static_cast<std::uint32_t>(length);
    return {ip[9], ip + header, length, pseudo, true};
  }
  if (ethertype == 0x86DD && left >= 40) {
    std::size_t length = get16(ip + 4);
    if (length > left - 40) return {};
    std::uint32_t pseudo = sum16(ip + 8, 32) + ip[6] + static_cast<std::uint32_t>(length);
    return {ip[6], ip + 40, length, pseudo, false};
  }
  return {};
}

// The stack sent `frame`: learn its numbers.
inline void learn(Learnt& learnt, const std::uint8_t* frame, std::size_t size) {
  Transport t = find_transport(const_cast<std::uint8_t*>(frame), size);
  if (t.protocol == kTcp && t.length >= 20 && (t.header[13] & 0x02) != 0)
    learnt.tcp_isn = get32(t.header + 4);
  if (t.protocol == kUdp && t.length >= 8 + 8) {
    if (get16(t.header + 2) == 67) learnt.dhcp_xid = get32(t.header + 8 + 4);
    if (get16(t.header + 2) == 53) {
      learnt.dns_port = static_cast<std::uint16_t>(get16(t.header));
      learnt.dns_id = static_cast<std::uint16_t>(get16(t.header + 8));
    }
  }
}

// Makes the peer's `frame` one the stack does not drop at once.
inline void fix_up(const Learnt& learnt, std::uint8_t* frame, std::size_t size) {
  if (size >= 14 + 20 && get16(frame + 12) == 0x0800) {
    std::uint8_t* ip = frame + 14;
    std::size_t header = (ip[0] & 0x0f) * std::size_t{4};
    if (header >= 20 && header <= size - 14) {
      put16(ip + 10, 0);
      put16(ip + 10, fold(sum16(ip, header)));
    }
  }
  Transport t = find_transport(frame, size);
  std::size_t checksum_at = 0;
  if (t.protocol == kTcp && t.length >= 20) {
    if ((t.header[13] & 0x10) != 0) put32(t.header + 8, get32(t.header + 8) + learnt.tcp_isn);
    checksum_at = 16;
  } else if (t.protocol == kUdp && t.length >= 8) {
    if (get16(t.header) == 67 && t.length >= 8 + 8)
      put32(t.header + 12, get32(t.header + 12) + learnt.dhcp_xid);
    if (get16(t.header) == 53 && t.length >= 8 + 2) {
      put16(t.header + 2, (get16(t.header + 2) + learnt.dns_port) & 0xffff);
      put16(t.header + 8, (get16(t.header + 8) + learnt.dns_id) & 0xffff);
    }
    checksum_at = 6;
  } else if ((t.protocol == kIcmp && t.ipv4) || (t.protocol == kIcmpV6 && !t.ipv4)) {
    if (t.length < 4) return;
    checksum_at = 2;
  } else {
    return;
  }
  put16(t.header + checksum_at, 0);
  std::uint16_t checksum = fold(sum16(t.header, t.length, t.protocol == kIcmp ? 0 : t.pseudo));
  put16(t.header + checksum_at, checksum);
}

// --- frames for the seed corpus (checksums left to fix_up) -------------------

inline void append16(std::string& out, std::uint32_t v) {
  out.push_back(static_cast<char>(v >> 8)), out.push_back(static_cast<char>(v & 0xff));
}
inline void append32(std::string& out, std::uint32_t v) {
  append16(out, v >> 16), append16(out, v & 0xffff);
}

inline std::string ethernet(std::string_view to, std::string_view from, std::uint16_t type,
                            std::string_view payload) {
  std::string out(to);
  out += from;
  append16(out, type);
  return out += payload;
}

inline std::string ipv4(std::string_view from, std::string_view to, std::uint8_t protocol,
                        std::string_view payload) {
  std::string out("\x45\x00", 2);
  append16(out, static_cast<std::uint32_t>(20 + payload.size()));
  out += std::string("\x00\x01\x40\x00\x40", 5);
  out.push_back(static_cast<char>(protocol));
  out += std::string(2, '\0');
  out += from;
  out += to;
  return out += payload;
}

inline std::string ipv6(std::string_view from, std::string_view to, std::uint8_t next,
                        std::string_view payload, std::uint8_t hop_limit = 64) {
  std::string out("\x60\x00\x00\x00", 4);
  append16(out, static_cast<std::uint32_t>(payload.size()));
  out.push_back(static_cast<char>(next));
  out.push_back(static_cast<char>(hop_limit));
  out += from;
  out += to;
  return out += payload;
}

// `ack` is relative to the stack's initial sequence number (fix_up adds it).
inline std::string tcp(std::uint16_t from_port, std::uint16_t to_port, std::uint32_t seq,
                       std::uint32_t ack, std::uint8_t flags, std::string_view payload) {
  std::string out;
  append16(out, from_port);
  append16(out, to_port);
  append32(out, seq);
  append32(out, ack);
  out.push_back(0x50);
  out.push_back(static_cast<char>(flags));
  append16(out, 65535);
  out += std::string(4, '\0');
  return out += payload;
}

inline std::string udp(std::uint16_t from_port, std::uint16_t to_port, std::string_view payload) {
  std::string out;
  append16(out, from_port);
  append16(out, to_port);
  append16(out, static_cast<std::uint32_t>(8 + payload.size()));
  out += std::string(2, '\0');
  return out += payload;
}

}  // namespace paf::fuzz

#endif
