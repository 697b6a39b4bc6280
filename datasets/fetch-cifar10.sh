#!/usr/bin/env bash
# Downloads the official CIFAR-10 binary release (Krizhevsky 2009; 50,000 training + 10,000 test
# images, 162 MB), verifies its MD5 and unpacks it into datasets/cifar-10-batches-bin/, where
# `reaper` finds it. Safe to re-run. Set REAPER_DATASETS=DIR to put it elsewhere.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/fetch-lib.sh"
fetch_dataset "CIFAR-10" \
    "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz" \
    "c32a1d4ab5d03f1284b67883e8d87530" \
    "cifar-10-binary.tar.gz" "cifar-10-batches-bin" \
    data_batch_1.bin data_batch_2.bin data_batch_3.bin data_batch_4.bin data_batch_5.bin test_batch.bin batches.meta.txt
