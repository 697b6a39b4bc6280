#!/usr/bin/env bash
# Downloads the official CIFAR-100 binary release (Krizhevsky 2009; 50,000 training + 10,000 test
# images, 100 fine / 20 coarse classes, 161 MB), verifies its MD5 and unpacks it into
# datasets/cifar-100-binary/. Safe to re-run. Set REAPER_DATASETS=DIR to put it elsewhere.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/fetch-lib.sh"
fetch_dataset "CIFAR-100" \
    "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz" \
    "03b5dce01913d631647c71ecec9e9cb8" \
    "cifar-100-binary.tar.gz" "cifar-100-binary" \
    train.bin test.bin fine_label_names.txt coarse_label_names.txt
