#!/usr/bin/env bash
# Each bad value must be refused with exit code 2 and a message that names the flag.
set -u
exe=$1
failures=0
check() {
  local flag=$1; shift
  output=$(timeout 20 "$exe" "$@" 2>&1); code=$?
  if [ $code -ne 2 ] || ! grep -q -- "$flag" <<<"$output"; then
    echo "FAIL: threadlab $* exited $code, output: $output"; failures=$((failures + 1))
  else
    echo "ok: threadlab $* -> exit 2: $(head -1 <<<"$output")"
  fi
}
check --num-threads --num-threads 65
check --num-threads --num-threads lots
check --sessions --sessions -1
check --sessions --sessions 5000
check --time-scale --time-scale 0
check --duration --duration -3
check --work --work nap
check --frames --frames 0
check --bogus --bogus
check --lesson --lesson nope
check --headless --headless
check --scenario --scenario /no/such/file.json --headless
check --replay --replay /etc/hostname
check --replay --replay /no/such/trace.json
check --trace --trace /tmp/x.json
check --progress-json --progress-json /tmp/x.jsonl
check --progress-json --headless --lesson pool-of-two --progress-json /no/such/dir/progress.jsonl
# NaN passes a plain range check (every comparison with it is false): each float flag names it.
check --time-scale --time-scale nan
check --time-scale --time-scale NaN
check --time-scale --time-scale -nan
check --time-scale --time-scale inf
check --duration --duration nan
check --duration --duration 1e999
check --process-startup --process-startup nan
check --at --lesson pool-of-two --screenshot /tmp/x.png --at nan
# Conflicting or empty flags are refused, not ignored.
check --headless --headless --replay /etc/hostname
check --headless --headless --lesson pool-of-two --screenshot /tmp/x.png
check --replay --lesson pool-of-two --replay /etc/hostname
check --trace --headless --lesson pool-of-two --trace ""
# Output paths are checked before the run, not after it.
check --trace --headless --lesson pool-of-two --trace /no/such/dir/trace.json
check --summary-json --headless --lesson pool-of-two --summary-json /no/such/dir/summary.json
check --summary-json --headless --lesson pool-of-two --summary-json /tmp
check --screenshot --screenshot /no/such/dir/shot.png
# Devices and FIFOs are refused unread (one would never end, the other blocks in open()).
check /dev/zero --headless --scenario /dev/zero
check /dev/urandom --replay /dev/urandom
fifo=$(mktemp -u); mkfifo "$fifo"
check "not a regular file" --headless --scenario "$fifo"
rm -f "$fifo"
duplicate=$(mktemp --suffix=.json)
printf '{"sessions": 1, "actions": [{"at": 0, "do": "click", "do": "destroy_session", "session": 1}]}' > "$duplicate"
check 'the key "do" appears twice' --headless --scenario "$duplicate"
rm -f "$duplicate"
bad_scenario=$(mktemp --suffix=.json)
printf '{"sessions": 1, "actions": [{"do": "clik", "session": 1}]}' > "$bad_scenario"
check "actions\[0\].do" --headless --scenario "$bad_scenario"
rm -f "$bad_scenario"
exit $failures
