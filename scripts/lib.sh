# Shared helpers for the lab scripts (sourced, not run).
# shellcheck shell=bash

MEMLEAK_CACHE=${MEMLEAK_CACHE:-${HOME:-/root}/.cache/memleak}
MEMLEAK_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }
# under set -e a failing command ends a script silently: name it (a
# pipeline's awk that exits early, for one, fails it by SIGPIPE with pipefail)
trap 'printf "%s: error: line %s: \"%s\" failed\n" "${0##*/}" "$LINENO" "$BASH_COMMAND" >&2' ERR

need() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 ||
			die "'$c' not found: run 'make deps' (or scripts/deps) first"
	done
}

# sha256 of files' contents and strings, for cache keys (contents only: a
# clone elsewhere, as CI makes, finds the same fixtures)
cache_key() {
	local a
	for a in "$@"; do
		if [ -f "$a" ]; then sha256sum <"$a"; else printf '%s\n' "$a"; fi
	done | sha256sum | cut -c1-16
}

# Private apt configuration for one Debian suite, so the system's apt is
# untouched: apt_suite SUITE prints the apt-get options to use.
#   SUITE:ARCH (bookworm:arm64) is the suite for a foreign architecture, in
#   a state of its own: only that architecture's packages
apt_suite() {
	local suite=${1%%:*} arch= dir=$MEMLEAK_CACHE/apt/${1/:/-}
	local comp="main"
	[ "$suite" != "$1" ] && arch=${1#*:}
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	# SUITE-src: the suite's source packages (apt-get source), kept apart
	# so the binary suites do not fetch the large Sources indices
	if [ "${suite%-src}" != "$suite" ]; then
		echo "deb-src http://deb.debian.org/debian ${suite%-src} $comp"
	else
		echo "deb http://deb.debian.org/debian $suite $comp"
		case $suite in
		bookworm|bullseye|trixie)
			echo "deb http://deb.debian.org/debian-security $suite-security $comp"
			echo "deb http://deb.debian.org/debian $suite-updates $comp" ;;
		esac
	fi > "$dir/sources.list"
	printf '%s\n' -o "Dir::Etc::SourceList=$dir/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$dir/lists" \
		-o "Dir::Cache=$dir/cache" -o Acquire::Check-Valid-Until=false \
		-o APT::Sandbox::User=root -o Debug::NoLocking=1
	[ -z "$arch" ] || printf '%s\n' -o "APT::Architecture=$arch" -o "APT::Architectures=$arch"
}

# apt_update SUITE: refresh the suite's package lists at most once a day
apt_update() {
	local dir=$MEMLEAK_CACHE/apt/${1/:/-} opts
	mapfile -t opts < <(apt_suite "$1")
	if [ -z "$(find "$dir/lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
		apt-get -q "${opts[@]}" update >"$dir/update.log" 2>&1 ||
			die "apt-get update for $1 failed: $(tail -3 "$dir/update.log")"
	fi
}

# apt_get SUITE ARGS...: apt-get with the suite's private configuration
apt_get() {
	local suite=$1 opts
	shift
	mapfile -t opts < <(apt_suite "$suite")
	apt-get -q "${opts[@]}" "$@"
}

apt_cache() {
	local suite=$1 opts
	shift
	mapfile -t opts < <(apt_suite "$suite")
	apt-cache "${opts[@]}" "$@"
}

# kernel_col NAME N: column N of the kernel's line in scripts/kernels.conf
kernel_col() {
	awk -v n="$1" -v c="$2" '!/^#/ && $1 == n {print $c}' "$MEMLEAK_TOP/scripts/kernels.conf"
}

# kernel_arch NAME: the Debian architecture of a lab kernel, from its CRASH
# column (9-ARM64: sid's crash built for arm64 dumps, scripts/crash-target)
kernel_arch() {
	case $(kernel_col "$1" 4) in
	*-ARM64) echo arm64 ;;
	*-ARM) echo armhf ;;
	*) echo amd64 ;;
	esac
}

# kernel_karch ARCH: the kernel's ARCH= for a Debian architecture
kernel_karch() {
	case $1 in
	amd64) echo x86_64 ;;
	arm64) echo arm64 ;;
	armhf) echo arm ;;
	*) die "no kernel ARCH for '$1'" ;;
	esac
}

# guest_busybox ARCH: a static busybox for a foreign guest (bookworm's
# busybox-static of that architecture, unpacked once); prints its path
guest_busybox() {
	local arch=$1 dir=$MEMLEAK_CACHE/busybox/$1
	if [ ! -x "$dir/bin/busybox" ]; then
		apt_update "bookworm:$arch"
		rm -rf "$dir.tmp"
		mkdir -p "$dir.tmp"
		(cd "$dir.tmp" && apt_get "bookworm:$arch" download busybox-static >download.log 2>&1) ||
			die "download of busybox-static:$arch failed: $(grep -m1 '^E:' "$dir.tmp/download.log")"
		dpkg-deb -x "$dir.tmp"/busybox-static_*.deb "$dir.tmp/root"
		rm -rf "$dir"
		mkdir -p "$dir/bin"
		mv "$dir.tmp/root/bin/busybox" "$dir/bin/busybox"
		rm -rf "$dir.tmp"
	fi
	echo "$dir/bin/busybox"
}

# ensure_pkgs WHY PKG...: install the host packages one part of the lab
# needs and the rest does not (so "make deps" stays small), if missing
ensure_pkgs() {
	local why=$1 p missing=()
	shift
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" = 0 ] || die "$why needs: ${missing[*]} (run as root, or install them)"
	need apt-get
	log "installing for $why: ${missing[*]}"
	# a fresh machine may have no package lists yet
	DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1 ||
		log "apt-get update failed; trying the install anyway"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}" >"${TMPDIR:-/tmp}/memleak-pkgs.log" 2>&1 ||
		die "apt-get install failed: $(tail -5 "${TMPDIR:-/tmp}/memleak-pkgs.log")"
}
