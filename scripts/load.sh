#!/usr/bin/env bash
# Load test, on loopback only: "actionbot serve" answering a signed
# /action 23 under wrk, then — in the same run, on the same machine — the
# floor: a bare net/http server (scripts/floor) answering the very same
# bytes. Prints both throughputs, both p99 latencies and the ratio, the
# resident memory of the idle bot, and how many calls reached the (local,
# dummy) Slack API: none should. README.md › Performance.
#
#   scripts/load.sh                 # the demo plan, then a generated plan of 100,000 actions
#   PLAN=demo scripts/load.sh       # the demo plan only (PLAN=100k: the big one only)
#
# The 100k plan is compared with the demo (at most 1.2× its time per
# request and its p99): with PLAN=both in the same run, else with the last
# run of the other plan, kept in ${TMPDIR:-/tmp}/actionbot-load-last-*.
#   DURATION=20s CONNECTIONS=16 THREADS=1 WARMUP=3s PACE=10 SIGNED=600000 scripts/load.sh
#
# Each request is signed once, as Slack's are — the bot refuses a replay:
# scripts/sign writes SIGNED signatures before each wrk run, and a Lua
# script sends each once (the floor gets the same requests). A run that
# sends more than SIGNED requests gets 401s and stops with an error: raise
# SIGNED.
#
# Each plan is measured twice: saturated (each connection sends its next
# request as soon as it has the answer), then paced (each connection
# pauses PACE milliseconds between requests: forty busy people, not a
# flood).
#
# Bounded in time: each wrk run lasts DURATION after a WARMUP; the big plan
# is generated once (about 30 s) and cached in ${TMPDIR:-/tmp}.
set -euo pipefail
cd "$(dirname "$0")/.."

PLAN=${PLAN:-both}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-1}
SIGNED=${SIGNED:-600000}
WARMUP=${WARMUP:-3s}
PACE=${PACE:-10}
SECRET=load-test-signing-secret

case $PLAN in demo | 100k | both) ;; *)
	echo "PLAN=$PLAN: want demo, 100k or both" >&2
	exit 2
	;;
esac

if ! command -v wrk >/dev/null; then
	echo "wrk is missing: installing Debian's package wrk (apt-get install wrk)"
	apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }
fi

work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(go version | cut -d' ' -f3)"
echo "building actionbot, the floor and the plan generator…"
go build -o "$work/actionbot" .
go build -o "$work/floor" ./scripts/floor
go build -o "$work/genplan" ./scripts/genplan
go build -o "$work/sign" ./scripts/sign

# wait_for FILE PATTERN: until FILE has a line matching PATTERN (10 s).
wait_for() {
	for _ in $(seq 200); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "timed out waiting for « $2 » in $1:" >&2
	cat "$1" >&2
	exit 1
}

# The Slack API the bot is given: a floor answering {"ok":true}, which
# counts the calls. Neither a card nor anything else in this test should
# call Slack.
"$work/floor" -addr-file "$work/slack.addr" 2>"$work/slack.log" &
slack_pid=$!
pids+=("$slack_pid")
for _ in $(seq 200); do [ -s "$work/slack.addr" ] && break; sleep 0.05; done
slack=$(cat "$work/slack.addr")

# The slash command as Slack posts it; a late answer would go to the
# dummy too, and be counted.
BODY="token=x&team_id=T0LOAD&team_domain=tours-metropole&channel_id=C0LOAD&channel_name=copil&user_id=U0LOAD&user_name=someone&command=%2Faction&text=23&api_app_id=A0LOAD&response_url=http%3A%2F%2F${slack/:/%3A}%2Fresponse%2F1&trigger_id=1.2.3"

# sign: a fresh timestamp and signature (valid 5 minutes; a run is shorter).
sign() {
	TS=$(date +%s)
	SIG=$(printf 'v0:%s:%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -r | cut -d' ' -f1)
}

# to_ms: wrk's "812.00us", "5.12ms" or "1.02s" in milliseconds.
to_ms() {
	awk -v v="$1" 'BEGIN {
		if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
		else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
		else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
		else print v }'
}

