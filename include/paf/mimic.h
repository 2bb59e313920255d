// Mimic: how a client finds a connected Flow from what it knows, without
// knowing which transport will carry it (paf-le-chien's Mimic).
//
// A context (Ctx) is an immutable map from typed keys to values: a host, a
// port, a Unix socket path, a TLS configuration. Protocols are registered in
// the context too, each with the keys it needs, a priority and a way to
// connect from their values. resolve() tries, in priority order, every
// protocol whose keys the context holds, and reports the first Flow that
// connects, or every attempt and why it failed. Derivations (Mimic's fold)
// run first and add values from others: name resolution turns keys::host
// into keys::addresses, which the TCP protocols use.
//
//   paf::mimic::Ctx ctx = paf::posix::with_host_protocols({}, backend);   // dns, unix, tcp, tls
//   ctx = ctx.with(paf::mimic::keys::tls, tls_client_config);
//   auto uri = paf::Uri::parse("https://example.com/");
//   auto target = paf::mimic::with_uri(ctx, *uri);                        // TLS from the scheme
//   auto resolving = paf::mimic::resolve(*target, loop, [](paf::mimic::Resolution r) {
//     if (!r) return log(r.error().describe());  // "dns: …; tls+tcp: …"
//     use(std::move(r->flow), r->protocol, r->secure ? r->secure->alpn() : "");
//   });                                                  // resolving.cancel() stops it
//
// Everything runs on the loop and nothing blocks it. Freestanding: the host's
// protocols (TCP, Unix sockets, DNS through c-ares) are in
// paf/posix/mimic.h; those over paf's lwIP Stack are here.
#ifndef PAF_MIMIC_H
#define PAF_MIMIC_H

#include <cstdint>
#include <expected>
#include <initializer_list>
#include <memory>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "paf/buffer.h"
#include "paf/flow.h"
#include "paf/function.h"
#include "paf/loop.h"
#include "paf/net.h"
#include "paf/result.h"
#include "paf/secure_flow.h"
#include "paf/tls.h"
#include "paf/uri.h"

namespace paf::mimic {

// A key's identity is its address: define keys with static storage duration
// (`inline const paf::mimic::Key<Buffer> my_key{"my-key"};`), never copied.
// The name is for reports and error messages only.
class KeyBase {
 public:
  KeyBase(const KeyBase&) = delete;
  KeyBase& operator=(const KeyBase&) = delete;
  std::string_view name() const { return name_; }

 protected:
  explicit constexpr KeyBase(std::string_view name) : name_(name) {}
  ~KeyBase() = default;

 private:
  std::string_view name_;
};

// A key whose values are of type T (copyable).
template <typename T>
class Key final : public KeyBase {
 public:
  explicit constexpr Key(std::string_view name) : KeyBase(name) {}
};

struct Protocol;
struct Derivation;

// The immutable map. Copies are cheap (shared, persistent lists); with(),
// without() and the registrations return a new context and leave this one
// as it was.
class Ctx {
 public:
  Ctx() = default;

  // This context with `key` bound to `value` (replacing an earlier binding).
  // The key alone names the type: `ctx.with(keys::port, 8080)`.
  template <typename T>
  Ctx with(const Key<T>& key, std::type_identity_t<T> value) const {
    return with_entry(key, std::make_shared<const T>(std::move(value)));
  }
  // This context without a binding for `key`.
  Ctx without(const KeyBase& key) const { return with_entry(key, nullptr); }
  // The value bound to `key`, or null. Valid as long as a context holding it.
  template <typename T>
  const T* find(const Key<T>& key) const {
    return static_cast<const T*>(find_entry(key));
  }
  bool contains(const KeyBase& key) const { return find_entry(key) != nullptr; }

  Ctx with_protocol(Protocol protocol) const;
  Ctx with_derivation(Derivation derivation) const;

