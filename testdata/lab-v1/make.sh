#!/usr/bin/env bash
# Writes lab.db with the ikemu binary named by $1, built from main at
# commit ef2b8b3 (schema version 1), and records what the tools print of
# it in *.out. The migration test (cmd/ikemu/migrate_test.go) opens a copy
# with today's ikemu and expects the same output.
set -euo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in ikemu ikeadm in.iked ike ikedb lssrc startsrc stopsrc; do ln -s "$(realpath "$bin")" "$work/$t"; done
export PATH="$work:$PATH" IKEMU_LAB="$work/lab" HOME="$work" TZ=UTC XDG_RUNTIME_DIR="$work/run"
mkdir -m 0700 "$work/run"
ikemu lab init --seed 7 --clock 2026-03-04T10:15:00Z
ikemu host add sol --addr 10.1.1.1
ikemu host add aix --addr 10.1.1.2
cp "$here/sol.config" "$work/lab/hosts/sol/root/etc/inet/ike/config"
cp "$here/sol.preshared" "$work/lab/hosts/sol/root/etc/inet/secret/ike.preshared"
IKEMU_HOST=sol ikemu daemon stop
IKEMU_HOST=sol in.iked -p keymat
IKEMU_HOST=sol ikeadm add rule { label extra local_addr 10.1.1.1 remote_addr 10.9.9.9 p1_xform { auth_method preshared oakley_group 2 auth_alg md5 encr_alg 3des } }
IKEMU_HOST=aix ikedb -p "$here/aix.xml"
IKEMU_HOST=aix ike cmd=activate phase=1 namelist=aix-to-sol >/dev/null
IKEMU_HOST=aix ike cmd=activate phase=2 namelist=aix-to-sol-p2 >/dev/null || true
IKEMU_HOST=sol ikemu acquire --from 10.1.1.1 --to 10.9.9.9 >/dev/null || true
out() { local name=$1; shift; "$@" >"$here/$name.out" 2>&1 || true; }
for h in sol aix; do
	export IKEMU_HOST=$h
	out "$h.dump_p1" ikeadm dump p1
	out "$h.dump_rule" ikeadm dump rule
	out "$h.dump_preshared" ikeadm -p dump preshared
	out "$h.get_stats" ikeadm get stats
	out "$h.ike_list" ike cmd=list
	out "$h.ike_list_db" ike cmd=list db
	out "$h.ikedb_g" ikedb -g
	out "$h.lssrc" lssrc -g ike
done
unset IKEMU_HOST
out hosts ikemu host list
cp "$work/lab/lab.db" "$here/lab.db"
