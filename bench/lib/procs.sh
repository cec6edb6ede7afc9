# Process helpers shared by the benchmark scripts (sourced). They expect $work (a temp dir with a logs/
# folder) and an array pids, which the caller's cleanup trap kills group by group.

start() {  # $1 name, $2 cpu, rest: command; runs in its own process group, whose id goes to $group
  setsid taskset -c "$2" "${@:3}" > "$work/logs/$1.log" 2>&1 &
  group=$!
  pids+=("$group")
}

ticks() {  # $1 process group: the CPU ticks (user + system) its processes have used so far
  local t=0 p
  for p in $(pgrep -g "$1" 2>/dev/null); do
    t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null || echo 0)))
  done
  echo $t
}

median() { printf "%s\n" "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
