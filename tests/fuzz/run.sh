#!/bin/sh
# run.sh TARGET SECONDS MAX_LEN [LIBFUZZER-FLAG...] - one libFuzzer harness
# (built by make as tests/fuzz/build/TARGET_fuzz) for SECONDS on its
# committed corpus (tests/fuzz/corpus/TARGET) and a working corpus that
# grows in tests/fuzz/build/corpus/TARGET; then its committed reproducers
# (tests/fuzz/crashes/TARGET-*.bin), which must no longer fail. Prints one
# summary line (executions, coverage), and the report of what failed.
# Exits non-zero on a crash, leak, UBSan report, timeout, or a reproducer
# that still fails. Run from the top of the tree (make fuzz does).
set -u
t=$1 secs=$2 maxlen=$3
shift 3
build=tests/fuzz/build
bin=$build/${t}_fuzz
work=$build/corpus/$t
art=$build/artifacts/$t/
log=$build/$t.log
dict=tests/fuzz/dict/$t.dict

mkdir -p "$work" "$art" || exit 2
if [ -f "$dict" ]; then
	set -- -dict="$dict" "$@"
fi
if [ -d "tests/fuzz/corpus/$t" ]; then
	set -- "$@" "tests/fuzz/corpus/$t"
fi
# halt at the first report of any sanitizer; leaks are checked at each input
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS UBSAN_OPTIONS

start=$(date +%s)
"$bin" -max_total_time="$secs" -max_len="$maxlen" -timeout=5 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$art" "$work" "$@" \
	>"$log" 2>&1
st=$?
took=$(( $(date +%s) - start ))

if [ $st -ne 0 ]; then
	# the first report (sanitizer or harness) up to its SUMMARY, and the
	# input libFuzzer kept
	awk '/runtime error|==ERROR|^FUZZ_CHECK|ERROR: libFuzzer|ALARM/ { on = 1 }
		/ in fuzzer::| in __sanitizer| in __ubsan| in __libc_start| in _start |libc.so|pthread_kill|raise\.c|abort\.c|^NOTE: libFuzzer|Combine libFuzzer|^$/ { next }
		on && n < 40 { print; n++ } on && /^SUMMARY/ { exit }' "$log" >&2
	grep 'Test unit written\|^Base64' "$log" >&2
	echo "fuzz $t: full log in $log" >&2
fi
# the last status line: "#EXECS<tab>... cov: N ft: N corp: N/SIZE ..."
# (fork mode: "#EXECS: cov: N ft: N corp: N ...")
last=$(grep -E '^#[0-9]+:?[[:space:]]' "$log" | tail -n 1)
execs=$(printf '%s\n' "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
cov=$(printf '%s\n' "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
ft=$(printf '%s\n' "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
corp=$(printf '%s\n' "$last" | sed -n 's/.*corp: \([0-9/a-zA-Z]*\).*/\1/p')
n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
execs=${n:-$execs}
printf 'fuzz %-10s %5ss  execs %-10s cov %-6s ft %-6s corpus %-12s %s\n' "$t" "$took" \
	"${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$([ $st -eq 0 ] && echo ok || echo FAILED)"

# the reproducers of bugs found before: each must now pass
for f in tests/fuzz/crashes/"$t"-*.bin; do
	[ -f "$f" ] || continue
	if ! "$bin" -timeout=5 "$f" >"$log.repro" 2>&1; then
		echo "fuzz $t: reproducer $f still fails:" >&2
		grep -E '^FUZZ_CHECK|runtime error|ERROR: |ALARM|^  [^ ]' "$log.repro" | head -n 3 >&2
		st=1
	fi
done
rm -f "$log.repro"
exit $st
