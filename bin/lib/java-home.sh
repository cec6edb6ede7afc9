# Sourced by bin/gantry and bin/test: exports JAVA_HOME as a JDK of release 21 or newer.
# Order: $JAVA_HOME if new enough, then the java on PATH, then the newest JDK under /usr/lib/jvm.
java_release() {  # $1 = a JDK home -> its feature release, or nothing
  [[ -x $1/bin/javac ]] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}
find_java_home() {
  local candidates=() c r best="" best_r=0
  [[ -n ${JAVA_HOME:-} ]] && candidates+=("$JAVA_HOME")
  command -v javac >/dev/null && candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  for c in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do [[ -d $c ]] && candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    r=$(java_release "$c")
    [[ -n $r ]] || continue
    # the first acceptable candidate wins, so a JAVA_HOME that is new enough is always honoured
    if (( r >= 21 )); then best=$c; best_r=$r; break; fi
  done
  if [[ -z $best ]]; then
    echo "gantry: needs a JDK 21 or newer (set JAVA_HOME); found none" >&2
    return 1
  fi
  export JAVA_HOME=$best
}
find_java_home
