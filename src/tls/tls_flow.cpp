// MbedtlsFlow: one mbedTLS connection over an inner Flow (paf::TlsFlow).
//
// The engine reads the inner flow through a read-ahead buffer (WANT_READ when
// it would block), so one inner read serves many records, but writes into
// ciphertext_, which the flow drains into the inner flow as it takes it. So
// the engine waits only on the inner flow's bytes, never on its room, and the
// flow waits on the inner flow's room only to drain.
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "config_state.h"
#include "engine.h"
#include "error.h"

namespace paf {
namespace {

// writev takes plaintext while less ciphertext than this waits for the
// inner flow: about one full record, so backpressure reaches the writer.
constexpr std::size_t kCiphertextHighWater = 16 * 1024;
// The most plaintext one record carries (RFC 8446 §5.1), unless the peer
// asked for less (a record size limit).
constexpr std::size_t kLargestPlaintextRecord = 16 * 1024;
// How much one inner read takes at most for the engine: a whole record of the
// largest size (16 KiB of plaintext, 256 bytes of expansion, its header).
constexpr std::size_t kReadAhead = 16 * 1024 + 256 + 5;
// The transport hooks report the inner flow's own errors with this code.
constexpr int kInnerFlowFailed = MBEDTLS_ERR_NET_RECV_FAILED;

// Client: called by mbedTLS for each certificate of the server's chain, root
// first and leaf last. For a leaf trusted as it is, the verdict on the chain
// above it is dropped; otherwise it is kept.
int verify_server_certificate(void* context, mbedtls_x509_crt* certificate, int depth,
                              std::uint32_t* flags) {
  auto& engine = *static_cast<MbedtlsFlow::Engine*>(context);
  engine.certificate_seen = true;
  if (!engine.config->has_trusted_certificates) return 0;
  if (depth > 0) {
    engine.deferred_flags |= *flags;
    *flags = 0;
    return 0;
  }
  constexpr std::uint32_t kStillChecked =
      MBEDTLS_X509_BADCERT_CN_MISMATCH | MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE;
  if (engine.config->trusts_as_is(*certificate))
    *flags &= kStillChecked;
  else
    *flags |= engine.deferred_flags;
  engine.deferred_flags = 0;
  return 0;
}

// Why the server's certificate was refused, most useful reason first.
Error verification_error(std::uint32_t flags, int code) {
  if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
    return {Errc::tls_error, "TLS: the server's certificate is not issued by a trusted CA", code};
  if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH)
    return {Errc::tls_error, "TLS: the server's certificate does not name the host", code};
  if (flags & (MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE))
    return {Errc::tls_error, "TLS: the server's certificate is outside its validity dates", code};
  return tls::mbedtls_error(code, "TLS: the server's certificate was refused");
}

Buffer c_string(std::string_view text) {
  Buffer copy(text);
  copy.append('\0');
  return copy;
}

}  // namespace

struct TlsTransport {
  static int send(void* flow, const unsigned char* data, std::size_t size) {
    return static_cast<MbedtlsFlow*>(flow)->transport_send({data, size});
  }
  static int receive(void* flow, unsigned char* data, std::size_t size) {
    return static_cast<MbedtlsFlow*>(flow)->transport_receive({data, size});
  }
};

namespace tls {

void remember_server_name(mbedtls_ssl_context& ssl, std::string_view name) {
  auto* engine = static_cast<MbedtlsFlow::Engine*>(mbedtls_ssl_get_user_data_p(&ssl));
  engine->server_name = Buffer(name);
}

}  // namespace tls

// --- Making a flow -----------------------------------------------------------

MbedtlsFlow::MbedtlsFlow(Loop& loop, TlsConfig config, std::unique_ptr<Flow> inner)
    : loop_(loop), config_(std::move(config)), inner_(std::move(inner)) {}

MbedtlsFlow::~MbedtlsFlow() { close(); }

Result<std::unique_ptr<TlsFlow>> MbedtlsFlow::make(Loop& loop, const TlsConfig& config,
                                                   std::unique_ptr<Flow> inner,
                                                   std::string_view host_name,
                                                   const TlsSession& resume) {
  if (!inner) return paf::fail(Errc::invalid_argument, "TLS: no inner flow");
  std::unique_ptr<MbedtlsFlow> flow(new MbedtlsFlow(loop, config, std::move(inner)));
  if (auto started = flow->start(host_name, resume); !started)
    return std::unexpected(started.error());
  return flow;
}

