#!/usr/bin/env bash
# Each bad value must be refused with exit code 2 and a message that names the flag.
set -u
exe=$1
failures=0
check() {
  local flag=$1; shift
  output=$("$exe" "$@" 2>&1); code=$?
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
bad_scenario=$(mktemp --suffix=.json)
printf '{"sessions": 1, "actions": [{"do": "clik", "session": 1}]}' > "$bad_scenario"
check "actions\[0\].do" --headless --scenario "$bad_scenario"
rm -f "$bad_scenario"
exit $failures
