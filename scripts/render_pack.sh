#!/usr/bin/env bash
# Render a board pack (or any .pptx, .docx or .xlsx) to one PNG per page or slide, to look at it:
#   bash scripts/render_pack.sh FILE [OUTDIR] [DPI]
# Uses LibreOffice from Debian's packages (libreoffice-impress, libreoffice-writer, and
# libreoffice-calc for .xlsx; installed with apt-get as root if missing) to make a PDF, then
# Ghostscript (or pdftoppm) for the PNGs.
# Prints the PNG paths. OUTDIR defaults to screenshots/packs/<file name>; DPI to 80.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: bash scripts/render_pack.sh FILE [OUTDIR] [DPI]" >&2
  exit 2
fi
FILE="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
[ -f "$FILE" ] || { echo "render_pack: there is no file $1" >&2; exit 2; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME="$(basename "$FILE")"
OUT="${2:-$ROOT/screenshots/packs/${NAME%.*}}"
DPI="${3:-80}"

case "${NAME##*.}" in
  pptx) PACKAGE=libreoffice-impress ;;
  docx) PACKAGE=libreoffice-writer ;;
  xlsx) PACKAGE=libreoffice-calc ;;
  *) echo "render_pack: $NAME is not a .pptx, .docx or .xlsx file" >&2; exit 2 ;;
esac
if ! dpkg -s "$PACKAGE" >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "render_pack: installing $PACKAGE (LibreOffice) with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$PACKAGE" >/dev/null
  else
    echo "render_pack: LibreOffice ($PACKAGE) is not installed. As root: apt-get install -y $PACKAGE" >&2
    exit 2
  fi
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# A private LibreOffice profile, so a desktop LibreOffice that is open does not block the conversion.
soffice -env:UserInstallation="file://$WORK/profile" --headless --convert-to pdf --outdir "$WORK" "$FILE" >/dev/null 2>&1
PDF="$WORK/${NAME%.*}.pdf"
[ -f "$PDF" ] || { echo "render_pack: LibreOffice did not convert $NAME to PDF" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT"
if command -v pdftoppm >/dev/null 2>&1; then
  pdftoppm -r "$DPI" -png "$PDF" "$OUT/page"
else
  gs -q -dNOPAUSE -dBATCH -sDEVICE=png16m -r"$DPI" -dTextAlphaBits=4 -dGraphicsAlphaBits=4 \
    -sOutputFile="$OUT/page-%02d.png" "$PDF"
fi
cp "$PDF" "$OUT/"
ls -1 "$OUT"/*.png