Result<std::unique_ptr<TlsFlow>> TlsFlow::server(Loop& loop, const TlsConfig& config,
                                                 std::unique_ptr<Flow> inner) {
  if (!config.is_server())
    return paf::fail(Errc::invalid_argument, "TLS: a server flow needs a server config");
  return MbedtlsFlow::make(loop, config, std::move(inner), {}, {});
}

Result<std::unique_ptr<TlsFlow>> TlsFlow::client(Loop& loop, const TlsConfig& config,
                                                 std::unique_ptr<Flow> inner,
                                                 std::string_view host_name, TlsSession resume) {
  if (config.is_server())
    return paf::fail(Errc::invalid_argument, "TLS: a client flow needs a client config");
  return MbedtlsFlow::make(loop, config, std::move(inner), host_name, resume);
}

Result<void> MbedtlsFlow::start(std::string_view host_name, const TlsSession& resume) {
  engine_ = std::make_unique<Engine>();
  engine_->config = &config_.state();
  mbedtls_ssl_context& ssl = engine_->ssl;
  if (int setup = mbedtls_ssl_setup(&ssl, &config_.state().ssl); setup != 0)
    return std::unexpected(tls::mbedtls_error(setup, "TLS: cannot set up a connection"));
  mbedtls_ssl_set_user_data_p(&ssl, engine_.get());
  mbedtls_ssl_set_bio(&ssl, this, TlsTransport::send, TlsTransport::receive, nullptr);
  if (!config_.is_server()) {
    if (!host_name.empty()) {
      if (int set = mbedtls_ssl_set_hostname(
              &ssl, reinterpret_cast<const char*>(c_string(host_name).data()));
          set != 0)
        return std::unexpected(
            tls::mbedtls_error(set, "TLS: bad host name", Errc::invalid_argument));
      server_name_ = Buffer(host_name);
    }
    if (config_.state().verify_peer)
      mbedtls_ssl_set_verify(&ssl, verify_server_certificate, engine_.get());
    // A session the server no longer accepts only costs a full handshake.
    if (resume)
      engine_->session_offered = mbedtls_ssl_set_session(&ssl, &resume.state()->session) == 0;
  }
  if (std::uint64_t timeout = config_.handshake_timeout(); timeout != 0)
    handshake_timer_ = loop_.add_timer_after(timeout, [this] { on_handshake_timeout(); });
  return {};
}

// --- The handshake -----------------------------------------------------------

Result<void> MbedtlsFlow::handshake() {
  if (closed_) return paf::fail(Errc::closed, "TLS: flow closed");
  if (failure_) return std::unexpected(*failure_);
  if (handshake_done_) return {};
  auto driven = drive_handshake();
  update_inner_wakeups();
  return driven;
}

Result<void> MbedtlsFlow::drive_handshake() {
  int code = step_handshake();
  if (auto flushed = flush_ciphertext(); !flushed) return fail_flow(flushed.error());
  if (code == MBEDTLS_ERR_SSL_WANT_READ || code == MBEDTLS_ERR_SSL_WANT_WRITE)
    return paf::fail(Errc::would_block, "TLS: handshake waiting for the peer");
  if (code != 0) return engine_failure(code);
  on_handshake_done();
  return {};
}

// mbedtls_ssl_handshake's own loop, watching a server's states on the way.
int MbedtlsFlow::step_handshake() {
  mbedtls_ssl_context& ssl = engine_->ssl;
  while (!mbedtls_ssl_is_handshake_over(&ssl)) {
    int code = mbedtls_ssl_handshake_step(&ssl);
    if (config_.is_server() && tls::server_certificate_is_next(ssl))
      engine_->certificate_seen = true;
    if (code != 0) return code;
  }
  return 0;
}

