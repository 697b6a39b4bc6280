# Shared by fetch-cifar10.sh and fetch-cifar100.sh (sourced, not run).
# fetch_dataset NAME URL MD5 TARBALL FOLDER FILE...
#   Downloads URL to TARBALL (next to this script), checks its MD5, unpacks FOLDER and checks that
#   every FILE exists in it. Does nothing when FOLDER already holds every FILE (idempotent).

fetch_die() { echo "error: $*" >&2; exit 1; }

fetch_md5() {
    if command -v md5sum >/dev/null 2>&1; then md5sum "$1" | cut -d' ' -f1
    elif command -v md5 >/dev/null 2>&1; then md5 -q "$1"
    else fetch_die "neither md5sum nor md5 is installed; cannot verify $1"
    fi
}

fetch_download() { # URL DEST
    if command -v curl >/dev/null 2>&1; then
        curl -fL --retry 2 --connect-timeout 15 -o "$2" "$1"
    elif command -v wget >/dev/null 2>&1; then
        wget -T 15 -t 2 -O "$2" "$1"
    else
        fetch_die "neither curl nor wget is installed: download $1 by hand to $2 and re-run this script"
    fi
}

fetch_dataset() {
    local name=$1 url=$2 md5=$3 tarball=$4 folder=$5; shift 5
    local here; here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    local dest=${REAPER_DATASETS:-$here}
    mkdir -p "$dest" || fetch_die "cannot create $dest"
    cd "$dest" || exit 1

    local missing=0 f
    for f in "$@"; do [ -f "$folder/$f" ] || missing=1; done
    if [ $missing = 0 ]; then
        echo "$name is already in $dest/$folder (nothing to do)"
        return 0
    fi

    if [ -f "$tarball" ] && [ "$(fetch_md5 "$tarball")" = "$md5" ]; then
        echo "using the verified $dest/$tarball"
    else
        echo "downloading $name from $url ..."
        rm -f "$tarball.part"
        if ! fetch_download "$url" "$tarball.part"; then
            rm -f "$tarball.part"
            fetch_die "could not download $url (no network?). Download it on a machine with network access, put it at $dest/$tarball and re-run this script; or pass --data DIR to reaper."
        fi
        local got; got=$(fetch_md5 "$tarball.part")
        if [ "$got" != "$md5" ]; then
            rm -f "$tarball.part"
            fetch_die "$url has MD5 $got, expected $md5 (corrupt or changed download); try again"
        fi
        mv "$tarball.part" "$tarball"
    fi

    echo "unpacking $tarball into $dest/$folder ..."
    tar -xzf "$tarball" || fetch_die "could not unpack $dest/$tarball (corrupt? delete it and re-run)"
    for f in "$@"; do
        [ -f "$folder/$f" ] || fetch_die "$dest/$tarball did not contain $folder/$f"
    done
    echo "$name is ready in $dest/$folder"
}
