# Sourced by bench/load/run.sh and bench/load/profile.sh: the new/resumed-connection load.
#
# stime_clients MODE LOG: runs $stime_clients openssl s_time processes at once (new or reuse, one
# GET /1k each connection, for $seconds, on $client_cpus against 127.0.0.1:$port), appends their
# output to LOG and prints how many connections they made together. One s_time is a sequential
# client: alone it measures the client's and the server's time per connection added together
# (2026-12-03: 236 against 445 connections/s while the servers' CPU per handshake differed 3x).
stime_clients() { # mode log
  local mode=$1 log=$2 i pids=() files=()
  for i in $(seq 1 "$stime_clients"); do
    files+=("$log.$i")
    # the system's openssl as the client, whatever library the server was pointed at
    env -u LD_LIBRARY_PATH -u OPENSSL_CONF taskset -c "$client_cpus" openssl s_time -connect "127.0.0.1:$port" \
      -"$mode" -time "$seconds" -www /1k > "$log.$i" 2>&1 &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || true; done
  # each s_time's first "N connections in T s;" line is its count
  awk 'FNR == 1 {done = 0} !done && /^[0-9]+ connections in [0-9.]+s;/ {s += $1; done = 1} END {print s + 0}' "${files[@]}"
  cat "${files[@]}" >> "$log"; rm -f "${files[@]}"
}