void MbedtlsFlow::on_handshake_done() {
  handshake_done_ = true;
  loop_.cancel_timer(handshake_timer_);
  handshake_timer_ = {};
  mbedtls_ssl_context& ssl = engine_->ssl;
  const char* protocol = mbedtls_ssl_get_alpn_protocol(&ssl);
  alpn_ = protocol != nullptr ? std::string_view(protocol) : std::string_view();
  version_ = mbedtls_ssl_get_version_number(&ssl) == MBEDTLS_SSL_VERSION_TLS1_2
                 ? TlsVersion::tls1_2
                 : TlsVersion::tls1_3;
  cipher_suite_ = mbedtls_ssl_get_ciphersuite(&ssl);
  if (config_.is_server()) {
    server_name_ = std::move(engine_->server_name);
    resumed_ = !engine_->certificate_seen;
    handshake_only_ = engine_->answer != nullptr;
  } else {
    resumed_ =
        engine_->session_offered && config_.state().verify_peer && !engine_->certificate_seen;
    // A TLS 1.2 session is complete now; TLS 1.3 tickets come later (read_plaintext).
    if (version_ == TlsVersion::tls1_2) save_session();
  }
  if (write_shut_) {
    send_close_notify();
    (void)flush_ciphertext();
    finish_write_side();
  }
}

void MbedtlsFlow::save_session() {
  auto state = std::make_shared<TlsSession::State>();
  if (mbedtls_ssl_get_session(&engine_->ssl, &state->session) == 0)
    session_ = TlsSession(std::move(state));
}

void MbedtlsFlow::on_handshake_timeout() {
  handshake_timer_ = {};
  if (!handshake_done_ && !failure_ && !closed_)
    (void)fail_flow({Errc::timed_out, "TLS: the handshake timed out", 0});
}

// --- Failing and closing -----------------------------------------------------

std::unexpected<Error> MbedtlsFlow::engine_failure(int code) {
  if (inner_error_) return fail_flow(*inner_error_);
  if (code == MBEDTLS_ERR_SSL_CONN_EOF)
    return fail_flow(
        {Errc::closed, "TLS: the peer closed the connection during the handshake", code});
  if (code == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED || code == MBEDTLS_ERR_SSL_BAD_CERTIFICATE)
    return fail_flow(verification_error(mbedtls_ssl_get_verify_result(&engine_->ssl), code));
  return fail_flow(tls::mbedtls_error(code, "TLS: the connection failed"));
}

std::unexpected<Error> MbedtlsFlow::fail_flow(Error error) {
  if (!failure_) failure_ = error;
  release();
  post_wakeups();
  return std::unexpected(*failure_);
}

// Frees the mbedTLS state and closes the inner flow, after one last attempt
// to send what the engine queued (an alert, a close_notify).
void MbedtlsFlow::release() {
  loop_.cancel_timer(handshake_timer_);
  handshake_timer_ = {};
  if (engine_) {
    (void)flush_ciphertext();
    engine_.reset();
  }
  ciphertext_.clear();
  ciphertext_sent_ = 0;
  read_ahead_.reset();
  read_ahead_size_ = read_ahead_taken_ = 0;
  inner_->close();
  inner_readable_armed_ = inner_writable_armed_ = false;
}

void MbedtlsFlow::close() {
  if (closed_) return;
  closed_ = true;
  read_wakeup_ = nullptr;
  write_wakeup_ = nullptr;
  if (engine_ && handshake_done_) send_close_notify();
  release();
}

Result<void> MbedtlsFlow::shutdown_write() {
  if (closed_) return paf::fail(Errc::closed, "TLS: flow closed");
  if (failure_) return std::unexpected(*failure_);
  write_shut_ = true;
  if (!handshake_done_) return {};  // sent once the handshake is done
  send_close_notify();
  if (auto flushed = flush_ciphertext(); !flushed) return std::unexpected(flushed.error());
  finish_write_side();
  update_inner_wakeups();
  return {};
}

void MbedtlsFlow::send_close_notify() {
  if (close_notify_sent_) return;
  close_notify_sent_ = true;
  (void)mbedtls_ssl_close_notify(&engine_->ssl);  // only queues: the transport never blocks
}

// Once the close_notify has left, the inner flow's write side ends too.
void MbedtlsFlow::finish_write_side() {
  if (!close_notify_sent_ || inner_write_shut_ || queued_ciphertext() != 0 || write_error_) return;
  inner_write_shut_ = true;
  (void)inner_->shutdown_write();
}

// --- Moving bytes ------------------------------------------------------------

