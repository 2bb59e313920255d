// TlsFlow over MemoryFlow on simulated time: handshakes (TLS 1.3, 1.2),
// ALPN, SNI, verification, bytes with backpressure, close_notify, the
// handshake deadline, failures that free everything, and resumption.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "paf/loop.h"
#include "paf/memory_flow.h"
#include "paf/tls.h"
#include "support/forwarding_flow.h"
#include "support/socket_test_support.h"
#include "tls_test_support.h"

namespace paf::tls::test {
namespace {

using posix::test::bytes_of;
using posix::test::pattern;
using posix::test::Reader;
using posix::test::Writer;

// A client and a server TlsFlow over one in-memory pair, and the pair's ends.
struct TlsPair {
  MemoryFlow* client_wire = nullptr;
  MemoryFlow* server_wire = nullptr;
  std::unique_ptr<TlsFlow> client, server;
};

class TlsFlowTest : public ::testing::Test {
 protected:
  TlsPair connect(const TlsConfig& server_config, const TlsConfig& client_config,
                  std::string_view host = "localhost", MemoryFlowOptions options = {},
                  TlsSession resume = {}) {
    MemoryFlowPair wires = MemoryFlow::pair(loop, options);
    TlsPair pair{wires.client.get(), wires.server.get(), nullptr, nullptr};
    pair.client = expect_ok(
        TlsFlow::client(loop, client_config, std::move(wires.client), host, resume), "client flow");
    pair.server =
        expect_ok(TlsFlow::server(loop, server_config, std::move(wires.server)), "server flow");
    return pair;
  }

  // Runs both handshakes to their end; true when both succeeded.
  bool handshake(TlsPair& pair) {
    client_handshake.emplace(*pair.client);
    server_handshake.emplace(*pair.server);
    client_handshake->start();
    server_handshake->start();
    (void)loop.run();
    EXPECT_TRUE(client_handshake->finished() && server_handshake->finished());
    return client_handshake->done && server_handshake->done;
  }