# load URL NAME [PACE_MS]: a warm-up, then the measured run; sets RPS and
# P99. Without PACE_MS each connection sends its next request as soon as
# it has the answer: the server is saturated. With it, each connection
# pauses PACE_MS between requests.
load() {
	cat >"$work/request.lua" <<-EOF
		-- Each request its own body (…&n=i) and signature, sent once;
		-- thread k of $THREADS sends i = k, k + $THREADS, k + 2×$THREADS…
		local body = [[$BODY]]
		local sigs, ts, i, step = {}, nil, 0, $THREADS
		local k = 0
		function setup(thread)
			k = k + 1
			thread:set("id", k)
		end
		function init(args)
			local f = assert(io.open("$work/signed.txt"))
			ts = f:read("*l")
			for line in f:lines() do sigs[#sigs + 1] = line end
			f:close()
			i = id - step
		end
		function request()
			i = i + step
			if i > #sigs then i = id end -- replays: the bot answers 401, and load() stops
			return wrk.format("POST", nil, {
				["Content-Type"] = "application/x-www-form-urlencoded",
				["X-Slack-Request-Timestamp"] = ts,
				["X-Slack-Signature"] = "v0=" .. sigs[i],
			}, body .. "&n=" .. i)
		end
	EOF
	if [ -n "${3:-}" ]; then
		echo "function delay() return $3 end" >>"$work/request.lua"
	fi
	# Fresh signatures for each wrk run: the warm-up's were used.
	"$work/sign" -secret "$SECRET" -body "$BODY" -n "$SIGNED" >"$work/signed.txt"
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$work/request.lua" "$1" >/dev/null
	"$work/sign" -secret "$SECRET" -body "$BODY" -n "$SIGNED" >"$work/signed.txt"
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/request.lua" "$1" >"$work/wrk-$2.txt"
	if grep -q -e "Non-2xx" -e "Socket errors" "$work/wrk-$2.txt"; then
		echo "$2: wrk saw errors:" >&2
		cat "$work/wrk-$2.txt" >&2
		exit 1
	fi
	RPS=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$work/wrk-$2.txt")
	P99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$work/wrk-$2.txt")")
}

rss_mb() { awk '{printf "%.1f", $1 / 1024}' <<<"$(ps -o rss= -p "$1")"; }

results=()
paced=()

# run NAME DB RSS_TARGET_MB: serve DB, measure it and the floor.
run() {
	local name=$1 db=$2 target=$3
	cat >"$work/config-$name.toml" <<-EOF
		[slack]
		bot_token = "xoxb-load"
		signing_secret = "$SECRET"
		api_url = "http://$slack/api/"
		[http]
		listen = "127.0.0.1:0"
		[store]
		path = "$db"
		[nudges]
		enabled = false
	EOF
	"$work/actionbot" --config "$work/config-$name.toml" serve 2>"$work/serve-$name.log" &
	local pid=$!
	pids+=("$pid")
	wait_for "$work/serve-$name.log" 'msg="listening for Slack"'
	local addr
	addr=$(sed -n 's/.*msg="listening for Slack" addr=\([^ ]*\).*/\1/p' "$work/serve-$name.log" | head -1)
	sleep 2
	local idle
	idle=$(rss_mb "$pid")

	sign
	curl -sS -o "$work/reply-$name.json" -X POST "http://$addr/slack/commands" \
		-H "Content-Type: application/x-www-form-urlencoded" \
		-H "X-Slack-Request-Timestamp: $TS" -H "X-Slack-Signature: v0=$SIG" --data "$BODY"
	if ! grep -q '"text":"Action 23 ' "$work/reply-$name.json"; then
		echo "$name: /action 23 did not answer the card:" >&2
		cat "$work/reply-$name.json" "$work/serve-$name.log" >&2
		exit 1
	fi
	"$work/floor" -body "$work/reply-$name.json" -addr-file "$work/floor-$name.addr" 2>/dev/null &
	local floor_pid=$!
	pids+=("$floor_pid")
	for _ in $(seq 200); do [ -s "$work/floor-$name.addr" ] && break; sleep 0.05; done

	echo "plan $name: /action 23 answers $(wc -c <"$work/reply-$name.json") bytes; idle serve: $idle MB resident"
	echo "  wrk -t$THREADS -c$CONNECTIONS -d$DURATION against serve…"
	load "http://$addr/slack/commands" "serve-$name"
	local serve_rps=$RPS serve_p99=$P99
	echo "  …and against the floor"
	load "http://$(cat "$work/floor-$name.addr")/slack/commands" "floor-$name"
	local floor_rps=$RPS floor_p99=$P99
	echo "  paced: each connection pausing ${PACE}ms between requests, serve then floor"
	load "http://$addr/slack/commands" "serve-paced-$name" "$PACE"
	local paced_rps=$RPS paced_p99=$P99
	load "http://$(cat "$work/floor-$name.addr")/slack/commands" "floor-paced-$name" "$PACE"
	paced+=("$(printf '%-5s %12s %12s %12s %12s' "$name" "$paced_rps" "$paced_p99" "$RPS" "$P99")")
	sleep 2
	local after
	after=$(rss_mb "$pid")
	kill "$floor_pid"
	kill -TERM "$pid"
	if ! wait "$pid"; then
		echo "$name: serve did not stop cleanly:" >&2
		tail "$work/serve-$name.log" >&2
		exit 1
	fi
	local ratio ok
	ratio=$(awk -v a="$serve_rps" -v b="$floor_rps" 'BEGIN {printf "%.1f", 100 * a / b}')
	ok=$(awk -v r="$ratio" -v p="$serve_p99" -v f="$floor_p99" -v m="$idle" -v t="$target" 'BEGIN {
		s = (r >= 50 ? "ratio ok" : "ratio MISSED") ", " (p <= 1.5 * f ? "p99 ok" : "p99 MISSED") ", " (m < t ? "memory ok" : "memory MISSED"); print s }')
	results+=("$(printf '%-5s %12s %12s %12s %12s %8s%% %10s %10s   %s' "$name" "$serve_rps" "$serve_p99" "$floor_rps" "$floor_p99" "$ratio" "$idle" "$after" "$ok")")
	# Kept for the comparison of the two plans, also across two runs
	# (PLAN=demo, then PLAN=100k).
	echo "$serve_rps $serve_p99 $floor_rps $floor_p99 $(date -u +%FT%TZ)" >"$LAST-$name"
}