// Takes every byte: what the inner flow does not take at once waits in
// ciphertext_. Nothing waiting, a record goes straight from mbedTLS's buffer,
// without a copy into ours.
int MbedtlsFlow::transport_send(Bytes bytes) {
  const int size = static_cast<int>(bytes.size());
  if (queued_ciphertext() == 0 && !write_error_ && !inner_write_shut_) {
    auto written = inner_->write(bytes);
    if (written) {
      bytes = bytes.subspan(*written);
    } else if (written.error().code != Errc::would_block) {
      write_error_ = written.error();  // reported by the next writev, as flush_ciphertext does
      return size;
    }
  }
  if (!bytes.empty()) ciphertext_.append(bytes);
  return size;
}

int MbedtlsFlow::transport_receive(MutableBytes buffer) {
  if (read_ahead_taken_ == read_ahead_size_) {
    // Empty: a large request is read in place; a small one (a record's
    // header, a small record) reads ahead as much as has arrived.
    const bool in_place = buffer.size() >= kReadAhead;
    if (!in_place && !read_ahead_) read_ahead_ = std::make_unique_for_overwrite<std::uint8_t[]>(kReadAhead);
    auto received = inner_->read(in_place ? buffer : MutableBytes(read_ahead_.get(), kReadAhead));
    read_ahead_size_ = in_place || !received ? 0 : *received;
    read_ahead_taken_ = 0;
    if (!received) {
      read_ahead_.reset();  // an idle connection holds no read-ahead storage
      if (received.error().code == Errc::would_block) return MBEDTLS_ERR_SSL_WANT_READ;
      inner_error_ = received.error();
      return kInnerFlowFailed;
    }
    if (in_place || *received == 0)
      return static_cast<int>(*received);  // 0: the inner stream ended
  }
  std::size_t n = std::min(buffer.size(), read_ahead_size_ - read_ahead_taken_);
  std::memcpy(buffer.data(), read_ahead_.get() + read_ahead_taken_, n);
  read_ahead_taken_ += n;
  return static_cast<int>(n);
}

// Whether the read-ahead holds a whole record (RFC 8446 §5.1: a 5-byte header
// whose last two bytes are the length): the engine can make progress on it
// without the inner flow, which may never become readable again.
bool MbedtlsFlow::holds_whole_record() const {
  std::size_t held = read_ahead_size_ - read_ahead_taken_;
  if (held < 5) return false;
  const std::uint8_t* header = read_ahead_.get() + read_ahead_taken_;
  return held >= 5 + (std::size_t{header[3]} << 8 | header[4]);
}

Result<void> MbedtlsFlow::flush_ciphertext() {
  if (write_error_) {
    ciphertext_.clear();
    ciphertext_sent_ = 0;
    return std::unexpected(*write_error_);
  }
  while (queued_ciphertext() > 0) {
    auto written = inner_->write(ciphertext_.bytes().subspan(ciphertext_sent_));
    if (!written && written.error().code == Errc::would_block) break;
    if (!written) {
      write_error_ = written.error();
      ciphertext_.clear();
      ciphertext_sent_ = 0;
      return std::unexpected(*write_error_);
    }
    ciphertext_sent_ += *written;
  }
  compact_ciphertext();
  return {};
}

void MbedtlsFlow::compact_ciphertext() {
  if (ciphertext_sent_ == ciphertext_.size()) {
    ciphertext_.clear();
    ciphertext_sent_ = 0;
  } else if (ciphertext_sent_ >= kCiphertextHighWater) {
    Buffer rest(ciphertext_.bytes().subspan(ciphertext_sent_));
    ciphertext_ = std::move(rest);
    ciphertext_sent_ = 0;
  }
}

Result<std::size_t> MbedtlsFlow::read(MutableBytes buffer) {
  if (closed_) return paf::fail(Errc::closed, "TLS: flow closed");
  if (failure_) return std::unexpected(*failure_);
  if (buffer.empty()) return paf::fail(Errc::invalid_argument, "TLS: read into an empty buffer");
  if (end_of_stream_) return 0;
  if (!handshake_done_) {
    if (auto driven = drive_handshake(); !driven) {
      update_inner_wakeups();
      return std::unexpected(driven.error());
    }
  }
  auto read = read_plaintext(buffer);
  update_inner_wakeups();
  return read;
}

