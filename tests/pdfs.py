"""PDFs for tests and benchmarks, written by hand (no PDF writer needed)."""

import io
import zlib


def _pdf(streams: list[bytes], *, compress: bool) -> bytes:
    pages = len(streams)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(pages)), pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, stream in enumerate(streams):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R"
            b" /Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * i)
        )
        body = zlib.compress(stream, 9) if compress else stream
        flate = b" /Filter /FlateDecode" if compress else b""
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(body), flate) + body + b"\nendstream")
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def text_pdf(text: str) -> bytes:
    """A one-page PDF with ``text`` in its text layer."""
    return _pdf([f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()], compress=False)


def operator_flood_pdf(*, pages: int = 1, operators: int = 1_500_000) -> bytes:
    """A small PDF whose every page is one compressed stream of ``operators`` repeated
    ``(x) Tj`` text operators: a few KB that keep a text extractor busy for many seconds."""
    stream = b"BT /F1 12 Tf 72 720 Td " + b"(x) Tj " * operators + b"ET"
    return _pdf([stream] * pages, compress=True)