  SimulatedTimeBackend backend;
  Loop loop{backend};
  std::optional<Handshaker> client_handshake, server_handshake;
};

TEST_F(TlsFlowTest, HandshakesWithTls13ByDefaultAndNamesThePeers) {
  TlsPair pair = connect(ec_server(), expect_ok(ec_client().build(), "client"));
  ASSERT_TRUE(handshake(pair));
  EXPECT_EQ(pair.client->version(), TlsVersion::tls1_3);
  EXPECT_EQ(pair.server->version(), TlsVersion::tls1_3);
  EXPECT_TRUE(pair.client->handshake_done() && pair.server->handshake_done());
  EXPECT_EQ(pair.server->server_name(), "localhost");
  EXPECT_EQ(pair.client->server_name(), "localhost");
  EXPECT_EQ(pair.server->peer(), "memory:client");
  EXPECT_EQ(pair.client->peer(), "memory:server");
  EXPECT_FALSE(pair.client->cipher_suite().empty());
  EXPECT_EQ(loop.timer_count(), 0u) << "the handshake deadlines are cancelled";
}

TEST_F(TlsFlowTest, HandshakesWithTls12WhenForced) {
  for (bool force_on_client : {true, false}) {
    auto server =
        force_on_client
            ? ec_server()
            : expect_ok(TlsConfig::server(ec().pem("localhost-ec"), ec().key("localhost-ec"))
                            .versions(TlsVersion::tls1_2, TlsVersion::tls1_2)
                            .build(),
                        "server");
    auto client = ec_client();
    if (force_on_client) client.versions(TlsVersion::tls1_2, TlsVersion::tls1_2);
    TlsPair pair = connect(server, expect_ok(client.build(), "client"));
    ASSERT_TRUE(handshake(pair));
    EXPECT_EQ(pair.client->version(), TlsVersion::tls1_2);
    EXPECT_EQ(pair.server->version(), TlsVersion::tls1_2);
  }
}

TEST_F(TlsFlowTest, AlpnPicksTheServersPreferenceInBothVersions) {
  for (TlsVersion version : {TlsVersion::tls1_3, TlsVersion::tls1_2}) {
    auto client = expect_ok(ec_client().alpn({"http/1.1", "h2"}).versions(version, version).build(),
                            "client");
    TlsPair pair = connect(ec_server(), client);  // the server's default: h2, http/1.1
    ASSERT_TRUE(handshake(pair));
    EXPECT_EQ(pair.server->alpn(), "h2");
    EXPECT_EQ(pair.client->alpn(), "h2");
    EXPECT_EQ(alpn(static_cast<const SecureFlow&>(*pair.server)), "h2");
  }
  auto server = expect_ok(TlsConfig::server(ec().pem("localhost-ec"), ec().key("localhost-ec"))
                              .alpn({"http/1.1", "h2"})
                              .build(),
                          "server");
  TlsPair pair = connect(server, expect_ok(ec_client().alpn({"h2", "http/1.1"}).build(), "client"));
  ASSERT_TRUE(handshake(pair));
  EXPECT_EQ(pair.server->alpn(), "http/1.1");
}

TEST_F(TlsFlowTest, NoAlpnWhenTheClientOffersNone) {
  TlsPair pair = connect(ec_server(), expect_ok(ec_client().build(), "client"));
  ASSERT_TRUE(handshake(pair));
  EXPECT_EQ(pair.server->alpn(), "");
  EXPECT_EQ(pair.client->alpn(), "");
}

TEST_F(TlsFlowTest, SniSelectsTheCertificateNamingTheHost) {
  auto server = expect_ok(TlsConfig::server(ec().pem("localhost-ec"), ec().key("localhost-ec"))
                              .certificate(ec().pem("second-ec"), ec().key("second-ec"))
                              .build(),
                          "server");
  auto client = expect_ok(ec_client().build(), "client");
  // The client checks the certificate names its host, so each handshake
  // succeeds only with the right certificate.
  for (std::string_view host : {"second.test", "www.second.test", "localhost"}) {
    TlsPair pair = connect(server, client, host);
    ASSERT_TRUE(handshake(pair)) << host << ": "
                                 << client_handshake->error.value_or(Error{}).message;
    EXPECT_EQ(pair.server->server_name(), host);
  }
}

TEST_F(TlsFlowTest, ServesAnRsaCertificateInBothVersions) {
  auto server = expect_ok(
      TlsConfig::server(rsa().pem("localhost-rsa"), rsa().key("localhost-rsa")).build(), "server");
  for (TlsVersion version : {TlsVersion::tls1_3, TlsVersion::tls1_2}) {
    auto client = expect_ok(
        TlsConfig::client().trust_ca(rsa().pem("ca-rsa")).versions(version, version).build(),
        "client");
    TlsPair pair = connect(server, client);
    ASSERT_TRUE(handshake(pair));
    EXPECT_EQ(pair.client->version(), version);
  }
}

TEST_F(TlsFlowTest, ClientRejectsAWrongHostName) {
  TlsPair pair = connect(ec_server(), expect_ok(ec_client().build(), "client"), "wrong.test");
  EXPECT_FALSE(handshake(pair));
  ASSERT_TRUE(client_handshake->error);
  EXPECT_EQ(client_handshake->error->code, Errc::tls_error);
  EXPECT_EQ(client_handshake->error->message,
            "TLS: the server's certificate does not name the host");
  ASSERT_TRUE(server_handshake->error) << "the client's alert ends the server's handshake";
}

TEST_F(TlsFlowTest, ClientRejectsAnUntrustedCa) {
  auto client = expect_ok(TlsConfig::client().trust_ca(ec().pem("other-ca")).build(), "client");
  TlsPair pair = connect(ec_server(), client);
  EXPECT_FALSE(handshake(pair));
  ASSERT_TRUE(client_handshake->error);
  EXPECT_EQ(client_handshake->error->message,
            "TLS: the server's certificate is not issued by a trusted CA");
  // A failed flow keeps failing, and has let go of its inner flow.
  std::uint8_t byte;
  EXPECT_EQ(pair.client->read({&byte, 1}).error().code, Errc::tls_error);
  EXPECT_EQ(pair.client_wire->read({&byte, 1}).error().code, Errc::closed);
}

TEST_F(TlsFlowTest, InsecureModeAcceptsAnyServer) {
  auto client = expect_ok(TlsConfig::client().insecure_for_tests().build(), "client");
  TlsPair pair = connect(ec_server(), client, "wrong.test");
  EXPECT_TRUE(handshake(pair));
}

TEST_F(TlsFlowTest, TrustsAGivenCertificateAsIt) {
  auto pinned =
      expect_ok(TlsConfig::client().trust_certificate(ec().pem("localhost-ec")).build(), "client");
  TlsPair pair = connect(ec_server(), pinned);
  EXPECT_TRUE(handshake(pair));

  auto other =
      expect_ok(TlsConfig::client().trust_certificate(ec().pem("second-ec")).build(), "client");
  TlsPair refused = connect(ec_server(), other);
  EXPECT_FALSE(handshake(refused));
  ASSERT_TRUE(client_handshake->error);
  EXPECT_EQ(client_handshake->error->message,
            "TLS: the server's certificate is not issued by a trusted CA");
}

TEST_F(TlsFlowTest, MovesAMebibyteEachWayThroughSmallBuffers) {
  TlsPair pair = connect(ec_server(), expect_ok(ec_client().build(), "client"), "localhost",
                         {.capacity = 4096, .max_transfer = 1500});
  const std::string data = pattern(1 << 20);
  Writer client_writer(*pair.client, data), server_writer(*pair.server, data);
  Reader client_reader(*pair.client), server_reader(*pair.server);
  for (auto* writer : {&client_writer, &server_writer}) writer->start();
  for (auto* reader : {&client_reader, &server_reader}) reader->start();
  (void)loop.run();
  EXPECT_TRUE(client_writer.done && server_writer.done)
      << client_reader.received.size() << " " << server_reader.received.size() << " "
      << client_writer.done << server_writer.done
      << " errors: " << (client_reader.error ? client_reader.error->message : "-") << "|"
      << (server_reader.error ? server_reader.error->message : "-") << "|"
      << (client_writer.error ? client_writer.error->message : "-") << "|"
      << (server_writer.error ? server_writer.error->message : "-");
  EXPECT_FALSE(client_writer.error || server_writer.error);
  ASSERT_TRUE(client_reader.end_of_stream && server_reader.end_of_stream)
      << (client_reader.error ? client_reader.error->message : "")
      << (server_reader.error ? server_reader.error->message : "");
  EXPECT_TRUE(client_reader.received == data);
  EXPECT_TRUE(server_reader.received == data);
  EXPECT_GT(client_writer.would_blocks, 10u) << "the inner flow's backpressure reached the writer";
  EXPECT_GT(server_writer.would_blocks, 10u);
}

// A TLS 1.3 server sends its session tickets after the handshake. mbedTLS
// may stop a read at a ticket (would_block) and handle it in the next call,
// which a client may make to write: the ticket is kept and the write goes on.
TEST_F(TlsFlowTest, AClientWritingRightAfterATicketArrivedKeepsTheTicketAndWrites) {
  TlsPair pair = connect(ec_server(), expect_ok(ec_client().build(), "client"));
  ASSERT_TRUE(handshake(pair));
  // The server's first write sends its tickets, then the bytes.
  ASSERT_TRUE(pair.server->write(bytes_of("x")));
  (void)loop.run();
  std::uint8_t buffer[64];
  std::string received;
  for (int i = 0; i < 4; ++i) {
    if (auto read = pair.client->read(buffer)) received.append(reinterpret_cast<char*>(buffer), *read);
    else ASSERT_EQ(read.error().code, Errc::would_block) << read.error().message;
    auto written = pair.client->write(bytes_of("hello"));
    ASSERT_TRUE(written) << written.error().message;
    EXPECT_EQ(*written, 5u);
  }
  EXPECT_EQ(received, "x");
  EXPECT_TRUE(pair.client->session());
  Reader server_reader(*pair.server);
  server_reader.start();
  (void)loop.run();
  EXPECT_EQ(server_reader.received, "hellohellohellohello");
}

TEST_F(TlsFlowTest, CloseNotifyGivesThePeerEndOfStreamAndTheOtherWayGoesOn) {
  TlsPair pair = connect(ec_server(), expect_ok(ec_client().build(), "client"));
  ASSERT_TRUE(handshake(pair));
  Writer server_writer(*pair.server, "bye");
  Reader client_reader(*pair.client);
  server_writer.start();
  client_reader.start();
  (void)loop.run();
  EXPECT_EQ(client_reader.received, "bye");
  EXPECT_TRUE(client_reader.end_of_stream);
  EXPECT_EQ(pair.server->write(bytes_of("late")).error().code, Errc::closed);

  Writer client_writer(*pair.client, "still heard");
  Reader server_reader(*pair.server);
  client_writer.start();
  server_reader.start();
  (void)loop.run();
  EXPECT_EQ(server_reader.received, "still heard");
  EXPECT_TRUE(server_reader.end_of_stream);
}

TEST_F(TlsFlowTest, AStreamEndingWithoutCloseNotifyIsATruncation) {
  TlsPair pair = connect(ec_server(), expect_ok(ec_client().build(), "client"));
  ASSERT_TRUE(handshake(pair));
  ASSERT_TRUE(pair.server_wire->shutdown_write());  // TCP FIN, no close_notify
  Reader client_reader(*pair.client);
  client_reader.start();
  (void)loop.run();
  ASSERT_TRUE(client_reader.error);
  EXPECT_EQ(client_reader.error->code, Errc::closed);
  EXPECT_EQ(client_reader.error->message, "TLS: the peer ended the stream without close_notify");
}

TEST_F(TlsFlowTest, AStalledHandshakeTimesOut) {
  auto server = expect_ok(TlsConfig::server(ec().pem("localhost-ec"), ec().key("localhost-ec"))
                              .handshake_timeout(seconds(3))
                              .build(),
                          "server");
  MemoryFlowPair wires = MemoryFlow::pair(loop);  // the client end says nothing
  auto flow = expect_ok(TlsFlow::server(loop, server, std::move(wires.server)), "server flow");
  Handshaker handshaker(*flow);
  handshaker.start();
  (void)loop.run();
  ASSERT_TRUE(handshaker.error);
  EXPECT_EQ(handshaker.error->code, Errc::timed_out);
  EXPECT_EQ(loop.now_ns(), seconds(3));
  std::uint8_t byte;
  EXPECT_EQ(wires.client->read({&byte, 1}), 0u) << "the inner flow is closed";
}

TEST_F(TlsFlowTest, AClientLeavingMidHandshakeFailsOnlyItsServerFlow) {
  auto server = ec_server();
  auto client = expect_ok(ec_client().build(), "client");
  TlsPair healthy = connect(server, client);
  TlsPair leaving = connect(server, client);

  // The client sends its hello, the server answers and waits for the
  // client's Finished; the client goes away instead.
  ASSERT_EQ(leaving.client->handshake().error().code, Errc::would_block);
  Handshaker server_side(*leaving.server);
  server_side.start();
  (void)loop.run_until(milliseconds(1));
  ASSERT_FALSE(server_side.finished());
  ASSERT_GT(leaving.client_wire->unread_bytes(), 0u) << "the server answered the hello";
  leaving.client->close();

  EXPECT_TRUE(handshake(healthy));
  ASSERT_TRUE(server_side.error);
  EXPECT_EQ(server_side.error->code, Errc::closed);
  EXPECT_EQ(server_side.error->message, "TLS: the peer closed the connection during the handshake");
  std::uint8_t byte;
  EXPECT_EQ(leaving.server->read({&byte, 1}).error().code, Errc::closed);
  EXPECT_EQ(leaving.server->write(bytes_of("x")).error().code, Errc::closed);

  // The healthy connection still moves bytes.
  Writer writer(*healthy.client, "fine");
  Reader reader(*healthy.server);
  writer.start();
  reader.start();
  (void)loop.run();
  EXPECT_EQ(reader.received, "fine");
}

TEST_F(TlsFlowTest, ResumesASessionWithATicket) {
  for (TlsVersion version : {TlsVersion::tls1_3, TlsVersion::tls1_2}) {
    SCOPED_TRACE(version == TlsVersion::tls1_3 ? "TLS 1.3" : "TLS 1.2");
    auto server = ec_server();
    auto client = expect_ok(ec_client().versions(version, version).build(), "client");
    TlsPair first = connect(server, client);
    ASSERT_TRUE(handshake(first));
    EXPECT_FALSE(first.client->resumed());
    // TLS 1.3 tickets follow the handshake: the client meets them reading.
    Writer writer(*first.server, "hello");
    Reader reader(*first.client);
    writer.start();
    reader.start();
    (void)loop.run();
    ASSERT_EQ(reader.received, "hello");
    TlsSession session = first.client->session();
    ASSERT_TRUE(session);

    EXPECT_FALSE(first.server->resumed());

    TlsPair second = connect(server, client, "localhost", {}, session);
    ASSERT_TRUE(handshake(second));
    EXPECT_TRUE(second.client->resumed());
    EXPECT_TRUE(second.server->resumed());
    EXPECT_EQ(second.client->version(), version);
    EXPECT_EQ(second.server->version(), version);
  }
}

// A TLS 1.2 client of a server that issues no tickets resumes by session ID,
// from the server's cache, or not at all without one.
TEST_F(TlsFlowTest, ResumesATls12SessionByIdFromTheServersCache) {
  auto client =
      expect_ok(ec_client().versions(TlsVersion::tls1_2, TlsVersion::tls1_2).build(), "client");
  for (bool cache : {true, false}) {
    SCOPED_TRACE(cache ? "with the cache" : "without a cache");
    auto server_builder = TlsConfig::server(ec().pem("localhost-ec"), ec().key("localhost-ec"));
    server_builder.session_tickets(false);
    if (!cache) server_builder.session_cache(0, 0);
    auto server = expect_ok(server_builder.build(), "server");
    TlsPair first = connect(server, client);
    ASSERT_TRUE(handshake(first));
    EXPECT_FALSE(first.client->resumed());
    EXPECT_FALSE(first.server->resumed());
    TlsSession session = first.client->session();
    ASSERT_TRUE(session) << "a TLS 1.2 session (its ID) is known once the handshake is done";

    TlsPair second = connect(server, client, "localhost", {}, session);
    ASSERT_TRUE(handshake(second));
    EXPECT_EQ(second.client->resumed(), cache);
    EXPECT_EQ(second.server->resumed(), cache);
  }
}

// The cache is bounded: a full one drops its oldest session for a new one.
// (Resuming adds no entry; a full handshake does: the newest are tried first.)
TEST_F(TlsFlowTest, AFullSessionCacheDropsItsOldestSession) {
  auto client =
      expect_ok(ec_client().versions(TlsVersion::tls1_2, TlsVersion::tls1_2).build(), "client");
  auto server = expect_ok(TlsConfig::server(ec().pem("localhost-ec"), ec().key("localhost-ec"))
                              .session_tickets(false)
                              .session_cache(2, seconds(3600))
                              .build(),
                          "server");
  std::vector<TlsSession> sessions;
  for (int i = 0; i < 3; ++i) {
    TlsPair pair = connect(server, client);
    ASSERT_TRUE(handshake(pair));
    sessions.push_back(pair.client->session());
  }
  // Two entries: the first session was dropped for the third.
  std::vector<bool> resumed;
  for (int i = 2; i >= 0; --i) {
    TlsPair pair = connect(server, client, "localhost", {}, sessions[i]);
    ASSERT_TRUE(handshake(pair));
    resumed.push_back(pair.server->resumed());
    EXPECT_EQ(pair.client->resumed(), pair.server->resumed());
  }
  EXPECT_EQ(resumed, (std::vector<bool>{true, true, false}));
}

TEST_F(TlsFlowTest, NoSessionWithoutTickets) {
  auto server = expect_ok(TlsConfig::server(ec().pem("localhost-ec"), ec().key("localhost-ec"))
                              .session_tickets(false)
                              .build(),
                          "server");
  TlsPair pair = connect(server, expect_ok(ec_client().build(), "client"));
  ASSERT_TRUE(handshake(pair));
  Writer writer(*pair.server, "hello");
  Reader reader(*pair.client);
  writer.start();
  reader.start();
  (void)loop.run();
  EXPECT_EQ(reader.received, "hello");
  EXPECT_FALSE(pair.client->session());
}

// Forwards to a flow and counts the reads made on it.
class CountingFlow final : public testing::ForwardingFlow<> {
 public:
  CountingFlow(std::unique_ptr<Flow> inner, std::size_t* reads)
      : ForwardingFlow(std::move(inner)), reads_(reads) {}
  Result<std::size_t> read(MutableBytes buffer) override {
    ++*reads_;
    return ForwardingFlow::read(buffer);
  }

