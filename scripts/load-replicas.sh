#!/usr/bin/env bash
# Load test of replicas, on loopback only: the demo plan in the machine's
# PostgreSQL, served by one "actionbot serve", then by two at once, each
# under its own wrk sending signed /action 23 (half the connections each),
# as a load balancer would spread them. Prints the requests per second
# (summed over the replicas) and each wrk's p99. README.md › Performance.
#
#   PGURL=postgres://root@127.0.0.1:5432/test?sslmode=disable scripts/load-replicas.sh
#   DURATION=10s CONNECTIONS=16 SIGNED=400000 scripts/load-replicas.sh
#
# It creates (and drops at the end) the database actionbot_load on that
# server. Each request is signed once per replica: a replica refuses a
# replay it has seen itself.
set -euo pipefail
cd "$(dirname "$0")/.."

PGURL=${PGURL:-postgres://root@127.0.0.1:5432/test?sslmode=disable}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
SIGNED=${SIGNED:-400000}
SECRET=load-test-signing-secret
DB=actionbot_load
DBURL=${PGURL/\/test\?/\/$DB?}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	psql "$PGURL" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3), $(psql "$PGURL" -Atc 'show server_version')"
go build -o "$work/actionbot" .
go build -o "$work/floor" ./scripts/floor
go build -o "$work/sign" ./scripts/sign

psql "$PGURL" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql "$PGURL" -qc "CREATE DATABASE $DB" >/dev/null

# A dummy Slack API answering {"ok":true} (auth.test at start).
"$work/floor" -addr-file "$work/slack.addr" 2>/dev/null &
pids+=($!)
for _ in $(seq 200); do [ -s "$work/slack.addr" ] && break; sleep 0.05; done
slack=$(cat "$work/slack.addr")

config() { # config N: replica N's configuration
	cat >"$work/config-$1.toml" <<-EOF
		[slack]
		bot_token = "xoxb-load"
		signing_secret = "$SECRET"
		api_url = "http://$slack/api/"
		[http]
		listen = "127.0.0.1:0"
		[store]
		driver = "postgres"
		url = "$DBURL"
		[nudges]
		enabled = false
	EOF
}
config 1
config 2
"$work/actionbot" --config "$work/config-1.toml" import --demo >/dev/null

addrs=()
for n in 1 2; do
	"$work/actionbot" --config "$work/config-$n.toml" serve 2>"$work/serve-$n.log" &
	pids+=($!)
	for _ in $(seq 400); do grep -q 'msg="listening for Slack"' "$work/serve-$n.log" && break; sleep 0.05; done
	addrs+=("$(sed -n 's/.*msg="listening for Slack" addr=\([^ ]*\).*/\1/p' "$work/serve-$n.log" | head -1)")
done
[ -n "${addrs[0]}" ] && [ -n "${addrs[1]}" ] || { cat "$work"/serve-*.log >&2; exit 1; }

BODY="token=x&team_id=T0LOAD&channel_id=C0LOAD&user_id=U0LOAD&command=%2Faction&text=23&response_url=http%3A%2F%2F${slack/:/%3A}%2Fresponse%2F1&trigger_id=1.2.3"
cat >"$work/request.lua" <<-EOF
	local body = [[$BODY]]
	local sigs, ts, i = {}, nil, 0
	function init(args)
		local f = assert(io.open("$work/signed.txt"))
		ts = f:read("*l")
		for line in f:lines() do sigs[#sigs + 1] = line end
		f:close()
	end
	function request()
		i = i + 1
		return wrk.format("POST", nil, {
			["Content-Type"] = "application/x-www-form-urlencoded",
			["X-Slack-Request-Timestamp"] = ts,
			["X-Slack-Signature"] = "v0=" .. sigs[i],
		}, body .. "&n=" .. i)
	end
EOF

# measure NAME CONNS URL…: one wrk per URL at once, CONNS connections each.
measure() {
	local name=$1 conns=$2
	shift 2
	"$work/sign" -secret "$SECRET" -body "$BODY" -n "$SIGNED" >"$work/signed.txt"
	local k=0 wpids=()
	for url in "$@"; do
		k=$((k + 1))
		wrk -t1 -c"$conns" -d"$DURATION" --latency -s "$work/request.lua" "$url" >"$work/wrk-$name-$k.txt" &
		wpids+=($!)
	done
	wait "${wpids[@]}"
	if grep -q -e "Non-2xx" -e "Socket errors" "$work"/wrk-"$name"-*.txt; then
		echo "$name: wrk saw errors:" >&2
		cat "$work"/wrk-"$name"-*.txt >&2
		exit 1
	fi
	local rps p99
	rps=$(awk '/^Requests\/sec:/ {s += $2} END {printf "%.0f", s}' "$work"/wrk-"$name"-*.txt)
	p99=$(awk '$1 == "99%" {printf "%s ", $2}' "$work"/wrk-"$name"-*.txt)
	printf '%-22s %10s req/s   p99 per wrk: %s\n' "$name" "$rps" "$p99"
}

echo "/action 23 on PostgreSQL, wrk -d$DURATION, $CONNECTIONS connections in all"
measure "one replica" "$CONNECTIONS" "http://${addrs[0]}/slack/commands"
measure "two replicas" "$((CONNECTIONS / 2))" "http://${addrs[0]}/slack/commands" "http://${addrs[1]}/slack/commands"
