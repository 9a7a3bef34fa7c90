# memleak: a crash extension for post-mortem memory leak analysis.
#
#   make                 build extension/memleak.so against crash's defs.h
#   make install         install it where "extend memleak.so" finds it
#   make demo            install dependencies, build, make a sample vmcore,
#                        analyse it with crash + memleak
#   make check           unit tests and source checks: no root, no QEMU, no
#                        downloads, seconds
#   make test            unit tests + integration tests on real vmcores (TAP)
#   make test-all        the same on every lab kernel (5.10 .. 7.x); writes
#                        doc/matrix.md
#
# Variables: CRASH_INCLUDE (directory of crash's defs.h), CRASH (the crash
# binary the tests run), CRASH_TARGET (X86_64, ARM64, ... default: this
# machine), PREFIX, DESTDIR, MEMLEAK_CACHE (kernels, fixtures; default
# ~/.cache/memleak), MEMLEAK_KERNELS (kernels the tests use).

CRASH ?= crash
CRASH_INCLUDE ?= /usr/include/crash
PREFIX ?= /usr
DESTDIR ?=
EXTDIR = $(PREFIX)/lib/crash/extensions

ARCH := $(shell uname -m)
CRASH_TARGET ?= $(patsubst armv7l,ARM,$(patsubst x86_64,X86_64,$(patsubst aarch64,ARM64,$(patsubst i%86,X86,$(patsubst ppc64le,PPC64,$(patsubst s390x,S390X,$(patsubst riscv64,RISCV64,$(ARCH))))))))
# the crash version whose defs.h we build against, checked at load time
CRASH_VERSION ?= $(shell $(CRASH) --version 2>/dev/null | awk '/^crash [0-9]/ {print $$2; exit}')

CC ?= gcc
CFLAGS ?= -O2 -g
# crash for 32-bit ARM dumps built on an x86_64 host (crash's "make
# target=ARM") is a 32-bit x86 program, so the extension must be one too
ifeq ($(CRASH_TARGET)-$(ARCH),ARM-x86_64)
ML_ARCH_CFLAGS = -m32
endif
# crash builds with -D_FILE_OFFSET_BITS=64 on every 32-bit host (its
# configure's TARGET_CFLAGS): defs.h's structs hold off_t, so the
# extension must see the same layout (a no-op on 64-bit hosts)
ML_CFLAGS = $(ML_ARCH_CFLAGS) -std=gnu11 -Wall -Wextra -fPIC -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 \
	-D$(CRASH_TARGET) \
	-DML_CRASH_BUILD_VERSION='"$(CRASH_VERSION)"' \
	-isystem $(CRASH_INCLUDE) -Iextension

# OUT: where objects and memleak.so go (default: extension/)
OUT ?= extension
# the layers (README "Layout"): pure/ (no crash), core/ (crash and the
# kernel's layout), collect/ (models, never print), cmd/ (options, output)
LAYERS = pure core collect cmd
SRCS = $(foreach l,$(LAYERS),$(wildcard extension/$(l)/*.c))
HDRS = $(foreach l,$(LAYERS),$(wildcard extension/$(l)/*.h))
OBJS = $(patsubst extension/%.c,$(OUT)/%.o,$(SRCS))

all: $(OUT)/memleak.so

check-crash-headers:
	@test -f $(CRASH_INCLUDE)/defs.h || { \
	  echo "error: $(CRASH_INCLUDE)/defs.h not found: install crash (apt-get install crash)" \
	       "or point CRASH_INCLUDE at the directory holding crash's defs.h" >&2; exit 1; }

$(OUT)/%.o: extension/%.c $(HDRS) Makefile | check-crash-headers
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(ML_CFLAGS) -c -o $@ $<

$(OUT)/memleak.so: $(OBJS)
	$(CC) $(CFLAGS) $(ML_ARCH_CFLAGS) -shared -o $@ $(OBJS) -lm

install: $(OUT)/memleak.so
	install -d $(DESTDIR)$(EXTDIR)
	install -m 0644 $(OUT)/memleak.so $(DESTDIR)$(EXTDIR)/memleak.so

uninstall:
	rm -f $(DESTDIR)$(EXTDIR)/memleak.so

deps:
	scripts/deps

demo: deps
	$(MAKE) all
	scripts/demo

# the unit tests of pure/ (ASan+UBSan) and tests/source.t (layer rules,
# sizes, no kernel-version checks); needs gcc, python3 and prove only
check:
	$(MAKE) -s -C tests/unit
	PYTHONPATH=$(CURDIR)/tests/lib prove $$(ls tests/unit/test_* | grep -v '\.c$$') tests/source.t

# the build the tests load: a missing (-1) offset that reaches a read is
# reported with function, file and line (ML_DEBUG_LAYOUT, core/core.h)
debug:
	$(MAKE) OUT=build/debug CFLAGS="$(CFLAGS) -DML_DEBUG_LAYOUT" all

test: deps
	$(MAKE) all
	$(MAKE) -C tests/unit
	tests/run

# every kernel in scripts/kernels.conf (5.10 to 7.x, crash 8 and 9); writes
# the subcommand x kernel x format table to doc/matrix.md
test-all: deps
	$(MAKE) all
	$(MAKE) -C tests/unit
	MEMLEAK_KERNELS=all MEMLEAK_MATRIX=doc/matrix.md tests/run

clean:
	rm -f extension/*/*.o extension/memleak.so
	rm -rf build
	$(MAKE) -C tests/unit clean

.PHONY: all install uninstall deps demo check debug test test-all clean check-crash-headers
