# paf — the two commands are `make run` and `make test`; both set up what they need.
#
#   make test    install missing Debian packages, fetch dependency sources, build
#                the hosted and the freestanding targets, run every test
#   make run     boot the demo unikernel (hello.elf) under QEMU, serving on 127.0.0.1
#   make run-fetch URLS='http://10.0.2.2:8080/ ...'  boot the client unikernel
#                (fetch.elf): it fetches the URLs (the host is 10.0.2.2) and exits;
#                https trusts CA_BUNDLE (default: make cert's, also make run's)
#   make bench   benchmarks against peers (side by side, one run)
#   make soak    10 minutes of mixed traffic against paf-server, then against the
#                image (SOAK_SECONDS; SOAK_TARGET=hosted|image|both): no error,
#                and memory (RSS; the image's heap and its high-water mark) flat
#                after the first minute
#   make cert    a self-signed localhost certificate for paf-server --https, in $(BUILD)/cert
#   make image   the freestanding build alone (images included: unikernel/hello/hello.elf, unikernel/fetch/fetch.elf)
#   make fuzz    build the fuzz targets (clang, ASan+UBSan, libFuzzer) and run each
#                for FUZZ_SECONDS on its corpus (FUZZ_TARGETS: some only)
#   make fuzz-seeds  rewrite the committed seed corpora (fuzz/corpus) from the engines,
#                and the regression tests' inputs (fuzz/regressions)
#   make clean   remove build/ (fetched sources in third_party/ stay)
#
# Variables: BUILD (build root, default build), JOBS, CTEST_ARGS (e.g. -R h1),
#            SANITIZE=1 (hosted build with ASan+UBSan, in build/host-sanitize),
#            FUZZ_SECONDS (default 60), FUZZ_TARGETS (default: all of fuzz/targets.txt),
#            FUZZ_CLOCK=cpu (FUZZ_SECONDS of each target's own CPU time, not wall time).

BUILD      ?= build
JOBS       ?= $(shell nproc)
CTEST_ARGS ?=
HOST_DIR   := $(BUILD)/host$(if $(SANITIZE),-sanitize)
FS_DIR     := $(BUILD)/freestanding
FUZZ_DIR   := $(BUILD)/fuzz
# Debian 12's clang 14 cannot compile paf's C++23 (std::expected of
# libstdc++ 12 needs __cpp_concepts 202002L); bookworm's clang-19 can.
FUZZ_CC    ?= clang-19
FUZZ_CXX   ?= clang++-19
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
FUZZ_CLOCK ?= wall
GENERATOR  := $(if $(shell command -v ninja),Ninja,Unix Makefiles)

.PHONY: all setup deps host freestanding image fuzz-build fuzz fuzz-seeds test run run-fetch bench soak cert clean

all: host freestanding

setup:
	@tools/install-build-deps

deps: setup
	@tools/fetch-deps

# Configured again when this file changes (a new -D reaches an existing tree).
$(HOST_DIR)/CMakeCache.txt: Makefile | deps
	cmake -S . -B $(HOST_DIR) -G "$(GENERATOR)" \
	  -DPAF_FREESTANDING_BINARY_DIR=$(abspath $(FS_DIR)) -DPAF_FUZZ_BINARY_DIR=$(abspath $(FUZZ_DIR)) \
	  $(if $(SANITIZE),-DPAF_SANITIZE=ON)

$(FS_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(FS_DIR) -G "$(GENERATOR)" \
	  -DPAF_FREESTANDING=ON -DCMAKE_TOOLCHAIN_FILE=$(abspath cmake/freestanding.cmake)

$(FUZZ_DIR)/CMakeCache.txt: | deps
	CC=$(FUZZ_CC) CXX=$(FUZZ_CXX) cmake -S . -B $(FUZZ_DIR) -G "$(GENERATOR)" -DPAF_FUZZ=ON

host: deps $(HOST_DIR)/CMakeCache.txt
	cmake --build $(HOST_DIR) -j $(JOBS)

freestanding: deps $(FS_DIR)/CMakeCache.txt
	cmake --build $(FS_DIR) -j $(JOBS)

image: freestanding

fuzz-build: deps $(FUZZ_DIR)/CMakeCache.txt
	cmake --build $(FUZZ_DIR) -j $(JOBS)

fuzz: fuzz-build
	@FUZZ_CLOCK=$(FUZZ_CLOCK) fuzz/run $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-seeds: fuzz-build
	$(FUZZ_DIR)/fuzz/make_seeds fuzz/corpus fuzz/regressions

test: host freestanding fuzz-build
	ctest --test-dir $(HOST_DIR) --output-on-failure -j $(JOBS) $(CTEST_ARGS)

run: image
	@CERT_DIR=$(BUILD)/cert tools/run-image $(FS_DIR)/unikernel/hello/hello.elf

URLS      ?=
CA_BUNDLE ?= $(BUILD)/cert/localhost.pem
run-fetch: image
	@test -n "$(URLS)" || { echo "make run-fetch: say which, e.g. URLS='http://10.0.2.2:8080/'" >&2; exit 2; }
	@CERT_DIR=$(BUILD)/cert APPEND="$(URLS)" CA_BUNDLE="$(CA_BUNDLE)" tools/run-image $(FS_DIR)/unikernel/fetch/fetch.elf

bench: host freestanding
	@tools/bench/run $(HOST_DIR) $(FS_DIR)/unikernel/hello/hello.elf

soak: host freestanding
	@tools/soak/soak.sh $(HOST_DIR) $(FS_DIR)

cert:
	@tools/make-test-cert $(BUILD)/cert

clean:
	rm -rf $(BUILD)
