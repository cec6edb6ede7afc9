#!/usr/bin/env bash
# Runs the JMH benchmarks that live with the dataplane tests: bench/jmh.sh [JMH args], e.g.
#   bench/jmh.sh RouteLookupBenchmark
#   bench/jmh.sh RequestPathBenchmark -prof gc
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source bin/lib/java-home.sh
./mvnw -B -q -pl dataplane -am test-compile -Dspotless.check.skip=true >&2
./mvnw -B -q -pl dataplane -am dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath >&2
exec "$JAVA_HOME/bin/java" -cp "dataplane/target/test-classes:dataplane/target/classes:$(cat dataplane/target/jmh.classpath)" \
  org.openjdk.jmh.Main "$@"