# The big plan's request must take at most 1.2× the demo's: its time per
# request (1 / req/s) and its p99, each also as a share of its own floor
# (the floor moves between runs on a busy machine).
LAST="${TMPDIR:-/tmp}/actionbot-load-last"
compare() {
	if [ ! -s "$LAST-demo" ] || [ ! -s "$LAST-100k" ]; then
		echo "100k against demo: needs a run of each (PLAN=demo, PLAN=100k or both); missing $( [ -s "$LAST-demo" ] || echo demo) $( [ -s "$LAST-100k" ] || echo 100k)"
		return
	fi
	read -r d_rps d_p99 d_frps d_fp99 d_at <"$LAST-demo"
	read -r b_rps b_p99 b_frps b_fp99 b_at <"$LAST-100k"
	awk -v dr="$d_rps" -v dp="$d_p99" -v dfr="$d_frps" -v dfp="$d_fp99" -v br="$b_rps" -v bp="$b_p99" -v bfr="$b_frps" -v bfp="$b_fp99" -v da="$d_at" -v ba="$b_at" 'BEGIN {
		t = dr / br; p = bp / dp
		tn = (dr / dfr) / (br / bfr); pn = (bp / bfp) / (dp / dfp)
		printf "100k against demo (target <= 1.2x; demo measured %s, 100k %s):\n", da, ba
		printf "  time per request %.2fx (%s vs %s req/s), %.2fx as a share of each floor   %s\n", t, br, dr, tn, (t <= 1.2 || tn <= 1.2 ? "ok" : "MISSED")
		printf "  p99              %.2fx (%s vs %s ms), %.2fx as a share of each floor   %s\n", p, bp, dp, pn, (p <= 1.2 || pn <= 1.2 ? "ok" : "MISSED")
	}'
}

if [ "$PLAN" != 100k ]; then
	cat >"$work/import.toml" <<-EOF
		[store]
		path = "$work/demo.db"
	EOF
	"$work/actionbot" --config "$work/import.toml" import --demo
	run demo "$work/demo.db" 40
fi
if [ "$PLAN" != demo ]; then
	version=$(sed -n 's/^const Version = \([0-9]*\)$/\1/p' store/storetest/storetest.go)
	cache="${TMPDIR:-/tmp}/actionbot-load-plan-v$version-100000-1000000.db"
	if [ ! -f "$cache" ]; then
		echo "generating the plan of 100,000 actions and 1,000,000 journal entries (once; cached in $cache)…"
		"$work/genplan" -db "$work/gen.db" -actions 100000 -journal 1000000
		mv "$work/gen.db" "$cache"
	fi
	cp "$cache" "$work/100k.db"
	run 100k "$work/100k.db" 200
fi

kill -TERM "$slack_pid"
wait "$slack_pid" 2>/dev/null || true
calls=$(sed -n 's/^floor: \([0-9]*\) requests answered$/\1/p' "$work/slack.log")

echo
echo "/action 23, wrk -t$THREADS -c$CONNECTIONS -d$DURATION on loopback (targets: ratio >= 50%, p99 <= 1.5 x the floor's; idle RSS < 40 MB demo, < 200 MB 100k)"
printf '%-5s %12s %12s %12s %12s %9s %10s %10s\n' plan "serve req/s" "serve p99ms" "floor req/s" "floor p99ms" ratio "idle MB" "after MB"
printf '%s\n' "${results[@]}"
echo
compare
echo
echo "the same, each connection pausing ${PACE}ms between requests (at most $((1000 * CONNECTIONS / PACE)) requests/s offered)"
printf '%-5s %12s %12s %12s %12s\n' plan "serve req/s" "serve p99ms" "floor req/s" "floor p99ms"
printf '%s\n' "${paced[@]}"
# serve calls auth.test once when it starts, once per plan; a card calls
# nothing.
want=1
[ "$PLAN" = both ] && want=2
echo "Slack API calls during the run: ${calls:-?} (want $want: auth.test at each start of serve)"