Result<std::size_t> MbedtlsFlow::read_plaintext(MutableBytes buffer) {
  for (;;) {
    int code = mbedtls_ssl_read(&engine_->ssl, buffer.data(), buffer.size());
    (void)flush_ciphertext();  // a write failure is writev's to report
    if (code > 0) return static_cast<std::size_t>(code);
    if (code == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
      end_of_stream_ = true;
      return 0;
    }
    if (code == MBEDTLS_ERR_SSL_WANT_READ || code == MBEDTLS_ERR_SSL_WANT_WRITE)
      return paf::fail(Errc::would_block, "TLS: nothing to read yet");
    if (code == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
      save_session();
      continue;
    }
    if (code == 0 && !inner_error_)
      return fail_flow({Errc::closed, "TLS: the peer ended the stream without close_notify", 0});
    return engine_failure(code);
  }
}

Result<std::size_t> MbedtlsFlow::writev(std::span<const Bytes> buffers) {
  if (closed_) return paf::fail(Errc::closed, "TLS: flow closed");
  if (failure_) return std::unexpected(*failure_);
  if (write_shut_) return paf::fail(Errc::closed, "TLS: write side shut down");
  if (write_error_) return std::unexpected(*write_error_);
  std::size_t total = 0;
  for (Bytes buffer : buffers) total += buffer.size();
  if (total == 0) return 0;
  if (!handshake_done_) {
    if (auto driven = drive_handshake(); !driven) {
      update_inner_wakeups();
      return std::unexpected(driven.error());
    }
  }
  if (auto flushed = flush_ciphertext(); !flushed) return std::unexpected(flushed.error());
  auto taken = encrypt(buffers);
  if (taken && *taken > 0) (void)flush_ciphertext();  // an error shows on the next writev
  update_inner_wakeups();
  if (taken && *taken == 0) return paf::fail(Errc::would_block, "TLS: the inner flow is full");
  return taken;
}

// Encrypts buffers while less than kCiphertextHighWater waits, in records as
// full as the buffers allow. A buffer that fills a record at a record's start
// goes to mbedTLS as it is; smaller pieces (an HTTP/1 head, HTTP/2 frame
// headers and the data after them) are copied together into whole records:
// a record costs a seal here and an open at the peer, more than the copy of
// its bytes, and HTTP/2's 9-byte frame headers would otherwise double the
// records of a bulk transfer.
Result<std::size_t> MbedtlsFlow::encrypt(std::span<const Bytes> buffers) {
  int max_payload = mbedtls_ssl_get_max_out_record_payload(&engine_->ssl);
  if (max_payload < 0) return engine_failure(max_payload);
  const std::size_t record =
      std::min<std::size_t>(static_cast<std::size_t>(max_payload), kLargestPlaintextRecord);
  // On the stack: a record being assembled holds no memory between writes.
  std::uint8_t staged[kLargestPlaintextRecord];
  std::size_t staged_size = 0;
  std::size_t taken = 0;
  std::size_t next = 0;
  std::size_t offset = 0;  // bytes of buffers[next] already taken
  while (next < buffers.size()) {
    Bytes rest = buffers[next].subspan(offset);
    if (rest.empty()) {
      ++next;
      offset = 0;
      continue;
    }
    if (staged_size == 0) {
      if (queued_ciphertext() >= kCiphertextHighWater) break;
      if (rest.size() >= record) {
        int written = write_plaintext(rest.first(record));
        if (written < 0) return engine_failure(written);
        offset += static_cast<std::size_t>(written);
        taken += static_cast<std::size_t>(written);
        continue;
      }
    }
    std::size_t n = std::min(rest.size(), record - staged_size);
    std::memcpy(staged + staged_size, rest.data(), n);
    staged_size += n;
    offset += n;
    if (staged_size == record) {
      if (auto sealed = write_records({staged, staged_size}); !sealed)
        return std::unexpected(sealed.error());
      taken += staged_size;
      staged_size = 0;
    }
  }
  if (staged_size > 0) {
    if (auto sealed = write_records({staged, staged_size}); !sealed)
      return std::unexpected(sealed.error());
    taken += staged_size;
  }
  return taken;
}

