#!/usr/bin/env bash
# Builds a self-contained Reaper for GPU hosts without a JDK (mvn -Pbundle package):
#   BUILD_DIR/reaper-bundle/{runtime/ (jlink'd JRE), reaper.jar, reaper (launcher)} and BUILD_DIR/reaper-bundle.tar.xz
# The modules are what jdeps finds the jar needs (today java.desktop for XChart, java.sql for Jackson,
# jdk.management for bench's per-thread allocation counter, jdk.unsupported for JCuda) plus the few only
# reached by reflection or service loading, which jdeps cannot see. A hand-kept list once missed
# jdk.management and every bench on the bundle died, so the list is derived and the bundle is run once here.
set -euo pipefail
BUILD_DIR="${1:?usage: bundle.sh BUILD_DIR JAR_NAME}"
JAR="$BUILD_DIR/${2:?usage: bundle.sh BUILD_DIR JAR_NAME}"
OUT="$BUILD_DIR/reaper-bundle"
REFLECTED=java.logging,java.management,jdk.incubator.vector
[ -f "$JAR" ] || { echo "bundle: $JAR not found (run mvn -Pbundle package)" >&2; exit 1; }
command -v jlink >/dev/null || { echo "bundle: jlink not found; build the bundle with a full JDK 17+" >&2; exit 1; }
FOUND="$(jdeps --print-module-deps --ignore-missing-deps --multi-release 17 "$JAR")"
MODULES="$(echo "$FOUND,$REFLECTED" | tr ',' '\n' | sort -u | paste -sd, -)"
echo "bundle: modules $MODULES"
rm -rf "$OUT" "$OUT.tar.xz"
jlink --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=2 --output "$OUT/runtime"
cp "$JAR" "$OUT/reaper.jar"
# with the tests (benchmarks/gpu/run.sh runs the CUDA test classes on the GPU host)
TESTS="${JAR%.jar}-tests.jar"
[ -f "$TESTS" ] && cp "$TESTS" "$OUT/reaper-tests.jar"
[ -f "$BUILD_DIR/junit-console.jar" ] && cp "$BUILD_DIR/junit-console.jar" "$OUT/junit-console.jar"
cat > "$OUT/reaper" <<'LAUNCHER'
#!/usr/bin/env sh
# Reaper launcher: runs the bundled Java runtime on the bundled jar. Extra JVM options: REAPER_JAVA_OPTS.
HERE="$(cd "$(dirname "$0")" && pwd)"
exec "$HERE/runtime/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC $REAPER_JAVA_OPTS -jar "$HERE/reaper.jar" "$@"
LAUNCHER
chmod +x "$OUT/reaper"
# the bundle must run what a GPU host will ask of it: info, and a timed training step (heap and allocation
# counters included) on the CPU
"$OUT/reaper" info > /dev/null
"$OUT/reaper" bench --model c3-32 --batch 2 --steps 1 --warmup 1 --warmup-seconds 0 > /dev/null \
    || { echo "bundle: the bundled runtime cannot run bench (a module missing from the jlink list?)" >&2; exit 1; }
tar -C "$BUILD_DIR" -cJf "$OUT.tar.xz" reaper-bundle
echo "bundle: $OUT ($(du -sh "$OUT" | cut -f1)), $OUT.tar.xz ($(du -h "$OUT.tar.xz" | cut -f1))"