 private:
  std::size_t* reads_;
};

// Reads one record's worth per wakeup, as a runtime serving one request at a time might.
struct OneReadPerWakeup {
  explicit OneReadPerWakeup(Flow& read_from) : flow(read_from) {}
  void start() {
    flow.when_readable([this] { read_once(); });
  }
  void read_once() {
    std::uint8_t buffer[64];
    auto n = flow.read(buffer);
    if (n && *n == 0) return;
    if (n) received.append(reinterpret_cast<const char*>(buffer), *n);
    if (n || n.error().code == Errc::would_block) start();
  }
  Flow& flow;
  std::string received;
};

TEST_F(TlsFlowTest, ReadsAheadSoRecordsArrivingTogetherTakeOneInnerRead) {
  MemoryFlowPair wires = MemoryFlow::pair(loop, {});
  std::size_t server_reads = 0;
  TlsPair pair{wires.client.get(), wires.server.get(), nullptr, nullptr};
  pair.client = expect_ok(TlsFlow::client(loop, expect_ok(ec_client().build(), "client"),
                                          std::move(wires.client), "localhost", {}),
                          "client flow");
  pair.server = expect_ok(
      TlsFlow::server(loop, ec_server(),
                      std::make_unique<CountingFlow>(std::move(wires.server), &server_reads)),
      "server flow");
  ASSERT_TRUE(handshake(pair));
  // A hundred records, each written alone, all waiting in the wire together.
  std::string sent;
  for (int i = 0; i < 100; ++i) {
    std::string record = "record " + std::to_string(1000 + i);
    ASSERT_TRUE(pair.client->write(bytes_of(record)));
    sent += record;
  }
  (void)loop.run();
  const std::size_t reads_before = server_reads;
  // The reader takes one record per wakeup: once the inner flow is drained,
  // only the records held ahead can wake it.
  OneReadPerWakeup reader(*pair.server);
  reader.start();
  (void)loop.run();
  EXPECT_EQ(reader.received, sent);
  EXPECT_LE(server_reads - reads_before, 4u) << "two reads per record without read-ahead";
}

// The TLS records waiting on `wire`, read off it: each one's content type and length.
struct Record {
  std::uint8_t type;
  std::size_t length;
};
std::vector<Record> take_records(MemoryFlow& wire) {
  std::string bytes;
  std::uint8_t buffer[4096];
  for (auto n = wire.read(buffer); n && *n > 0; n = wire.read(buffer))
    bytes.append(reinterpret_cast<const char*>(buffer), *n);
  std::vector<Record> records;
  std::size_t at = 0;
  while (at + 5 <= bytes.size()) {  // RFC 8446 §5.1: type, version, 16-bit length
    std::size_t length =
        std::size_t{std::uint8_t(bytes[at + 3])} << 8 | std::uint8_t(bytes[at + 4]);
    if (at + 5 + length > bytes.size()) break;
    records.push_back({std::uint8_t(bytes[at]), length});
    at += 5 + length;
  }
  EXPECT_EQ(at, bytes.size()) << "whole records";
  return records;
}

std::vector<Bytes> bytes_of_each(const std::vector<std::string>& pieces) {
  std::vector<Bytes> buffers;
  for (const std::string& piece : pieces) buffers.push_back(bytes_of(piece));
  return buffers;
}

constexpr std::uint8_t kApplicationData = 23;

TEST_F(TlsFlowTest, SmallBuffersOfOneWritevShareARecord) {
  for (TlsVersion version : {TlsVersion::tls1_3, TlsVersion::tls1_2}) {
    SCOPED_TRACE(version == TlsVersion::tls1_3 ? "TLS 1.3" : "TLS 1.2");
    TlsPair pair =
        connect(ec_server(), expect_ok(ec_client().versions(version, version).build(), "client"));
    ASSERT_TRUE(handshake(pair));
    ASSERT_EQ(pair.server_wire->unread_bytes(), 0u);

    // Fifty pieces of an HTTP/1 head, say: one record, not fifty.
    std::vector<std::string> pieces;
    std::size_t total = 0;
    for (int i = 0; i < 50; ++i) {
      pieces.push_back("x-piece-" + std::to_string(i) + ": small\r\n");
      total += pieces.back().size();
    }
    auto written = pair.client->writev(bytes_of_each(pieces));
    ASSERT_TRUE(written) << written.error().message;
    EXPECT_EQ(*written, total);
    std::vector<Record> records = take_records(*pair.server_wire);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].type, kApplicationData);
    EXPECT_LE(records[0].length, total + 24) << "one record's expansion";