// Encrypts all of `plaintext`, whatever waits: the transport never blocks.
Result<void> MbedtlsFlow::write_records(Bytes plaintext) {
  while (!plaintext.empty()) {
    int written = write_plaintext(plaintext);
    if (written < 0) return engine_failure(written);
    plaintext = plaintext.subspan(static_cast<std::size_t>(written));
  }
  return {};
}

// mbedtls_ssl_write, which also reads what the peer sent after the handshake
// when it must: a TLS 1.3 server's NewSessionTicket is saved, as read() saves
// it, and the write goes on (it is no failure of the flow).
int MbedtlsFlow::write_plaintext(Bytes plaintext) {
  for (;;) {
    int written = mbedtls_ssl_write(&engine_->ssl, plaintext.data(), plaintext.size());
    if (written != MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) return written;
    save_session();
  }
}

// --- Wakeups -----------------------------------------------------------------

bool MbedtlsFlow::read_ready() const {
  if (failure_ || end_of_stream_) return true;
  if (!handshake_done_ || !engine_) return false;
  // Plaintext or whole records mbedTLS already holds: the inner flow may
  // never become readable again for them.
  return mbedtls_ssl_get_bytes_avail(&engine_->ssl) > 0 ||
         mbedtls_ssl_check_pending(&engine_->ssl) || holds_whole_record();
}

// Once the write side is shut, "writable" means everything queued has gone
// (write_pending() turned false), which is what a closing runtime waits for.
bool MbedtlsFlow::write_ready() const {
  if (failure_ || write_error_) return true;
  if (write_shut_) return queued_ciphertext() == 0;
  return handshake_done_ && queued_ciphertext() < kCiphertextHighWater;
}

void MbedtlsFlow::when_readable(Function<void()> wakeup) {
  if (closed_) return;
  read_wakeup_ = std::move(wakeup);
  if (failure_) post_wakeups();
  update_inner_wakeups();
}

void MbedtlsFlow::when_writable(Function<void()> wakeup) {
  if (closed_) return;
  write_wakeup_ = std::move(wakeup);
  if (failure_) post_wakeups();
  update_inner_wakeups();
}

// Called after every change of state, so that no wakeup is forgotten: posts
// the pending wakeups that are due (a writer waiting on the handshake, once
// it is done), and arms the inner flow's wakeups for what is waited on: its
// bytes, while a reader waits (or a writer, during the handshake); its room,
// while ciphertext waits to drain.
void MbedtlsFlow::update_inner_wakeups() {
  if (closed_ || failure_) return;
  if ((read_wakeup_ && read_ready()) || (write_wakeup_ && write_ready())) post_wakeups();
  bool want_bytes = (read_wakeup_ && !read_ready()) || (write_wakeup_ && !handshake_done_);
  if (want_bytes && !inner_readable_armed_) {
    inner_readable_armed_ = true;
    inner_->when_readable([this] {
      inner_readable_armed_ = false;
      fire_wakeups(true, !handshake_done_);
    });
  }
  if (queued_ciphertext() > 0 && !write_error_ && !inner_writable_armed_) {
    inner_writable_armed_ = true;
    inner_->when_writable([this] {
      inner_writable_armed_ = false;
      on_inner_writable();
    });
  }
}

void MbedtlsFlow::on_inner_writable() {
  (void)flush_ciphertext();
  finish_write_side();
  fire_wakeups(false, write_ready());
}

// Wakeups due now are delivered from the loop, never from within a call.
void MbedtlsFlow::post_wakeups() {
  if (wakeups_posted_) return;
  wakeups_posted_ = true;
  loop_.post([alive = anchor_.ref()] {
    MbedtlsFlow* self = alive.get();
    if (self == nullptr) return;
    self->wakeups_posted_ = false;
    self->fire_wakeups(self->read_ready(), self->write_ready());
  });
}

// Calls the pending wakeups chosen; either may destroy the flow.
void MbedtlsFlow::fire_wakeups(bool readable, bool writable) {
  Anchor<MbedtlsFlow>::Ref alive = anchor_.ref();
  if (readable) {
    fire_once(read_wakeup_);
    if (!alive) return;
  }
  if (writable) {
    fire_once(write_wakeup_);
    if (!alive) return;
  }
  update_inner_wakeups();
}

}  // namespace paf