  // The registrations, protocols in the order resolve() tries them (by
  // priority, then as registered), derivations as registered.
  std::vector<const Protocol*> protocols() const;
  std::vector<const Derivation*> derivations() const;

 private:
  struct Entry;
  template <typename Item>
  struct Registration;

  Ctx with_entry(const KeyBase& key, std::shared_ptr<const void> value) const;
  const void* find_entry(const KeyBase& key) const;

  std::shared_ptr<const Entry> entries_;
  std::shared_ptr<const Registration<Protocol>> protocols_;
  std::shared_ptr<const Registration<Derivation>> derivations_;
};

// What a protocol reports once connected.
struct Connected {
  std::unique_ptr<Flow> flow;
  // The same flow as a SecureFlow when it is TLS (ALPN's choice:
  // secure->alpn()), else null. Owned by `flow`.
  SecureFlow* secure = nullptr;
  // The name of the protocol that connected ("tcp", "tls+tcp").
  std::string_view protocol;
};

// A step under way (a connection attempt, a name lookup): destroying it stops
// it, releases what it holds, and its callback is then never called.
class Pending {
 public:
  virtual ~Pending() = default;
};

// How a protocol connects from a context's values: starts, and calls `done`
// once, from the loop (never from within connect), unless the Pending it
// returns is destroyed first. Fails at once when it cannot even start.
using Connect = Function<Result<std::unique_ptr<Pending>>(
    const Ctx& ctx, Loop& loop, Function<void(Result<Connected>)> done) const>;

struct Protocol {
  std::string_view name;  // static text: "tcp", "unix", "tls+tcp"
  // Lower first; equal priorities in the order registered.
  int priority = 0;
  // Tried only when the context holds every key of `needs` and none of
  // `unless` (plain TCP steps aside when the context asks for TLS).
  std::vector<const KeyBase*> needs;
  std::vector<const KeyBase*> unless;
  Connect connect;
};

// A derivation (Mimic's fold): adds a value computed from others before any
// protocol is tried, asynchronously — name resolution is one.
using Derive = Function<Result<std::unique_ptr<Pending>>(const Ctx& ctx, Loop& loop,
                                                         Function<void(Result<Ctx>)> done) const>;

struct Derivation {
  std::string_view name;  // static text: "dns"
  // Runs when the context holds every key of `needs` and not yet `gives`;
  // `done` receives the context with `gives` added. Derivations run in the
  // order registered, so one may feed the next.
  std::vector<const KeyBase*> needs;
  const KeyBase* gives = nullptr;
  Derive derive;
};

// The keys paf's own protocols and with_uri() use.
namespace keys {
// A host name or an IP literal ("example.com", "10.0.0.1", "::1").
inline const Key<Buffer> host{"host"};
// The TCP port to connect to.
inline const Key<std::uint16_t> port{"port"};
// Numeric IP addresses to connect to ("10.0.0.1", "::1"), in the order to try
// them: given, or derived from `host` by name resolution.
inline const Key<std::vector<Buffer>> addresses{"addresses"};
// A Unix domain socket's path (on a host).
inline const Key<Buffer> unix_path{"unix-path"};
// Connect with TLS, configured so (trust, ALPN offer): the plain protocols
// step aside when it is present.
inline const Key<TlsConfig> tls{"tls"};
// The name TLS sends as SNI and verifies the certificate against; `host`
// when absent.
inline const Key<Buffer> tls_server_name{"tls-server-name"};
// How long each step (a derivation, a protocol's attempt) may take, ns.
// Default: kDefaultStepTimeout.
inline const Key<std::uint64_t> step_timeout{"step-timeout"};
}  // namespace keys

inline constexpr std::uint64_t kDefaultStepTimeout = seconds(10);

// One step that failed, and why.
struct Attempt {
  std::string_view name;  // the protocol's or derivation's
  Error error;
};

struct ResolveFailure {
  // Every step tried, in order, and why it failed; empty when no protocol
  // had its keys in the context.
  std::vector<Attempt> attempts;
  // The last attempt's error, or not_supported when nothing was tried.
  Error error;
  // For a person: "unix: connect: no such file or directory; tcp: connection refused",
  // or which keys each protocol lacked.
  Buffer description;
  std::string_view describe() const { return description.view(); }
};

using Resolution = std::expected<Connected, ResolveFailure>;

// A resolve under way: cancel() or destruction stops every step and the
// callback is never called. Moving it keeps the resolve going.
class Resolving {
 public:
  class State;  // in src/mimic
  Resolving();
  explicit Resolving(std::unique_ptr<State> state);
  Resolving(Resolving&&) noexcept;
  Resolving& operator=(Resolving&&) noexcept;
  ~Resolving();

