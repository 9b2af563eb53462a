#!/usr/bin/env bash
# Builds the libdeflate bundled in the connector's jar, from Debian's copy of the upstream source,
# with libdeflate's own default flags (make libdeflate.so: -O2 -fomit-frame-pointer, generic
# x86-64, no profile). The build is reproducible: the same compiler gives the same bytes.
#
#   native/build-libdeflate.sh          rebuild and replace the bundled library
#   native/build-libdeflate.sh --check  rebuild and fail unless it equals the bundled library
#
# Needs curl, make and gcc (Debian 12's gcc 12.2 made the bundled bytes). Exits 3 when the source
# cannot be downloaded, so that a test can tell "offline" from "differs".
#
# Why bundle a build of the version Debian ships: Debian's libdeflate0 1.14-1 is built with a
# profile trained on C source at every level, and deflates FASTQ at bgzip's level with 1.13x to
# 1.15x this build's CPU, with byte-identical output (README, "Native inflate and deflate").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VERSION=1.14
TARBALL=libdeflate_${VERSION}.orig.tar.gz
URL=http://deb.debian.org/debian/pool/main/libd/libdeflate/${TARBALL}
SHA256=89e7df898c37c3427b0f39aadcf733731321a278771d20fc553f92da8d4808ac  # libdeflate_1.14-1.dsc
DEST=connector/src/main/resources/io/github/fastqmmap/codec/linux-x86-64/libdeflate.so.0

if [ "$(uname -sm)" != "Linux x86_64" ]; then
  echo "build-libdeflate: builds the linux-x86-64 library only, on Linux x86_64" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! curl -fsS -m 120 -o "$work/$TARBALL" "$URL"; then
  echo "build-libdeflate: could not download $URL" >&2
  exit 3
fi
echo "$SHA256  $work/$TARBALL" | sha256sum -c --quiet -
tar xzf "$work/$TARBALL" -C "$work"
make -s -C "$work/libdeflate-$VERSION" libdeflate.so >/dev/null
built="$work/libdeflate-$VERSION/libdeflate.so.0"

if [ "${1:-}" = "--check" ]; then
  if cmp -s "$built" "$DEST"; then
    echo "build-libdeflate: the bundled library is this source's build ($(sha256sum <"$DEST" | cut -c1-16)...)"
  else
    echo "build-libdeflate: $DEST differs from a build of $TARBALL with $(gcc --version | sed -n 1p)" >&2
    exit 1
  fi
else
  mkdir -p "$(dirname "$DEST")"
  cp "$built" "$DEST"
  cp "$work/libdeflate-$VERSION/COPYING" "$(dirname "$DEST")/libdeflate.COPYING"
  echo "build-libdeflate: wrote $DEST ($(sha256sum <"$DEST" | cut -c1-64))"
fi
