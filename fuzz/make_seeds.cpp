// Writes the seed corpora (fuzz/corpus/TARGET/NAME) in the inputs' encoding
// (steps.h): known-good exchanges, each side's bytes recorded from paf's own
// engines talking to each other, and hand-made frames where the point is a
// peer that breaks the rules (late frames on closed streams).
// Also the inputs of the regression tests (tests/fuzz): each a crash the
// fuzzers found, rebuilt here so that it says what it is.
//   make_seeds OUTPUT_DIR REGRESSION_DIR
//     (make fuzz-seeds: fuzz/corpus and fuzz/regressions)
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "client.h"
#include "driver.h"
#include "engine.h"
#include "ethernet.h"
#include "frames.h"
#include "paf/acme.h"
#include "paf/alpn.h"
#include "paf/h1.h"
#include "paf/h2.h"
#include "paf/loop.h"
#include "paf/memory_flow.h"
#include "paf/tls.h"
#include "steps.h"

namespace {

using namespace paf;
using namespace paf::testing;
using fuzz::encode_action;
using fuzz::encode_advance;
using fuzz::encode_end_of_input;
using fuzz::encode_feed;

std::filesystem::path output_dir, regression_dir;

void write_input(const std::filesystem::path& root, std::string_view target,
                 std::string_view name, std::string_view input) {
  std::filesystem::path dir = root / target;
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << input;
}
void write_seed(std::string_view target, std::string_view name, std::string_view input) {
  write_input(output_dir, target, name, input);
}
// A regression test's input (tests/fuzz: fuzz.TARGET.NAME).
void write_regression(std::string_view target, std::string_view name, std::string_view input) {
  write_input(regression_dir, target, name, input);
}

// What a client engine and a server engine say to each other when the client
// sends the fuzz targets' first requests (fuzz::Requests::send_first).
struct Recorded {
  std::string client_wrote, server_wrote;
};

// Runs the two engines back to back; both sides' bytes are kept as they pass.
template <typename Client>
Recorded record(Client& client, Connection& server) {
  Driver client_driver(&client), server_driver(&server);
  fuzz::Requests requests(client);
  requests.send_first();
  Recorded exchange;
  for (int turn = 0; turn < 1000; ++turn) {
    client_driver.pump();
    server_driver.pump();
    std::string from_client = client_driver.take_output(),
                from_server = server_driver.take_output();
    if (from_client.empty() && from_server.empty()) break;
    exchange.client_wrote += from_client;
    exchange.server_wrote += from_server;
    server_driver.feed(from_client);
    client_driver.feed(from_server);
  }
  return exchange;
}

// The engines run without clocks: no timeout can fire while they talk.
Recorded record_h1() {
  std::string log;
  auto client = H1ClientConnection::create({}, {});
  auto server = H1ServerConnection::create({}, fuzz::server_handler(&log), nullptr, {});
  return record(*client, *server);
}

Recorded record_h2() {
  std::string log;
  H2Config config;
  config.scheme = "http";
  auto client = H2ClientConnection::create(config, {});
  auto server = H2ServerConnection::create({}, fuzz::server_handler(&log), nullptr, {});
  return record(*client, *server);
}

void h1_seeds(const Recorded& exchange) {
  const std::string get = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  const std::string conversation =
      "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
      "POST /length HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
      "POST /chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nX-Sum: 19\r\nX-Other: y\r\n\r\n"
      "\r\nGET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
  write_seed("h1_server", "get", encode_feed(get));
  write_seed("h1_server", "conversation_in_7_byte_reads", encode_feed(conversation, 7));
  write_seed("h1_server", "conversation_then_end",
             encode_feed(conversation) + encode_end_of_input());
  write_seed("h1_server", "client_engine_requests", encode_feed(exchange.client_wrote, 13));
  write_seed("h1_server", "early_answer_then_drain",
             encode_feed("POST /early HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n01234") +
                 encode_feed("56789" + get));
  write_seed(
      "h1_server", "expect_continue",
      encode_feed(
          "PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n") +
          encode_feed("abc"));
  write_seed("h1_server", "http10_keep_alive",
             encode_feed("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n"));
  write_seed(
      "h1_server", "upgrade",
      encode_feed(
          "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nbytes"));
  write_seed(
      "h1_server", "slow_head_times_out",
      encode_feed("GET / HTTP/1.1\r\nHo") + encode_advance(5) + encode_feed("st: a\r\n\r\n"));
  write_seed("h1_server", "pipelined_then_shutdown",
             encode_feed(get + get) + encode_action(0) + encode_feed(get));
  write_seed("h1_server", "peer_not_reading",
             "\xF9" + encode_feed(get + get + get) + "\xFA\x03" + "\xF9" + encode_advance(3));

  write_seed("h1_client", "engine_responses", encode_feed(exchange.server_wrote));
  write_seed("h1_client", "engine_responses_in_5_byte_reads",
             encode_feed(exchange.server_wrote, 5));
  const std::string chunked_with_trailers =
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Sum: 3\r\n\r\n"
      "HTTP/1.1 204 No Content\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n";
  write_seed("h1_client", "interim_chunked_trailers_head",
             encode_feed(chunked_with_trailers) + encode_action(0) +
                 encode_feed("HTTP/1.0 200 OK\r\n\r\nuntil the end") + encode_end_of_input());
  write_seed("h1_client", "slow_response_times_out",
             encode_feed("HTTP/1.1 200 OK\r\n") + encode_advance(6));
  write_seed("h1_client", "cancel_then_respond",
             encode_action(2) + encode_feed(exchange.server_wrote));
}

std::string frames(std::initializer_list<std::string> parts) {
  std::string joined;
  for (const std::string& part : parts) joined += part;
  return joined;
}

void h2_seeds(const Recorded& exchange) {
  write_seed("h2_server", "client_engine_requests", encode_feed(exchange.client_wrote));
  write_seed("h2_server", "client_engine_requests_in_9_byte_reads",
             encode_feed(exchange.client_wrote, 9));

  HpackEncoder hpack;
  auto headers = [&](std::uint32_t stream, const Fields& fields, bool end_stream) {
    return frame(kHeaders, kEndHeaders | (end_stream ? kEndStream : 0), stream,
                 hpack.encode(fields));
  };
  const std::string start = client_preface({{4, 65535}}) + settings_ack();
  // RFC 9113 §5.1: frames on streams closed by END_STREAM both ways, by
  // the client's RST_STREAM, and never opened.
  write_seed(
      "h2_server", "late_frames_on_closed_streams",
      encode_feed(frames({start, headers(1, request_fields("GET", "/"), true)})) +
          encode_feed(frames({data_frame(1, "late"), window_update_frame(1, 10),
                              headers(1, {{"x-trailer", "late"}}, true), rst_stream_frame(1, 8)})) +
          encode_feed(
              frames({headers(3, request_fields("POST", "/"), false), rst_stream_frame(3, 8),
                      data_frame(3, "late"), headers(3, {{"x-token", "t"}}, true),
                      data_frame(7, "never opened", true)})));
  write_seed("h2_server", "post_body_trailers_ping_goaway",
             encode_feed(frames({start, headers(1, request_fields("POST", "/echo"), false),
                                 data_frame(1, "hello "), data_frame(1, "world"),
                                 headers(1, {{"x-sum", "11"}}, true), ping_frame(),
                                 frame(kPriority, 0, 3, std::string("\x00\x00\x00\x01\x10", 5)),
                                 frame(kGoaway, 0, 0, std::string(8, '\0'))}),
                         17));
  write_seed("h2_server", "continuation_and_early_answer", [&] {
    std::string block =
        hpack.encode(request_fields("POST", "/early", {{"x-a", std::string(40, 'a')}}));
    return encode_feed(frames({start, frame(kHeaders, 0, 1, block.substr(0, 10)),
                               frame(kContinuation, 0, 1, block.substr(10, 10)),
                               frame(kContinuation, kEndHeaders, 1, block.substr(20)),
                               data_frame(1, std::string(100, 'x')), data_frame(1, "", true)}));
  }());
  write_seed("h2_server", "requests_then_shutdown_and_idle",
             encode_feed(frames({start, headers(1, request_fields("GET", "/"), true)})) +
                 encode_action(0) + encode_feed(headers(3, request_fields("GET", "/"), true)) +
                 encode_advance(7));
  write_seed("h2_server", "window_changes_while_not_reading",
             "\xF9" +
                 encode_feed(frames({start, headers(1, request_fields("POST", "/echo"), false)})) +
                 encode_action(1) + encode_feed(data_frame(1, std::string(200, 'y'), true)) +
                 encode_action(2) + "\xF9" +
                 encode_feed(window_update_frame(0, 100000) + window_update_frame(1, 100000)));

  write_seed("h2_client", "engine_responses", encode_feed(exchange.server_wrote));
  write_seed("h2_client", "engine_responses_in_11_byte_reads",
             encode_feed(exchange.server_wrote, 11));
  HpackEncoder server_hpack;
  auto response = [&](std::uint32_t stream, const Fields& fields, bool end_stream) {
    return frame(kHeaders, kEndHeaders | (end_stream ? kEndStream : 0), stream,
                 server_hpack.encode(fields));
  };
  write_seed("h2_client", "push_reset_goaway",
             encode_feed(frames(
                 {settings_frame({{3, 10}}), settings_ack(),
                  response(1, {{":status", "103"}, {"link", "</a>"}}, false),
                  response(1, {{":status", "200"}}, false), data_frame(1, "body"),
                  response(1, {{"x-trailer", "t"}}, true),
                  frame(kPushPromise, kEndHeaders, 1,
                        std::string("\x00\x00\x00\x02", 4) +
                            server_hpack.encode(request_fields("GET", "/pushed"))),
                  rst_stream_frame(3, 2), ping_frame(),
                  frame(kGoaway, 0, 0, std::string("\x00\x00\x00\x05\x00\x00\x00\x00", 8))})));
}

// Frames a LAN peer (10.0.0.1, 02:00:00:00:00:01) sends the stack
// (10.0.0.2, 02:00:00:00:00:02); checksums, and the numbers learnt from the
// stack, are the target's to fill in (ethernet.h).
void stack_seeds() {
  using namespace paf::fuzz;
  const std::string stack_mac("\x02\x00\x00\x00\x00\x02", 6),
      peer_mac("\x02\x00\x00\x00\x00\x01", 6);
  const std::string broadcast(6, '\xff');
  const std::string stack_ip("\x0a\x00\x00\x02", 4), peer_ip("\x0a\x00\x00\x01", 4);
  const std::string static_mode(1, '\0'), dhcp_mode(1, '\1');
  auto one = [](const std::string& frame) { return encode_feed(frame, 0xFFFF); };
  const std::string arp_request =
      ethernet(broadcast, peer_mac, 0x0806,
               std::string("\x00\x01\x08\x00\x06\x04\x00\x01", 8) + peer_mac + peer_ip +
                   std::string(6, '\0') + stack_ip);
  auto to_stack = [&](std::uint8_t protocol, const std::string& payload) {
    return ethernet(stack_mac, peer_mac, 0x0800, ipv4(peer_ip, stack_ip, protocol, payload));
  };
  write_seed("stack_input", "arp_request", static_mode + one(arp_request));
  write_seed(
      "stack_input", "ping",
      static_mode + one(arp_request) +
          one(to_stack(kIcmp, std::string("\x08\x00\x00\x00\x00\x01\x00\x01", 8) + "abcdefgh")));
  const std::string get = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  write_seed(
      "stack_input", "tcp_http_get",
      static_mode + one(arp_request) + one(to_stack(kTcp, tcp(40000, 80, 1000, 0, 0x02, ""))) +
          one(to_stack(kTcp, tcp(40000, 80, 1001, 1, 0x10, ""))) +
          one(to_stack(kTcp, tcp(40000, 80, 1001, 1, 0x18, get))) + encode_advance(2) +
          one(to_stack(
              kTcp, tcp(40000, 80, 1001 + static_cast<std::uint32_t>(get.size()), 1, 0x11, ""))) +
          encode_advance(4));
  write_seed("stack_input", "udp_to_a_closed_port",
             static_mode + one(arp_request) + one(to_stack(kUdp, udp(5000, 9, "x"))));
  write_seed(
      "stack_input", "dns_reply",
      static_mode + one(arp_request) + encode_action(1) +
          one(to_stack(kUdp,
                       udp(53, 0,
                           std::string("\x00\x00\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00", 12) +
                               std::string("\x07"
                                           "example"
                                           "\x04"
                                           "test\x00\x00\x01\x00\x01",
                                           18) +
                               std::string("\xc0\x0c\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04", 12) +
                               peer_ip))));
  // IPv6: the stack's link-local address (EUI-64 of its MAC), once its
  // duplicate detection is over; a router's advertisement for SLAAC.
  const std::string stack_ll("\xfe\x80\0\0\0\0\0\0\0\0\0\xff\xfe\0\0\x02", 16);
  const std::string peer_ll("\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
  const std::string all_nodes("\xff\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
  const std::string router_advertisement = ethernet(
      std::string("\x33\x33\x00\x00\x00\x01", 6), peer_mac, 0x86DD,
      ipv6(peer_ll, all_nodes, kIcmpV6,
           std::string("\x86\x00\x00\x00\x40\x00\x07\x08\0\0\0\0\0\0\0\0", 16) +
               std::string("\x01\x01", 2) + peer_mac +
               std::string("\x03\x04\x40\xc0\x00\x00\x70\x80\x00\x00\x38\x40\0\0\0\0", 16) +
               std::string("\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\0", 16),
           255));
  write_seed("stack_input", "ipv6_ping_and_router_advertisement",
             static_mode + encode_advance(4) +
                 one(ethernet(stack_mac, peer_mac, 0x86DD,
                              ipv6(peer_ll, stack_ll, kIcmpV6,
                                   std::string("\x80\x00\x00\x00\x00\x01\x00\x01", 8) + "ping"))) +
                 one(router_advertisement) + encode_advance(5));
  auto dhcp = [&](char type) {
    std::string bootp("\x02\x01\x06\x00", 4);
    bootp += std::string(4, '\0');  // xid: the stack's (fix_up)
    bootp += std::string(8, '\0');
    bootp +=
        stack_ip + peer_ip + std::string(4, '\0') + stack_mac + std::string(10 + 64 + 128, '\0');
    bootp += std::string("\x63\x82\x53\x63\x35\x01", 6) + type;
    bootp += std::string("\x36\x04", 2) + peer_ip + std::string("\x33\x04\x00\x00\x0e\x10", 6);
    bootp += std::string("\x01\x04\xff\xff\xff\x00\x03\x04", 8) + peer_ip +
             std::string("\x06\x04", 2) + peer_ip + "\xff";
    return ethernet(broadcast, peer_mac, 0x0800,
                    ipv4(peer_ip, std::string(4, '\xff'), kUdp, udp(67, 68, bootp)));
  };
  write_seed("stack_input", "dhcp_offer_and_ack",
             dhcp_mode + encode_advance(3) + one(dhcp('\x02')) + encode_advance(1) +
                 one(dhcp('\x05')) + encode_advance(3));

  // The fuzzer's input, minimized: DHCP, IPv6 off (mode 0x67), then one frame
  // to all nodes (ff02::1) from a link-local peer, a fragment header whose
  // next header lwIP does not know: ip6_input answers with an ICMPv6 error,
  // for which the stack has no IPv6 source address. lwIP's
  // icmp6_send_response() then takes ip_2_ip6(NULL) before its NULL test
  // (fuzz/ubsan-ignorelist.txt says why that is no fault): nothing is sent.
  write_regression("stack_input", "icmp6_error_without_a_source_address",
                   std::string("\x67\x6d", 2) +
                       std::string("\x33\x32\xfd\x00\x00\x01\x02\x00\x00\x00\x00\x01\x86\xdd"  // Ethernet
                                   "\x60\x00\x00\x00\x00\x36\x2c\xff"  // IPv6: 54 bytes, a fragment
                                   "\xfe\x80\x00\x00\x00\x00\x00\x00\x00\x00\x51\x30\x00\x00\x7c\x07"
                                   "\xff\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"
                                   "\x86\xf9\xf9\xf9\xf9\xf9\x6d\x00"  // fragment header
                                   "\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff\xf9\xf9\xf9\xf9\xf9"
                                   "\x01\x02\x00\x00\x0a\x00\x00\xf5\xf5\x00\x00\xff\xfe\x00\x00\x00"
                                   "\xff\xff\xff\xfe\xff\xff\x32\x00\x00\xff\xfe\x00\x00\x00",
                                   108));
}

// What paf's TLS client sends first: its ClientHello (SNI localhost, ALPN
// as given), over a MemoryFlow.
std::string client_hello(std::initializer_list<std::string_view> alpn) {
  SimulatedTimeBackend backend;
  Loop loop(backend);
  MemoryFlowPair pair = MemoryFlow::pair(loop);
  auto config = TlsConfig::client().insecure_for_tests().alpn(alpn).build();
  if (!config) return {};
  auto client = TlsFlow::client(loop, *config, std::move(pair.client), "localhost");
  if (!client) return {};
  (void)(*client)->handshake();
  (void)loop.run_until(loop.now_ns() + 1);
  std::string hello;
  std::uint8_t buffer[4096];
  for (auto n = pair.server->read(buffer); n && *n > 0; n = pair.server->read(buffer))
    hello.append(reinterpret_cast<const char*>(buffer), *n);
  return hello;
}

void tls_seeds() {
  const std::string h2 = client_hello({"h2", "http/1.1"}), http1 = client_hello({"http/1.1"});
  write_seed("tls_server", "client_hello_h2", encode_feed(h2));
  write_seed("tls_server", "client_hello_in_5_byte_reads", encode_feed(h2, 5));
  write_seed("tls_server", "client_hello_http1_then_end",
             encode_feed(http1) + encode_end_of_input());
  write_seed("tls_server", "client_hello_then_silence", encode_feed(h2) + encode_advance(6));
}

void cmdline_seeds() {
  write_seed("cmdline", "static", "ip=10.0.2.15/24 gw=10.0.2.2 dns=10.0.2.3 dns=1.1.1.1 ipv6=off");
  write_seed("cmdline", "application_words",
             "--net:service0=tap0 requests=100 access-log=off ip=10.0.0.2");
  write_seed("cmdline", "bad_prefix", "ip=10.0.0.2/33");
}

// A configuration byte, then steps (fuzz/client_pool.cpp): 0 HTTP/1.1, 1 h2c,
// 2 HTTP/1.1 with redirects followed.
void client_pool_seeds(const Recorded& h1, const Recorded& h2) {
  const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  write_seed("client_pool", "h1_responses", "\x00" + encode_feed(h1.server_wrote, 7));
  write_seed("client_pool", "h1_keep_alive_then_stale",
             "\x00" + encode_feed(ok) + encode_action(0) + encode_feed(ok) + encode_action(0) +
                 encode_end_of_input() + encode_action(3) + encode_feed(ok));
  write_seed("client_pool", "h1_head_timeout", "\x00" + encode_action(0) + encode_advance(5));
  write_seed("client_pool", "h1_redirect_followed",
             "\x02" + encode_action(1) + encode_feed(ok) + encode_action(3) +
                 encode_feed("HTTP/1.1 302 Found\r\nLocation: /final\r\nContent-Length: 0\r\n\r\n") +
                 encode_feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal"));
  write_seed("client_pool", "h2c_responses", std::string(1, '\x01') + encode_feed(h2.server_wrote, 9));
  write_seed("client_pool", "h2c_requests_then_cancel",
             std::string(1, '\x01') + encode_action(0) + encode_action(1) + encode_action(2) +
                 encode_feed(h2.server_wrote));
}

// A URI, then (after a newline) a reference resolved against it (fuzz/uri.cpp).
void uri_seeds() {
  write_seed("uri", "plain", "http://example.com/");
  write_seed("uri", "port_query_fragment", "https://10.0.0.1:8443/x?y#f");
  write_seed("uri", "ipv6_escaped", "http://[::1]:8080/a%20b");
  write_seed("uri", "nul_in_path", "http://h.example/%00x");
  write_seed("uri", "resolve_dot_segments", "http://a.example/b/c/d;p?q\n../../g");
  write_seed("uri", "resolve_network_path", "https://h.example/x\n//other.example/p?q");
  write_seed("uri", "resolve_absolute", "http://h.example/p\nhttps://x.example:444/");
}

void preface_seeds(const Recorded& h1, const Recorded& h2) {
  write_seed("preface_dispatch", "http1_requests", encode_feed(h1.client_wrote, 3));
  write_seed("preface_dispatch", "h2c_requests", encode_feed(h2.client_wrote, 5));
  write_seed("preface_dispatch", "broken_preface", encode_feed("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n"));
  write_seed("preface_dispatch", "silent_then_slow",
             encode_advance(6) + encode_feed("PRI * HTTP/2.0\r\n") + encode_advance(5));
}


// A configuration byte (bit 0: h2, bit 1: TLS 1.2), then steps
// (fuzz/tls_post_handshake.cpp): feeds are application data; action 0 makes
// the next feed raw bytes on the wire, action 1 an encrypted record of the
// type its first byte says.
void tls_post_handshake_seeds(const Recorded& h1, const Recorded& h2) {
  const std::string http1(1, '\x00'), h2_alpn(1, '\x01'), tls12_http1(1, '\x02'),
      tls12_h2(1, '\x03');
  const std::string get = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  auto record = [](std::string_view type_and_body) {
    return encode_action(1) + encode_feed(type_and_body);
  };
  write_seed("tls_post_handshake", "h1_requests", http1 + encode_feed(h1.client_wrote, 23));
  write_seed("tls_post_handshake", "h2_requests", h2_alpn + encode_feed(h2.client_wrote));
  write_seed("tls_post_handshake", "tls12_h1_requests", tls12_http1 + encode_feed(h1.client_wrote));
  write_seed("tls_post_handshake", "tls12_h2_requests_then_close_notify",
             tls12_h2 + encode_feed(h2.client_wrote) + encode_action(2));
  // Alerts under the keys: a warning (TLS 1.2's no_renegotiation), a fatal one.
  write_seed("tls_post_handshake", "warning_alert_then_request",
             tls12_http1 + record(std::string("\x15\x01\x64", 3)) + encode_feed(get));
  write_seed("tls_post_handshake", "fatal_alert",
             http1 + encode_feed("GET / HTTP/1.1\r\n") + record(std::string("\x15\x02\x28", 3)));
  // Post-handshake handshake messages: TLS 1.3's KeyUpdate, a ClientHello
  // (TLS 1.2's renegotiation), a ticket the client has no business sending.
  write_seed("tls_post_handshake", "key_update",
             http1 + record(std::string("\x16\x18\x00\x00\x01\x01", 6)) + encode_feed(get));
  write_seed("tls_post_handshake", "tls12_renegotiating_client_hello",
             tls12_http1 + record(std::string("\x16\x01\x00\x00\x04\x03\x03\x00\x00", 9)) +
                 encode_feed(get));
  write_seed("tls_post_handshake", "client_new_session_ticket",
             h2_alpn + record(std::string("\x16\x04\x00\x00\x00", 5)));
  write_seed("tls_post_handshake", "change_cipher_spec_and_unknown_type",
             http1 + record(std::string("\x14\x01", 2)) + record(std::string("\x30xyz", 4)));
  write_seed("tls_post_handshake", "garbage_record_on_the_wire",
             http1 + encode_action(0) +
                 encode_feed(std::string("\x17\x03\x03\x00\x10", 5) + std::string(16, 'g')));
  write_seed("tls_post_handshake", "server_stops_mid_request_while_not_reading",
             h2_alpn + "\xF9" + encode_feed(h2.client_wrote) + encode_action(3) + "\xF9" +
                 encode_advance(5));
  write_seed("tls_post_handshake", "end_without_close_notify",
             http1 + encode_feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\nabc") +
                 encode_end_of_input() + encode_advance(6));
}

// Answers separated by NUL bytes, the N-th for the N-th request
// (fuzz/acme_json.cpp): "SSS", header letters (N nonce, L location, R and a
// digit: Retry-After), a space, the body.
std::string acme_script(std::initializer_list<std::string_view> answers) {
  std::string script;
  for (std::string_view answer : answers) {
    if (!script.empty()) script.push_back('\0');
    script.append(answer);
  }
  return script;
}

void acme_json_seeds() {
  const std::string_view directory =
      R"(200 {"newNonce":"http://ca.test/nonce","newAccount":"http://ca.test/account",)"
      R"("newOrder":"http://ca.test/order","meta":{"termsOfService":"http://ca.test/tos"}})";
  const std::string_view nonce = "200N ";
  const std::string_view account = R"(201NL {"status":"valid","contact":["mailto:me@example.com"]})";
  const std::string_view order =
      R"(201NL {"status":"pending","expires":"2030-01-01T00:00:00Z","identifiers":[)"
      R"({"type":"dns","value":"one.example.com"},{"type":"dns","value":"two.example.com"}],)"
      R"("authorizations":["http://ca.test/authz/1","http://ca.test/authz/2"],)"
      R"("finalize":"http://ca.test/finalize"})";
  const std::string_view pending =
      R"(200N {"status":"pending","identifier":{"type":"dns","value":"one.example.com"},)"
      R"("challenges":[{"type":"dns-01","url":"http://ca.test/dns","token":"t0"},)"
      R"({"type":"http-01","url":"http://ca.test/challenge/1","token":"token-1","status":"pending"}]})";
  const std::string_view challenge = R"(200N {"type":"http-01","status":"processing"})";
  const std::string_view still_pending = R"(200NR1 {"status":"pending"})";
  const std::string_view valid_one =
      R"(200N {"status":"valid","identifier":{"type":"dns","value":"one.example.com"}})";
  const std::string_view valid_two =
      R"(200N {"status":"valid","identifier":{"type":"dns","value":"two.example.com"}})";
  const std::string_view processing = R"(200NR1 {"status":"processing"})";
  const std::string_view issued = R"(200N {"status":"valid","certificate":"http://ca.test/cert"})";
  const std::string_view chain =
      "200N -----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
      "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n";
  write_seed("acme_json", "issued",
             acme_script({directory, nonce, account, order, pending, challenge, still_pending,
                          valid_one, valid_two, processing, issued, chain}));
  write_seed("acme_json", "bad_nonce_retried",
             acme_script({directory, nonce,
                          R"(400N {"type":"urn:ietf:params:acme:error:badNonce","detail":"stale"})",
                          account, order, valid_one, valid_two, issued, issued, chain}));
  write_seed("acme_json", "order_rejected",
             acme_script({directory, nonce, account,
                          R"(400N {"type":"urn:ietf:params:acme:error:rejectedIdentifier",)"
                          R"("detail":"not today","subproblems":[]})"}));
  write_seed("acme_json", "authorization_invalid",
             acme_script({directory, nonce, account, order, pending, challenge,
                          R"(200N {"status":"invalid","identifier":{"value":"one.example.com"},)"
                          R"("challenges":[{"type":"http-01","status":"invalid","error":)"
                          R"({"type":"urn:ietf:params:acme:error:connection","detail":"refused"}}]})"}));
  write_seed("acme_json", "order_invalid_at_finalize",
             acme_script({directory, nonce, account, order, valid_one, valid_two,
                          R"(200N {"status":"invalid","error":{"type":"urn:ietf:params:acme:)"
                          R"(error:badCSR","detail":"no"}})"}));
  write_seed("acme_json", "no_nonce_and_no_location",
             acme_script({directory, "200 ", nonce, "201N {}"}));
  write_seed("acme_json", "directory_not_json", acme_script({"200 <html>not ACME</html>"}));
  write_seed("acme_json", "certificate_not_pem",
             acme_script({directory, nonce, account, order, valid_one, valid_two, issued,
                          "200N {\"not\":\"pem\"}"}));

  auto key = jose::EcKey::generate();
  auto pem = key ? key->to_pem() : Result<Buffer>(Buffer());
  if (key && pem) {
    write_seed("acme_json", "jose_ec_key_pem", "J " + std::string(pem->view()));
    write_seed("acme_json", "jose_jwk", "J " + std::string(key->jwk().view()));
  }
  write_seed("acme_json", "jose_rsa_jwk", R"(J {"e":"AQAB","kty":"RSA","n":"0vx7agoebGcQSuu"})");
  write_seed("acme_json", "jose_base64url", "J eyJhbGciOiJFUzI1NiJ9");
}

// The fw_cfg device (fuzz/fw_cfg.cpp): flags (bit 0: no signature, bits 1-2:
// which name), a direct read's buffer in 16-byte units, the directory's
// length, the directory, the items' contents.
struct FwCfgFile {
  std::string_view name;
  std::uint32_t size;
  std::uint16_t selector;
};

std::string big_endian(std::uint64_t value, int bytes) {
  std::string out;
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>(value >> (8 * i)));
  return out;
}

std::string fw_cfg_directory(std::uint32_t count, std::initializer_list<FwCfgFile> files) {
  std::string directory = big_endian(count, 4);
  for (const FwCfgFile& file : files) {
    std::string name(file.name);
    name.resize(56, '\0');
    directory += big_endian(file.size, 4) + big_endian(file.selector, 2) + std::string(2, '\0') + name;
  }
  return directory;
}

std::string fw_cfg_input(std::uint8_t flags, std::uint8_t direct_units,
                         const std::string& directory, std::string_view contents) {
  return std::string(1, static_cast<char>(flags)) + std::string(1, static_cast<char>(direct_units)) +
         big_endian(directory.size(), 2) + directory + std::string(contents);
}

void fw_cfg_seeds() {
  const std::string pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  const auto size = static_cast<std::uint32_t>(pem.size());
  const std::string qemu_like = fw_cfg_directory(
      4, {{"bios-geometry", 8, 0x20}, {"etc/boot-fail-wait", 4, 0x21},
          {"opt/paf/cert.pem", size, 0x22}, {"opt/paf/key.pem", size, 0x23}});
  write_seed("fw_cfg", "certificate", fw_cfg_input(0, 64, qemu_like, pem));
  write_seed("fw_cfg", "key_larger_than_the_buffer", fw_cfg_input(2, 1, qemu_like, pem));
  write_seed("fw_cfg", "no_device", fw_cfg_input(1, 64, qemu_like, pem));
  write_seed("fw_cfg", "absent_name", fw_cfg_input(4, 64, qemu_like, pem));
  write_seed("fw_cfg", "name_from_the_contents",
             fw_cfg_input(6, 8, fw_cfg_directory(1, {{"opt/x", 6, 0x20}}), std::string("opt/x\0", 6)));
  write_seed("fw_cfg", "empty_item", fw_cfg_input(0, 0, fw_cfg_directory(1, {{"opt/paf/cert.pem", 0, 0x20}}), ""));
  write_seed("fw_cfg", "count_larger_than_the_entries",
             fw_cfg_input(0, 4, fw_cfg_directory(40, {{"opt/a", 1, 0x20}}), "x"));

  // A directory claiming 2^32 - 1 entries: read one by one through the data
  // port (zeros past its end), for hours.
  write_regression("fw_cfg", "directory_count_unbounded",
                   fw_cfg_input(0, 1, fw_cfg_directory(0xFFFFFFFF, {}), ""));
  // An item announcing 4 GiB: read_config_item allocated it.
  write_regression("fw_cfg", "item_size_4_gib",
                   fw_cfg_input(0, 1, fw_cfg_directory(1, {{"opt/paf/cert.pem", 0xFFFFFFFF, 0x20}}),
                                pem));
}

// The virtio-net device (fuzz/virtio_net_rx.cpp): flags (bit 0 modern, bit 1
// MAC), the queue sizes, then operations.
namespace virtio {
std::string u16(std::uint16_t value) { return big_endian(value, 2); }
std::string device_uses(std::uint16_t id, std::uint16_t length) {
  return "\x00" + u16(id) + u16(length);
}
std::string device_fills(std::uint16_t length) { return "\x01" + u16(length); }
std::string driver_reads() { return "\x03"; }
std::string driver_sends(std::uint16_t size) { return "\x04" + u16(size); }
std::string device_returns_sent(std::uint16_t id) { return "\x05" + u16(id) + u16(0); }
std::string device_sends_oldest() { return "\x06"; }
std::string input(std::uint8_t flags, std::uint8_t receive, std::uint8_t transmit) {
  return {static_cast<char>(flags), static_cast<char>(receive), static_cast<char>(transmit)};
}
}  // namespace virtio

void virtio_net_rx_seeds() {
  using namespace virtio;
  std::string legacy = input(2, 8, 8), modern = input(3, 4, 4);
  for (int round = 0; round < 20; ++round) {
    legacy += device_fills(10 + 60) + device_fills(10 + 1514) + driver_reads() + driver_reads() +
              driver_sends(60) + driver_sends(1514) + device_sends_oldest() + device_sends_oldest();
    modern += device_fills(12 + 64) + driver_reads() + driver_sends(100) + device_sends_oldest();
  }
  write_seed("virtio_net_rx", "legacy_frames_both_ways", legacy);
  write_seed("virtio_net_rx", "modern_rings_wrap", modern);
  write_seed("virtio_net_rx", "lengths_short_and_long",
             input(3, 4, 4) + device_fills(5) + driver_reads() + device_fills(12 + 1515) +
                 driver_reads() + device_fills(0xFFFF) + driver_reads());
  write_seed("virtio_net_rx", "used_index_jumps",
             input(1, 8, 8) + std::string("\x02\x00\x40", 3) + driver_reads() + driver_reads() +
                 driver_sends(60) + std::string("\x07\x00\x10", 3) + driver_sends(60));
  write_seed("virtio_net_rx", "ids_past_the_ring",
             input(3, 8, 8) + device_uses(0x1234, 12 + 60) + driver_reads() + driver_sends(60) +
                 device_returns_sent(0xFFFF) + driver_sends(60));
  write_seed("virtio_net_rx", "legacy_queue_size_not_a_power_of_two",
             input(0, 3, 5) + device_fills(70) + driver_reads());

  // A device returning one sent buffer five times: the driver's stack of
  // free transmit buffers grew past its end.
  write_regression("virtio_net_rx", "transmit_id_returned_twice",
                   input(3, 4, 4) + driver_sends(60) + device_returns_sent(0) +
                       device_returns_sent(0) + device_returns_sent(0) + device_returns_sent(0) +
                       device_returns_sent(0) + driver_sends(60));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_seeds OUTPUT_DIR REGRESSION_DIR\n");
    return 2;
  }
  output_dir = argv[1];
  regression_dir = argv[2];
  const Recorded h1 = record_h1(), h2 = record_h2();
  h1_seeds(h1);
  h2_seeds(h2);
  preface_seeds(h1, h2);
  stack_seeds();
  cmdline_seeds();
  uri_seeds();
  client_pool_seeds(h1, h2);
  tls_seeds();
  tls_post_handshake_seeds(h1, h2);
  acme_json_seeds();
  fw_cfg_seeds();
  virtio_net_rx_seeds();
  return 0;
}