    // A larger buffer between small ones shares their record too.
    std::vector<std::string> mixed(10, "small;");
    mixed.push_back(std::string(8000, 'L'));
    mixed.insert(mixed.end(), 10, "small;");
    written = pair.client->writev(bytes_of_each(mixed));
    ASSERT_TRUE(written);
    EXPECT_EQ(*written, 8000u + 20 * 6);
    records = take_records(*pair.server_wire);
    ASSERT_EQ(records.size(), 1u);
  }
}

// HTTP/2 DATA frames as paf writes them: a 9-byte header, then 16 KiB of
// data. Records are filled to the largest plaintext across the buffers, so a
// transfer costs one record per 16 KiB rather than two per frame; a buffer
// that starts a record and fills it goes whole. (TLS 1.3's largest record
// carries 16383 bytes of data in mbedTLS, the inner content type taking one.)
TEST_F(TlsFlowTest, RecordsAreFilledAcrossBuffers) {
  constexpr std::size_t kData = 16384;
  for (TlsVersion version : {TlsVersion::tls1_3, TlsVersion::tls1_2}) {
    SCOPED_TRACE(version == TlsVersion::tls1_3 ? "TLS 1.3" : "TLS 1.2");
    const std::size_t full = version == TlsVersion::tls1_3 ? kData - 1 : kData;
    TlsPair pair =
        connect(ec_server(), expect_ok(ec_client().versions(version, version).build(), "client"));
    ASSERT_TRUE(handshake(pair));
    auto expect_full_records = [&](std::size_t total) {
      std::vector<Record> records = take_records(*pair.server_wire);
      EXPECT_EQ(records.size(), (total + full - 1) / full);
      for (std::size_t i = 0; i + 1 < records.size(); ++i)
        EXPECT_EQ(records[i].length, records[0].length) << "record " << i << " is full";
    };
    std::vector<std::string> frames;
    for (int i = 0; i < 3; ++i) {  // what the 64 KiB wire holds
      frames.push_back(std::string(9, 'h'));
      frames.push_back(std::string(kData, static_cast<char>('a' + i)));
    }
    auto written = pair.client->writev(bytes_of_each(frames));
    ASSERT_TRUE(written) << written.error().message;
    EXPECT_EQ(*written, 3 * (9 + kData));
    expect_full_records(*written);

    std::string bulk(3 * kData, 'b');
    written = pair.client->write(bytes_of(bulk));
    ASSERT_TRUE(written);
    EXPECT_EQ(*written, bulk.size());
    expect_full_records(*written);
  }
}

