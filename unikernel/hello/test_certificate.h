// The self-signed test certificate (localhost, 127.0.0.1) and its key that
// hello.elf serves HTTPS with when fw_cfg gives it no opt/paf/cert.pem and
// opt/paf/key.pem. Made by tools/make-test-cert when the image is built and
// compiled in (embed-test-cert.cmake): a throwaway pair, for trying the image
// out and for tests, never committed and never for production.
#ifndef PAF_UNIKERNEL_HELLO_TEST_CERTIFICATE_H
#define PAF_UNIKERNEL_HELLO_TEST_CERTIFICATE_H

namespace paf::demo {

extern const char kTestCertificatePem[];
extern const char kTestKeyPem[];

}  // namespace paf::demo

#endif
