// An application of the public contract alone: a handler and a service. The
// install check compiles it with only the installed include/ on the path and
// checks that no dependency's header (mbedTLS, lwIP, nghttp2, llhttp) is read.
#include "paf/service.h"

void hello(paf::Reqd& reqd) { (void)reqd.respond_with_string({200, {}}, "Hello World!"); }

paf::Service make_service() { return paf::http_service(hello, paf::default_error_reply); }
