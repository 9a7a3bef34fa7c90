# Shared helpers for the lab scripts (sourced, not run).
# shellcheck shell=bash

MEMLEAK_CACHE=${MEMLEAK_CACHE:-${HOME:-/root}/.cache/memleak}
MEMLEAK_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

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
apt_suite() {
	local suite=$1 dir=$MEMLEAK_CACHE/apt/$1
	local comp="main"
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
}

# apt_update SUITE: refresh the suite's package lists at most once a day
apt_update() {
	local dir=$MEMLEAK_CACHE/apt/$1 opts
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
