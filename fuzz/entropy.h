// The platform's entropy (paf_entropy of paf/platform.h) in the fuzz
// targets: one fixed sequence, restarted for every input, so that what lwIP
// draws (TCP sequence numbers, ports, DHCP and DNS ids) repeats exactly.
#ifndef PAF_FUZZ_ENTROPY_H
#define PAF_FUZZ_ENTROPY_H

namespace paf::fuzz {

// Starts the sequence again.
void restart_entropy();

}  // namespace paf::fuzz

#endif
