// What paf-client and paf-stress share: the curl-like options that shape a
// request and how it reaches the server (-X, -H, --data, --data-binary, -k,
// --cacert, --http1.1, --http2, --http2-prior-knowledge, --unix-socket,
// --net tap:IFACE, --net-config WORDS), and the Mimic context (host
// protocols, or lwIP's on the TAP interface; TLS) and client config they make.
#ifndef PAF_TOOLS_REQUEST_OPTIONS_H
#define PAF_TOOLS_REQUEST_OPTIONS_H

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lwip_network.h"
#include "paf/client.h"
#include "paf/http.h"
#include "paf/mimic.h"
#include "paf/posix/epoll_loop_backend.h"
#include "paf/tls.h"

namespace paf::tools {

struct RequestOptions {
  std::optional<std::string> method;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> data;
  bool insecure = false;
  std::optional<std::string> cacert;
  enum class Http { any, http1_1, http2, prior_knowledge } http = Http::any;
  std::optional<std::string> unix_socket;
  NetOptions net;  // --net tap:IFACE: paf's lwIP there instead of the host's sockets

  // Whether the options contradict each other (--unix-socket with --net).
  bool conflicting() const { return unix_socket && net.tap_interface; }

  // -X if given, else POST with data and GET without.
  Method request_method() const;
  // -H's fields, and a form content type for data that has none.
  Headers request_headers() const;
};

enum class OptionParse {
  not_mine,    // not one of RequestOptions': the tool's own, or bad usage
  taken,       // parsed (with its value, argv[i] is now the value)
  bad_usage,   // a missing or malformed value (said on stderr for -X)
  unreadable,  // --data-binary @FILE that cannot be read (said on stderr)
};

// Parses argv[i] if it is one of RequestOptions' options; `short_data` is
// the tool's short name for --data ("-d" for paf-client), `tool` names the
// program in messages.
OptionParse parse_request_option(int argc, char** argv, int& i, RequestOptions& options,
                                 std::string_view short_data, const char* tool);

bool read_file(const std::string& path, std::string& contents);
// A non-negative number of seconds (fractions allowed).
bool parse_seconds(std::string_view text, double& seconds);
std::string_view tls_version_name(TlsVersion version);

// The TLS client config the options ask for (whom to trust, the ALPN offer),
// or the exit status of a failure said on stderr: 77 an unreadable CA
// bundle, 35 a config TLS refused.
std::expected<TlsConfig, int> client_tls(const RequestOptions& options, const char* tool);

// Mimic's host protocols on `backend` with `tls`, through the Unix socket
// if one was given.
mimic::Ctx host_context(const RequestOptions& options, posix::EpollLoopBackend& backend,
                        const TlsConfig& tls);

// Where the options' requests go: with --net, lwIP started on its TAP
// interface (into `network`, which must outlive the context) and Mimic's
// protocols over it, else host_context's. Nothing, said on stderr, if the
// stack cannot start or get its address.
std::optional<mimic::Ctx> request_context(const RequestOptions& options, Loop& loop,
                                          posix::EpollLoopBackend& backend, const TlsConfig& tls,
                                          std::optional<LwipNetwork>& network, const char* tool);

// h2c by prior knowledge as the options say; the rest is ClientConfig's.
ClientConfig client_config(const RequestOptions& options);

}  // namespace paf::tools

#endif
