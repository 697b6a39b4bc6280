#!/usr/bin/env bash
# Does the training step ever wait for data? On an ImageNet-sized JPEG folder (benchmarks/jpeg_folder.py: 500x375
# and 375x500 baseline JPEGs of ~110 KB, written here when DATA has none): decode images/s (prepare), loader
# images/s from the JPEGs and from the decoded cache (LoaderThroughput.java: RandomResizedCrop(64) + flip),
# and two resnet18 trainings at 64 px, from the cache and straight from the JPEGs, whose epoch lines give the
# training images/s and the seconds the steps waited for the loader ("waiting for data"); then the same for a tiny
# c2-8-pool at 32 px, whose steps outrun JPEG decoding (the control: there the wait must show).
#
#   benchmarks/loader-vs-step.sh [DATA=/tmp/reaper-jpegs] [WORK=/tmp/reaper-loader-bench]
#   JAR=target/reaper.jar  PYTHON=/usr/bin/python3 (with PIL and numpy)  THREADS=2  EPOCHS=2  BATCH=32
set -euo pipefail
DATA=${1:-/tmp/reaper-jpegs}
WORK=${2:-/tmp/reaper-loader-bench}
JAR=${JAR:-target/reaper.jar}
PYTHON=${PYTHON:-/usr/bin/python3}
THREADS=${THREADS:-2}
EPOCHS=${EPOCHS:-2}
BATCH=${BATCH:-32}
cd "$(dirname "$0")/.."

[ -d "$DATA/train" ] || "$PYTHON" benchmarks/jpeg_folder.py "$DATA" 10 100 10
rm -rf "$WORK" && mkdir -p "$WORK"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; java: $(java -version 2>&1 | head -1)"
echo "data: $(find "$DATA/train" -type f | wc -l) training JPEGs, $(du -sh "$DATA" | cut -f1) in $DATA"
load() { echo "load: $(uptime | sed 's/.*load average: //')"; }

load
echo "== decode: prepare (decode + shrink to a shorter side of 80 px, $THREADS threads)"
java -jar "$JAR" prepare --data "$DATA" --size 80 --out "$WORK/cache" --threads "$THREADS" | grep -v '^prepare '
load
echo "== loader images/s (RandomResizedCrop 64 + flip + normalise), JPEG folder then cache, 1 and $THREADS workers"
java --add-modules jdk.incubator.vector -cp "$JAR" benchmarks/LoaderThroughput.java "$DATA" 64 1 1 "$THREADS" 2>/dev/null
java --add-modules jdk.incubator.vector -cp "$JAR" benchmarks/LoaderThroughput.java "$WORK/cache" 64 3 1 "$THREADS" 2>/dev/null
for src in cache jpeg; do
  load
  d=$([ $src = cache ] && echo "$WORK/cache" || echo "$DATA")
  echo "== train resnet18 at 64 px from the $src: $EPOCHS epochs, batch $BATCH, $THREADS threads, $THREADS loader workers"
  java -jar "$JAR" train --model resnet18 --data "$d" --image-size 64 --augment --epochs "$EPOCHS" --batch "$BATCH" \
      --lr 0.01 --threads "$THREADS" --workers "$THREADS" --out "$WORK/run-$src" 2>&1 | grep '^epoch'
done
# the control: a model so small that decoding JPEGs cannot keep up, so the wait must show
for src in cache jpeg; do
  load
  d=$([ $src = cache ] && echo "$WORK/cache" || echo "$DATA")
  echo "== control: train c2-8-pool at 32 px from the $src: 1 epoch, batch $BATCH, $THREADS threads, $THREADS loader workers"
  java -jar "$JAR" train --model c2-8-pool --data "$d" --image-size 32 --augment --epochs 1 --batch "$BATCH" \
      --lr 0.01 --threads "$THREADS" --workers "$THREADS" --out "$WORK/control-$src" 2>&1 | grep '^epoch'
done
load
