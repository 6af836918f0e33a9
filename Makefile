# The 42 convention over CMake: `make` builds ./pipex, and does nothing when it is up to date.
NAME      := pipex
BUILD     := build
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX    ?= /usr/local
CMAKE     := cmake
SOURCES   := $(shell find src include -name '*.cpp' -o -name '*.hpp') CMakeLists.txt

all: $(NAME) pipex-audit pipex-check

$(NAME): $(SOURCES)
	$(CMAKE) -S . -B $(BUILD) -DPIPEX_WERROR=ON >/dev/null
	$(CMAKE) --build $(BUILD) --target pipex -j $(JOBS)
	cp $(BUILD)/pipex $(NAME)

pipex-audit: $(SOURCES)
	$(CMAKE) -S . -B $(BUILD) -DPIPEX_WERROR=ON >/dev/null
	$(CMAKE) --build $(BUILD) --target pipex-audit -j $(JOBS)
	cp $(BUILD)/pipex-audit pipex-audit

pipex-check: $(SOURCES)
	$(CMAKE) -S . -B $(BUILD) -DPIPEX_WERROR=ON >/dev/null
	$(CMAKE) --build $(BUILD) --target pipex-check -j $(JOBS)
	cp $(BUILD)/pipex-check pipex-check

# The bonus part of the exercise (several commands, here_doc) is in the same binary.
bonus: $(NAME)

deps:
	bash scripts/install-deps.sh

# The programs, the library and its headers, the CMake package, pipex.pc, the man pages and
# bash completion, under PREFIX (DESTDIR is honoured, as packagers expect).
install: all
	$(CMAKE) --install $(BUILD) --prefix $(PREFIX)

# The library's API reference, from the headers' /// comments: build/api/html/index.html.
docs:
	bash scripts/install-deps.sh doxygen
	$(CMAKE) -S . -B $(BUILD) -DPIPEX_WERROR=ON >/dev/null
	$(CMAKE) --build $(BUILD) --target pipex_docs
	@echo "pipex: the API reference is in $(BUILD)/api/html/index.html"

# build/pipex_VERSION_ARCH.deb: the same files under /usr, as a Debian package.
package: all
	cd $(BUILD) && cpack -G DEB

# Builds pipex and runs it on the sample text shipped in examples/demo, then runs the same
# pipeline under pipex-audit, which follows every process of it.
DEMO_PIPELINE := examples/demo/input.txt "tr -cs 'A-Za-z' '\n'" "tr 'A-Z' 'a-z'" "sort" \
	"uniq -c" "sort -rn" "head -n 5" demo_output.txt
demo: $(NAME) pipex-audit
	./$(NAME) $(DEMO_PIPELINE)
	@echo "pipex: the five most frequent words of examples/demo/input.txt, in demo_output.txt:"
	@cat demo_output.txt
	@echo "pipex-audit: the same run, every process followed (fd leaks, zombies, orphans):"
	./pipex-audit -- ./$(NAME) $(DEMO_PIPELINE)

# Rewrites every C++ source as .clang-format says (make test fails on a file that strays).
format:
	bash scripts/check-format.sh --fix

# The whole test suite, the format checked first, warnings as errors: unit and integration
# tests, valgrind and fuzzing, then the unit and integration tests again under AddressSanitizer
# and UBSan (the benchmarks, smoke-tested in the first build, are not built again).
# .ci/run runs exactly this.
test: deps
	bash scripts/check-format.sh
	$(CMAKE) -S . -B $(BUILD) -DPIPEX_WERROR=ON -DPIPEX_BUILD_TESTS=ON
	$(CMAKE) --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 900
	$(CMAKE) -S . -B $(BUILD)-asan -DPIPEX_WERROR=ON -DPIPEX_BUILD_TESTS=ON -DPIPEX_SANITIZE=ON \
		-DPIPEX_BUILD_BENCHMARKS=OFF
	$(CMAKE) --build $(BUILD)-asan -j $(JOBS)
	cd $(BUILD)-asan && ctest --output-on-failure -j $(JOBS) --timeout 900

# pipex against bash, dash, pipexec and execline, side by side: writes docs/benchmarks.md and
# docs/benchmarks.png (a few minutes; installs the peers with apt-get when they are missing).
bench:
	bash bench/run.sh

# pipex-audit --provenance on real programs of this machine: writes docs/pipex-audit-gallery.md.
gallery: $(NAME) pipex-audit
	bash scripts/audit-gallery.sh

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-bench $(BUILD)-fuzz

fclean: clean
	rm -f $(NAME) pipex-audit pipex-check demo_output.txt

re: fclean all

.PHONY: all bonus deps install package docs demo format test bench gallery clean fclean re
