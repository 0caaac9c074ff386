# The two commands of README.md. Both install what is missing, configure and build.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: all deps configure build run test bench clean

all: build

deps:
	@packaging/install-deps.sh

configure: deps
	@test -f $(BUILD_DIR)/build.ninja || cmake --preset default -B $(BUILD_DIR)

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# Starts the sync server's binary on the bundled demo organisation; until the
# HTTP server lands (issue 4) that is `validate` over the demo, followed by an
# ingest of it into a SQLite store whose counts are printed.
run: build
	@$(BUILD_DIR)/server/greenroom-server validate resources/demo
	@$(BUILD_DIR)/server/greenroom-server ingest --db $(BUILD_DIR)/demo.sqlite resources/demo/catalog-info.yaml

test: build
	@cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j $(JOBS)

bench: build
	@$(BUILD_DIR)/tests/bench/bench_ingest $(BENCH_SIZES)

clean:
	@rm -rf $(BUILD_DIR)
