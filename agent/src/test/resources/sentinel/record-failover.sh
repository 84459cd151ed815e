#!/bin/bash
# Records what real Sentinels publish (PSUBSCRIBE *) during a failover and around it, one file per
# Sentinel: "<ms since start>\t<channel>\t<payload>". Used to (re)make the parser's and tracker's test
# data: ./record-failover.sh OUT_DIR [BASE_PORT]. Needs redis-server, redis-sentinel, redis-cli (Debian).
# Estate: redis 127.0.0.{1,2,3}:BASE+{1,2,3} (first is master), sentinels 127.0.0.{1,2,3}:BASE+{11,12,13},
# quorum 2, down-after 1000 ms, failover-timeout 5000 ms. Steps: kill -9 the master; restart it (it is
# converted to a replica); SIGSTOP a Sentinel 3 s (+tilt, -tilt 30 s later); SENTINEL SET / REMOVE /
# MONITOR / RESET.
set -u
OUT=${1:?out dir}; BASE=${2:-27100}
mkdir -p "$OUT"; W=$(mktemp -d /tmp/rvi-record-XXXX)
H=(127.0.0.1 127.0.0.2 127.0.0.3); P=($((BASE+1)) $((BASE+2)) $((BASE+3))); S=($((BASE+11)) $((BASE+12)) $((BASE+13)))
T0=$(date +%s%3N)
cleanup() { for f in "$W"/*/pid "$W"/*.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done; rm -rf "$W"; }
trap cleanup EXIT
redis() { # i [extra args]
  local i=$1; shift; mkdir -p "$W/r$i"
  redis-server --port "${P[$i]}" --bind "${H[$i]}" --daemonize no --save '' --appendonly no --dir "$W/r$i" "$@" >> "$W/r$i/log" 2>&1 &
  echo $! > "$W/r$i/pid"
}
# replicas connect from 127.0.0.1 whatever they bind: each announces its own address
redis 0 --replica-announce-ip "${H[0]}"
redis 1 --replica-announce-ip "${H[1]}" --replicaof "${H[0]}" "${P[0]}"
redis 2 --replica-announce-ip "${H[2]}" --replicaof "${H[0]}" "${P[0]}"
sleep 1
for i in 0 1 2; do
  mkdir -p "$W/s$i"
  printf 'port %s\nbind %s\nsentinel announce-ip %s\nsentinel monitor mymaster %s %s 2\nsentinel down-after-milliseconds mymaster 1000\nsentinel failover-timeout mymaster 5000\n' \
    "${S[$i]}" "${H[$i]}" "${H[$i]}" "${H[0]}" "${P[0]}" > "$W/s$i/sentinel.conf"
  redis-sentinel "$W/s$i/sentinel.conf" --dir "$W/s$i" > "$W/s$i/log" 2>&1 &
  echo $! > "$W/s$i/pid"
done
sleep 0.5
for i in 0 1 2; do
  ( stdbuf -oL redis-cli -h "${H[$i]}" -p "${S[$i]}" --csv psubscribe '*' | while IFS= read -r line; do
      case "$line" in '"pmessage"'*) ;; *) continue ;; esac
      rest=${line#\"pmessage\",\"*\",\"}; ch=${rest%%\",\"*}; pl=${rest#*\",\"}; pl=${pl%\"}
      printf '%s\t%s\t%s\n' $(( $(date +%s%3N) - T0 )) "$ch" "$pl"
    done > "$OUT/sentinel-${H[$i]}-${S[$i]}.tsv" ) &
  echo $! > "$W/sub$i.pid"
done
sleep 4
echo "$(( $(date +%s%3N) - T0 )) ms: kill -9 master ${H[0]}:${P[0]}"
kill -9 "$(cat "$W/r0/pid")"
sleep 8
echo "restart old master"; redis 0 --replica-announce-ip "${H[0]}"
sleep 13
echo "SIGSTOP sentinel 2 for 3 s"; kill -STOP "$(cat "$W/s2/pid")"; sleep 3; kill -CONT "$(cat "$W/s2/pid")"
sleep 2
NEW=$(redis-cli -h "${H[0]}" -p "${S[0]}" sentinel get-master-addr-by-name mymaster | paste -sd' ')
redis-cli -h "${H[1]}" -p "${S[1]}" sentinel set mymaster down-after-milliseconds 1000 >/dev/null
redis-cli -h "${H[1]}" -p "${S[1]}" sentinel remove mymaster >/dev/null
redis-cli -h "${H[1]}" -p "${S[1]}" sentinel monitor mymaster $NEW 2 >/dev/null
redis-cli -h "${H[1]}" -p "${S[1]}" sentinel set mymaster down-after-milliseconds 1000 >/dev/null
redis-cli -h "${H[0]}" -p "${S[0]}" sentinel reset mymaster >/dev/null
echo "waiting 32 s for -tilt"; sleep 32
pkill -P "$(cat "$W/sub0.pid")" 2>/dev/null; pkill -P "$(cat "$W/sub1.pid")" 2>/dev/null; pkill -P "$(cat "$W/sub2.pid")" 2>/dev/null
sleep 0.5
wc -l "$OUT"/*.tsv
