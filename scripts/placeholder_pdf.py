#!/usr/bin/env python3
"""Write small, deterministic placeholder PDFs for ISECG publications.

Usage:
    python3 scripts/placeholder_pdf.py OUT.pdf "Title text"
    python3 scripts/placeholder_pdf.py --all

The first form writes one single-page PDF 1.4 that states the title and the
words "Placeholder: the real publication is published by ISECG".

The second form reads every content/publications/*.md, takes `title` and
`file` from its TOML front matter and (re)writes the PDF at `file`, resolved
relative to the .md file.

The output is byte-identical on every run: no dates, no /ID, fixed layout.
Python 3 standard library only.
"""

import re
import sys
from pathlib import Path

PLACEHOLDER = "Placeholder: the real publication is published by ISECG"

# A4 portrait, in points.
PAGE_W, PAGE_H = 595, 842
MARGIN = 72
TITLE_SIZE = 20
TITLE_LEADING = 26
NOTE_SIZE = 12
NOTE_LEADING = 16

# Helvetica advance widths (1/1000 em) for printable ASCII, used only to wrap
# lines; characters not listed count as 556.
_HELV_WIDTHS = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~",
    [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333,
     278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278,
     584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278,
     500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944,
     667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556,
     278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
     278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584],
))


def text_width(text, size):
    return sum(_HELV_WIDTHS.get(ch, 556) for ch in text) * size / 1000.0


def wrap(text, size, max_width):
    """Greedy word wrap by Helvetica width; over-long words are split."""
    lines, current = [], ""
    for word in text.split():
        candidate = word if not current else current + " " + word
        if text_width(candidate, size) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        while text_width(word, size) > max_width:
            cut = len(word)
            while cut > 1 and text_width(word[:cut], size) > max_width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


def pdf_string(text):
    """A PDF literal string in WinAnsiEncoding, escaped; returns bytes.

    `(`, `)` and `\\` are backslash-escaped; bytes outside printable ASCII
    are written as octal escapes so the content stream stays 7-bit.
    """
    raw = text.encode("cp1252", errors="replace")
    out = bytearray(b"(")
    for b in raw:
        if b in (0x28, 0x29, 0x5C):
            out += b"\\" + bytes([b])
        elif 0x20 <= b <= 0x7E:
            out.append(b)
        else:
            out += b"\\%03o" % b
    out += b")"
    return bytes(out)


def pdf_text_string(text):
    """A PDF text string for the Info dictionary (ASCII literal or UTF-16BE hex)."""
    if all(0x20 <= ord(ch) <= 0x7E for ch in text):
        return pdf_string(text)
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def build_pdf(title):
    title = " ".join(title.split())
    usable = PAGE_W - 2 * MARGIN
    title_lines = wrap(title, TITLE_SIZE, usable)
    note_lines = wrap(PLACEHOLDER, NOTE_SIZE, usable)

    ops = [b"BT",
           b"/F1 %d Tf" % TITLE_SIZE,
           b"%d TL" % TITLE_LEADING,
           b"%d %d Td" % (MARGIN, PAGE_H - MARGIN - TITLE_SIZE)]
    for i, line in enumerate(title_lines):
        ops.append(pdf_string(line) + (b" Tj" if i == 0 else b" '"))
    ops += [b"/F1 %d Tf" % NOTE_SIZE, b"%d TL" % NOTE_LEADING,
            b"0 %d Td" % -(len(title_lines) * TITLE_LEADING + NOTE_LEADING)]
    for i, line in enumerate(note_lines):
        ops.append(pdf_string(line) + (b" Tj" if i == 0 else b" '"))
    ops.append(b"ET")
    content = b"\n".join(ops) + b"\n"

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
        % (PAGE_W, PAGE_H),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding /WinAnsiEncoding >>",
        b"<< /Title " + pdf_text_string(title) + b" >>",
    ]

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n"
            % (len(objects) + 1, len(objects)))
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def write_pdf(path, title):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build_pdf(title))


_ESCAPES = {'"': '"', "\\": "\\", "b": "\b", "t": "\t", "n": "\n",
            "f": "\f", "r": "\r"}


def _toml_basic_string(value):
    """Undo TOML basic-string escapes (\\" \\\\ \\n \\uXXXX \\UXXXXXXXX ...)."""
    def repl(m):
        esc = m.group(1)
        if esc[0] in "uU":
            return chr(int(esc[1:], 16))
        return _ESCAPES[esc]
    return re.sub(r'\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|["\\btnfr])', repl, value)


def front_matter_fields(md_path):
    """Return {title, file} from a `+++`-delimited TOML front matter."""
    lines = Path(md_path).read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != "+++":
        raise ValueError(f"{md_path}: no +++ front matter")
    fields = {}
    for line in lines[1:]:
        if line.strip() == "+++":
            break
        m = re.match(r'^\s*(title|file)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(#.*)?$', line)
        if m:
            fields[m.group(1)] = _toml_basic_string(m.group(2))
    else:
        raise ValueError(f"{md_path}: unterminated front matter")
    return fields


def write_all():
    pub_dir = Path(__file__).resolve().parent.parent / "content" / "publications"
    mds = sorted(pub_dir.glob("*.md"))
    if not mds:
        print(f"no publications in {pub_dir}", file=sys.stderr)
        return 1
    status = 0
    for md in mds:
        fields = front_matter_fields(md)
        if "title" not in fields or "file" not in fields:
            print(f"{md}: missing title or file", file=sys.stderr)
            status = 1
            continue
        out = (md.parent / fields["file"]).resolve()
        write_pdf(out, fields["title"])
        print(out.relative_to(pub_dir.parent.parent))
    return status


def main(argv):
    if argv == ["--all"]:
        return write_all()
    if len(argv) == 2 and not argv[0].startswith("-"):
        write_pdf(argv[0], argv[1])
        return 0
    print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
