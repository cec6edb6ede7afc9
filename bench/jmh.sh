#!/usr/bin/env bash
# Runs the JMH benchmarks that live with the dataplane tests: bench/jmh.sh [JMH args], e.g.
#   bench/jmh.sh RouteLookupBenchmark
#   bench/jmh.sh RequestPathBenchmark -prof gc
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source bin/lib/java-home.sh
# One invocation, so that sibling modules resolve to their freshly compiled classes, not ~/.m2.
./mvnw -B -q -pl dataplane -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath >&2
exec "$JAVA_HOME/bin/java" -cp "dataplane/target/test-classes:dataplane/target/classes:$(cat dataplane/target/jmh.classpath)" \
  org.openjdk.jmh.Main "$@"