  void cancel();
  // Whether the callback is still to come.
  bool pending() const;

 private:
  std::unique_ptr<State> state_;
};

// Runs the context's derivations, then tries its protocols in order (see
// Ctx::protocols()), each bounded by keys::step_timeout, and calls `done`
// once, from the loop, with the first connection made or with every failure.
// A derivation's failure is reported and resolving goes on without its value.
Resolving resolve(const Ctx& ctx, Loop& loop, Function<void(Resolution)> done);

// The context for a request to `uri`: keys::host (and keys::addresses for an
// IP literal), keys::port, and for https keys::tls_server_name; for http,
// keys::tls is removed, so TCP is plain. Fails for https when the context
// holds no keys::tls (the configuration to trust servers with is the
// application's to choose).
Result<Ctx> with_uri(const Ctx& ctx, const Uri& uri);

// --- Building blocks for protocols -------------------------------------------

// Waits for a flow whose connect is under way (its first when_writable comes
// when it is up or has failed) and calls `done` with it, or with why it failed.
std::unique_ptr<Pending> await_connected(std::unique_ptr<Flow> flow,
                                         Function<void(Result<std::unique_ptr<Flow>>)> done);

// How TCP tries several addresses (RFC 8305, Happy Eyeballs): in order,
// families interleaved (the first address's family first), a new attempt
// started every `attempt_delay` while earlier ones are still pending or at
// once when one fails, each bounded by `attempt_timeout`; the first to connect
// wins and the others are dropped.
struct HappyEyeballs {
  std::uint64_t attempt_delay = milliseconds(250);  // RFC 8305's Connection Attempt Delay
  std::uint64_t attempt_timeout = seconds(5);
};

// Starts connecting to one address (a numeric IP) and port, as
// posix::connect_tcp and Stack::connect do.
using ConnectAddress =
    Function<Result<std::unique_ptr<Flow>>(std::string_view ip, std::uint16_t port) const>;

// A TCP protocol named `name` over `connect_address`: needs keys::addresses
// and keys::port, steps aside for keys::tls.
Protocol tcp_protocol(std::string_view name, int priority, ConnectAddress connect_address,
                      HappyEyeballs options = {});

// TLS over `inner`: needs inner's keys and keys::tls (and does not step aside
// for it, as inner may); connects with inner, then runs a TLS client
// handshake (paf::TlsFlow, bounded by the config's handshake timeout) naming
// keys::tls_server_name, else keys::host. `name` is static text ("tls+tcp").
Protocol tls_over(std::string_view name, Protocol inner);

// --- paf's lwIP stack ----------------------------------------------------------

// TCP over `stack` (Stack::connect), and TLS over it; name resolution with the
// stack's DNS servers (Stack::resolve: one IPv4 address). `stack` must outlive
// the contexts.
Protocol stack_tcp_protocol(Stack& stack, int priority = 20);
Derivation stack_dns(Stack& stack);
// Registers the three: "dns", "tcp", "tls+tcp".
Ctx with_stack_protocols(const Ctx& ctx, Stack& stack);

}  // namespace paf::mimic

#endif
