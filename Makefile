# The two commands of README.md. Both install what is missing, configure and build.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: all deps configure build run serve test bench clean

all: build

deps:
	@packaging/install-deps.sh

configure: deps
	@test -f $(BUILD_DIR)/build.ninja || cmake --preset default -B $(BUILD_DIR)

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# Starts the sync server on its embedded default (the bundled demo organisation
# in a SQLite store in the user's data folder, on http://127.0.0.1:7007) and the
# desktop app connected to it; closing the app stops the server.
# The demo services (made-up data from resources/demo/services on 127.0.0.1:7010)
# stand in for GitHub and the other services the plugins show.
run: build
	@$(BUILD_DIR)/server/greenroom-server validate resources/demo
	@$(BUILD_DIR)/plugins/demo-services/greenroom-demo-services & services=$$!; \
	  $(BUILD_DIR)/server/greenroom-server serve & server=$$!; \
	  trap 'kill $$server $$services 2>/dev/null; wait $$server $$services 2>/dev/null' EXIT INT TERM; \
	  $(BUILD_DIR)/app/greenroom --server http://127.0.0.1:7007 --config resources/demo/desktop-config.yaml $(APP_ARGS)

# The server alone, for headless machines; CONFIG=app-config.yaml to use your own.
serve: build
	@$(BUILD_DIR)/server/greenroom-server serve $(if $(CONFIG),--config $(CONFIG))

test: build
	@cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j $(JOBS)

bench: build
	@packaging/install-bench-deps.sh $(BUILD_DIR)
	@$(BUILD_DIR)/tests/bench/bench_ingest $(BENCH_SIZES)
	@$(BUILD_DIR)/tests/bench/bench_server $(BENCH_SERVER_ARGS)
	@$(BUILD_DIR)/tests/bench/bench_sync_clients $(BENCH_SYNC_ARGS)
	@$(BUILD_DIR)/tests/bench/bench_backstage $(BENCH_BACKSTAGE_ARGS)
	@xvfb-run -a -s "-screen 0 1600x1000x24" $(BUILD_DIR)/tests/bench/bench_desktop $(BENCH_DESKTOP_ARGS)
	@$(BUILD_DIR)/tests/bench/bench_docs $(BENCH_DOCS_PAGES)
	@$(BUILD_DIR)/tests/bench/bench_scaffold
	@$(BUILD_DIR)/tests/bench/bench_github
	@$(BUILD_DIR)/tests/bench/bench_search $(BENCH_SEARCH_ARGS)
	@QTWEBENGINE_DISABLE_SANDBOX=1 xvfb-run -a -s "-screen 0 1600x1000x24" $(BUILD_DIR)/tests/bench/bench_docs_reader $(BENCH_DOCS_PAGES)

clean:
	@rm -rf $(BUILD_DIR)
