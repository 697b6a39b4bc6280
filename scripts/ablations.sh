#!/usr/bin/env bash
# The paper's ablations on real images (issue 16): every study of the README's "Results" section, resumable.
#   scripts/ablations.sh [STUDY...]     run (or continue) the named studies, then rebuild their tables and plots
#   scripts/ablations.sh report         only rebuild the tables and plots from the run folders
# STUDY: criteria agreement penalty schedule augment fashion (default: all, in that order).
# Each study trains into runs/ablations/NAME; a finished run is reused and an interrupted one resumed, so running
# this again after a stop continues where it was. Copy the small files into results/ with scripts/ablations-results.sh.
# Environment: REAPER (default "java -jar target/reaper.jar"), CIFAR (default ../shared/datasets/cifar-10-subset), FASHION,
# PARALLEL (runs at the same time, default 2), THREADS (CPU threads in all, default 2), FASHION_SEEDS (default 3; a
# smaller number first gives every variant its seed 1, and the full number later reuses those runs).
set -euo pipefail
cd "$(dirname "$0")/.."
R=${REAPER:-java -jar target/reaper.jar}
CIFAR=${CIFAR:-../shared/datasets/cifar-10-subset}
FASHION=${FASHION:-/usr/share/datasets/fashion-mnist}   # Debian's dataset-fashion-mnist (datasets/README.md: elsewhere)
P=${PARALLEL:-2}; T=${THREADS:-2}
OUT=runs/ablations
# the README's setting: c3-32-pool, the 5,085 + 1,017 real CIFAR-10 images, SGD momentum 0.9, lr 0.01, batch 128, 110 epochs
TRAIN=(-- --lr 0.01 --momentum 0.9 --batch 128)
study() { $R study --model c3-32-pool --data "$CIFAR" --seeds 3 --parallel "$P" --threads "$T" "$@"; }

criteria() {
  local v=standard,repr:exclude-first
  for c in oracle weight-l1 weight-l2 activation apoz gradient taylor random; do v+=",repr:exclude-first:criterion=$c"; done
  study --epochs 110 --variants "$v" --out $OUT/criteria "${TRAIN[@]}"
}
# every criterion scored on the same weights at the first drop point (epoch 20), one pruned epoch after it
agreement() { study --epochs 21 --variants repr:exclude-first:score-criteria --out $OUT/agreement "${TRAIN[@]}"; }
# the soft orthogonality penalty (all conv layers, the literal regulariser) at three strengths, and with RePr;
# standard and repr:exclude-first without it are the criteria study's runs
penalty() {
  study --epochs 110 --variants standard:ortho-penalty=0.001,standard:ortho-penalty=0.01,standard:ortho-penalty=0.1,repr:exclude-first:ortho-penalty=0.01 \
        --out $OUT/penalty "${TRAIN[@]}"
}
# p around the paper's 0.3 (110 epochs), and S2 = 5 / 20 with 20 full epochs after the last re-init as at S2 = 10
schedule() {
  study --epochs 110 --variants repr:exclude-first:prune=0.1,repr:exclude-first:prune=0.2,repr:exclude-first,repr:exclude-first:prune=0.5 \
        --out $OUT/schedule-p "${TRAIN[@]}"
  study --epochs 95 --variants standard,repr:exclude-first:s2=5 --out $OUT/schedule-s2-5 "${TRAIN[@]}"
  study --epochs 140 --variants standard,repr:exclude-first:s2=20 --out $OUT/schedule-s2-20 "${TRAIN[@]}"
}
augment() { study --epochs 110 --variants standard,repr,repr:exclude-first --out $OUT/augment -- --lr 0.01 --momentum 0.9 --batch 128 --augment; }
# all 60,000 Fashion-MNIST training images: the paper's schedule scaled down by 5 (S1 = 4, S2 = 2, N = 3, then 4 full epochs)
fashion() {
  $R study --model c3-32-pool --data "$FASHION" --seeds "${FASHION_SEEDS:-3}" --parallel "$P" --threads "$T" --epochs 22 \
     --variants standard,repr:s1=4:s2=2,repr:exclude-first:s1=4:s2=2,repr:exclude-first:s1=4:s2=2:criterion=random \
     --out $OUT/fashion -- --lr 0.01 --momentum 0.9 --batch 128
}
report() {
  for d in $OUT/*/; do
    [ -f "$d/study.json" ] || continue
    $R report "$d" >/dev/null && echo "rebuilt ${d}study.md"
  done
  if [ -d $OUT/agreement ]; then
    $R agreement $OUT/agreement/repr-exclude-first-score-criteria --out $OUT/agreement >/dev/null
    $R agreement $OUT/agreement/repr-exclude-first-score-criteria --all-layers --out $OUT/agreement/all-layers >/dev/null
    echo "rebuilt $OUT/agreement/agreement.md and all-layers/agreement.md"
  fi
}

if [ $# -eq 0 ]; then set -- criteria agreement penalty fashion augment schedule; fi
for s in "$@"; do
  case $s in
    criteria|agreement|penalty|schedule|augment|fashion) echo "== $s"; $s ;;
    report) ;;
    *) echo "unknown study '$s': use criteria, agreement, penalty, schedule, augment, fashion or report" >&2; exit 2 ;;
  esac
done
report