// Writes pieces with writev, from the loop, resuming where a partial write
// stopped (within a piece or between two), then shuts the write side.
class PiecesWriter {
 public:
  PiecesWriter(Flow& flow, const std::vector<std::string>& pieces) : flow_(flow), pieces_(pieces) {}
  void start() { pump(); }

  bool done = false;
  std::size_t would_blocks = 0, writes = 0;
  std::optional<Error> error;

 private:
  void pump() {
    for (;;) {
      while (next_ < pieces_.size() && offset_ == pieces_[next_].size()) {
        ++next_;
        offset_ = 0;
      }
      if (next_ == pieces_.size()) break;
      std::vector<Bytes> buffers{bytes_of(std::string_view(pieces_[next_]).substr(offset_))};
      for (std::size_t i = next_ + 1; i < pieces_.size(); ++i)
        buffers.push_back(bytes_of(pieces_[i]));
      auto n = flow_.writev(buffers);
      if (!n && n.error().code == Errc::would_block) {
        ++would_blocks;
        flow_.when_writable([this] { pump(); });
        return;
      }
      if (!n) {
        error = n.error();
        return;
      }
      ++writes;
      for (std::size_t left = *n; left > 0;) {
        std::size_t take = std::min(left, pieces_[next_].size() - offset_);
        offset_ += take;
        left -= take;
        if (offset_ == pieces_[next_].size()) {
          ++next_;
          offset_ = 0;
        }
      }
    }
    if (auto shut = flow_.shutdown_write(); !shut) error = shut.error();
    done = true;
  }

