#!/usr/bin/env bash
# Builds a self-contained Reaper for GPU hosts without a JDK (mvn -Pbundle package):
#   BUILD_DIR/reaper-bundle/{runtime/ (jlink'd JRE), reaper.jar, reaper (launcher)} and BUILD_DIR/reaper-bundle.tar.xz
# The module list was checked with jdeps (java.desktop for XChart, java.sql for Jackson,
# java.management for memory MXBeans, jdk.unsupported + java.logging for JCuda and friends).
set -euo pipefail
BUILD_DIR="${1:?usage: bundle.sh BUILD_DIR JAR_NAME}"
JAR="$BUILD_DIR/${2:?usage: bundle.sh BUILD_DIR JAR_NAME}"
OUT="$BUILD_DIR/reaper-bundle"
MODULES=java.base,java.desktop,java.logging,java.management,java.sql,jdk.unsupported,jdk.incubator.vector
[ -f "$JAR" ] || { echo "bundle: $JAR not found (run mvn -Pbundle package)" >&2; exit 1; }
command -v jlink >/dev/null || { echo "bundle: jlink not found; build the bundle with a full JDK 17+" >&2; exit 1; }
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
tar -C "$BUILD_DIR" -cJf "$OUT.tar.xz" reaper-bundle
echo "bundle: $OUT ($(du -sh "$OUT" | cut -f1)), $OUT.tar.xz ($(du -h "$OUT.tar.xz" | cut -f1))"
