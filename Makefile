# paf — the two commands are `make run` and `make test`; both set up what they need.
#
#   make test    install missing Debian packages, fetch dependency sources, build
#                the hosted and the freestanding targets, run every test
#   make run     boot the demo unikernel (hello.elf) under QEMU, serving on 127.0.0.1
#   make bench   benchmarks against peers (side by side, one run)
#   make cert    a self-signed localhost certificate for paf-server --https, in $(BUILD)/cert
#   make image   the freestanding build alone (images included: unikernel/hello/hello.elf)
#   make clean   remove build/ (fetched sources in third_party/ stay)
#
# Variables: BUILD (build root, default build), JOBS, CTEST_ARGS (e.g. -R h1),
#            SANITIZE=1 (hosted build with ASan+UBSan, in build/host-sanitize).

BUILD      ?= build
JOBS       ?= $(shell nproc)
CTEST_ARGS ?=
HOST_DIR   := $(BUILD)/host$(if $(SANITIZE),-sanitize)
FS_DIR     := $(BUILD)/freestanding
GENERATOR  := $(if $(shell command -v ninja),Ninja,Unix Makefiles)

.PHONY: all setup deps host freestanding image test run bench cert clean

all: host freestanding

setup:
	@tools/install-build-deps

deps: setup
	@tools/fetch-deps

$(HOST_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(HOST_DIR) -G "$(GENERATOR)" \
	  -DPAF_FREESTANDING_BINARY_DIR=$(abspath $(FS_DIR)) $(if $(SANITIZE),-DPAF_SANITIZE=ON)

$(FS_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(FS_DIR) -G "$(GENERATOR)" \
	  -DPAF_FREESTANDING=ON -DCMAKE_TOOLCHAIN_FILE=$(abspath cmake/freestanding.cmake)

host: deps $(HOST_DIR)/CMakeCache.txt
	cmake --build $(HOST_DIR) -j $(JOBS)

freestanding: deps $(FS_DIR)/CMakeCache.txt
	cmake --build $(FS_DIR) -j $(JOBS)

image: freestanding

test: host freestanding
	ctest --test-dir $(HOST_DIR) --output-on-failure -j $(JOBS) $(CTEST_ARGS)

run: image
	@CERT_DIR=$(BUILD)/cert tools/run-image $(FS_DIR)/unikernel/hello/hello.elf

bench: host
	@tools/bench/run $(HOST_DIR)

cert:
	@tools/make-test-cert $(BUILD)/cert

clean:
	rm -rf $(BUILD)