  Flow& flow_;
  const std::vector<std::string>& pieces_;
  std::size_t next_ = 0, offset_ = 0;
};

TEST_F(TlsFlowTest, WritevOfMixedSizesDeliversEveryByteInOrder) {
  // Sizes around the gathering threshold and the record size, and empty ones.
  constexpr std::size_t kSizes[] = {0, 1,     7, 9,     30,    200,   1500, 2047, 2048, 2049,
                                    5, 13000, 3, 16384, 16385, 40000, 11,   0,    64};
  std::vector<std::string> pieces;
  std::size_t total = 0;
  for (int round = 0; round < 8; ++round)
    for (std::size_t size : kSizes) total += size;
  const std::string data = pattern(total);
  for (std::size_t at = 0, round = 0; round < 8; ++round) {
    for (std::size_t size : kSizes) {
      pieces.push_back(data.substr(at, size));
      at += size;
    }
  }
  for (MemoryFlowOptions wire :
       {MemoryFlowOptions{}, MemoryFlowOptions{.capacity = 4096, .max_transfer = 1500}}) {
    SCOPED_TRACE(wire.capacity);
    TlsPair pair =
        connect(ec_server(), expect_ok(ec_client().build(), "client"), "localhost", wire);
    PiecesWriter writer(*pair.client, pieces);
    Reader reader(*pair.server);
    writer.start();
    reader.start();
    (void)loop.run();
    EXPECT_TRUE(writer.done) << (writer.error ? writer.error->message : "");
    ASSERT_TRUE(reader.end_of_stream) << (reader.error ? reader.error->message : "");
    EXPECT_EQ(reader.received.size(), data.size());
    EXPECT_TRUE(reader.received == data);
    if (wire.capacity == 4096) {
      EXPECT_GT(writer.would_blocks, 10u) << "backpressure on the way";
    }
  }
}

TEST(TlsConfigTest, ReportsWhatIsWrong) {
  auto garbage = TlsConfig::server("not a certificate", ec().key("localhost-ec")).build();
  ASSERT_FALSE(garbage);
  EXPECT_NE(garbage.error().detail, 0) << "mbedTLS's code";
  EXPECT_FALSE(garbage.error().message.empty());

  auto mismatch = TlsConfig::server(ec().pem("localhost-ec"), ec().key("second-ec")).build();
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().message, "TLS config: a private key does not match its certificate");

  auto bad_key = TlsConfig::server(ec().pem("localhost-ec"),
                                   "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
                     .build();
  ASSERT_FALSE(bad_key);
  EXPECT_LT(bad_key.error().detail, 0);

  auto untrusting = TlsConfig::client().build();
  ASSERT_FALSE(untrusting);
  EXPECT_EQ(untrusting.error().code, Errc::invalid_argument);

  auto crossed = TlsConfig::server(ec().pem("localhost-ec"), ec().key("localhost-ec"))
                     .trust_ca(ec().pem("ca-ec"))
                     .build();
  ASSERT_FALSE(crossed);
  EXPECT_EQ(crossed.error().code, Errc::invalid_argument);

  auto client_cache =
      TlsConfig::client().insecure_for_tests().session_cache(10, seconds(60)).build();
  ASSERT_FALSE(client_cache);
  EXPECT_EQ(client_cache.error().code, Errc::invalid_argument);
  auto instant_cache = TlsConfig::server(ec().pem("localhost-ec"), ec().key("localhost-ec"))
                           .session_cache(10, milliseconds(500))
                           .build();
  ASSERT_FALSE(instant_cache) << "mbedTLS counts whole seconds, and 0 as forever";
  EXPECT_EQ(instant_cache.error().code, Errc::invalid_argument);
  EXPECT_TRUE(TlsConfig::server(ec().pem("localhost-ec"), ec().key("localhost-ec"))
                  .session_cache(0, 0)
                  .build())
      << "no cache";

  auto empty_protocol = TlsConfig::client().insecure_for_tests().alpn({""}).build();
  ASSERT_FALSE(empty_protocol);
  EXPECT_EQ(empty_protocol.error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace paf::tls::test
