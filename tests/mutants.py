"""Damaged copies of good documents, and a harness that converts one as the service does.

Used by ``tests/test_fuzz_readers.py`` (a few dozen) and ``bench/fuzz_readers.py``
(thousands). Mutants are made from corpus files with a seeded ``random.Random``, so a
seed and a count name the same files on every machine. Each mutation is a kind of
damage met in the wild or made by hand: bytes flipped in and out of streams, files
cut off, xref tables and trailers damaged, stream lengths that lie, object numbers
used twice, page trees that contain themselves or count pages they do not have,
reference loops; for DOCX damaged zip entries, damaged XML, and a .docm.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from service.runner import START_CPU_SECONDS

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "fixtures" / "corpus"
#: Corpus files that convert in a few CPU seconds (001's PDF needs about nine, too
#: close to the harness's ten-second limit for its mutants to tell a hang from a slow run).
BASES = [
    CORPUS / f"{stem}.{ext}"
    for stem in ("000_a172aac8b2ce2e2e", "003_c5258405996ce6e5", "004_fafbd4f86c979bb4")
    for ext in ("pdf", "docx")
] + [CORPUS / "001_a298b7becd38ae40.docx"]
#: The outcomes that are never acceptable: a hang, a fault of ours, or a reader dying another way.
FAILURES = ("timeout", "internal-error", "no-result")

_STREAM = re.compile(rb"stream\r?\n")
_OBJ = re.compile(rb"(?<![0-9])(\d+) (\d+) obj\b")


@dataclass(frozen=True)
class Mutant:
    name: str
    kind: str
    data: bytes


# --- PDF ---------------------------------------------------------------------------


def _stream_spans(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of every stream's data: after ``stream`` and its end-of-line, up to ``endstream``."""
    spans = []
    for m in _STREAM.finditer(data):
        end = data.find(b"endstream", m.end())
        if end > 0:
            spans.append((m.end(), end))
    return spans


def _flip(data: bytes, positions: list[int], rng: random.Random) -> bytes:
    out = bytearray(data)
    for p in positions:
        out[p] ^= rng.randrange(1, 256)
    return bytes(out)


def _outside(spans: list[tuple[int, int]], pos: int) -> bool:
    return not any(a <= pos < b for a, b in spans)


def flip_in_stream(data: bytes, rng: random.Random) -> bytes:
    a, b = rng.choice(_stream_spans(data))
    return _flip(data, [rng.randrange(a, b) for _ in range(rng.randint(1, 8))], rng)


def flip_outside_streams(data: bytes, rng: random.Random) -> bytes:
    spans = _stream_spans(data)
    positions: list[int] = []
    while len(positions) < rng.randint(1, 8):
        p = rng.randrange(len(data))
        if _outside(spans, p):
            positions.append(p)
    return _flip(data, positions, rng)


def truncate(data: bytes, rng: random.Random) -> bytes:
    """Cut anywhere; half of the cuts get an end marker again, so the checks after the first one run."""
    cut = data[: rng.randrange(1, len(data))]
    return cut + b"\n%%EOF\n" if rng.random() < 0.5 else cut


def shift_xref(data: bytes, rng: random.Random) -> bytes:
    """Every xref offset moved by a few bytes, startxref too half of the time (then readers rebuild the table)."""
    k = rng.choice([-1, 1]) * rng.randint(1, 40)
    data = re.sub(rb"(\d{10}) (\d{5}) n", lambda m: b"%010d %s n" % (max(0, int(m[1]) + k), m[2]), data)
    if rng.random() < 0.5:
        data = re.sub(rb"startxref(\s+)(\d+)", lambda m: b"startxref%s%d" % (m[1], max(0, int(m[2]) + k)), data)
    return data


def garble_xref(data: bytes, rng: random.Random) -> bytes:
    """Some xref entries overwritten with other digits, or the ``xref`` keyword itself damaged."""
    entries = list(re.finditer(rb"\d{10} \d{5} [nf]", data))
    out = bytearray(data)
    if not entries or rng.random() < 0.2:
        i = data.rfind(b"xref")
        out[i : i + 4] = b"xtef"
        return bytes(out)
    for m in rng.sample(entries, min(len(entries), rng.randint(1, 10))):
        out[m.start() : m.start() + 10] = b"%010d" % rng.randrange(len(data) * 2)
    return bytes(out)


def misplace_startxref(data: bytes, rng: random.Random) -> bytes:
    return re.sub(rb"startxref(\s+)\d+", lambda m: b"startxref%s%d" % (m[1], rng.randrange(len(data) * 2)), data)


def damage_trailer(data: bytes, rng: random.Random) -> bytes:
    i = data.rfind(b"trailer")
    head, tail = data[:i], data[i:]
    change = rng.choice(
        [
            lambda t: re.sub(rb"/Root\s+\d+", b"/Root 99999", t),
            lambda t: re.sub(rb"/Root", b"/Roos", t),
            lambda t: re.sub(rb"/Size\s+\d+", b"/Size 0", t),
            lambda t: t.replace(b"<<", b"<< /Prev %d " % i, 1),
            lambda t: t.replace(b">>", b"", 1),
        ]
    )
    return head + change(tail)


def lie_about_length(data: bytes, rng: random.Random) -> bytes:
    """One stream's /Length a few bytes off (offsets of later objects move by a digit at most)."""
    lengths = list(re.finditer(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", data))
    m = rng.choice(lengths)
    wrong = max(0, int(m[1]) + rng.choice([-1, 1]) * rng.randint(1, 8))
    return data[: m.start(1)] + b"%d" % wrong + data[m.end(1) :]


def duplicate_object_number(data: bytes, rng: random.Random) -> bytes:
    """An object header renumbered to another object's number: the number is used twice."""
    headers = list(_OBJ.finditer(data))
    m, other = rng.sample(headers, 2)
    return data[: m.start(1)] + other[1] + data[m.end(1) :]


def bytes_after_streams(data: bytes, rng: random.Random) -> bytes:
    """Extra bytes between every stream's data and ``endstream`` (xref offsets no longer match)."""
    extra = rng.choice([b"\r\n", b"\n\n", b"  \n", bytes(rng.randrange(256) for _ in range(rng.randint(1, 6)))])
    return data.replace(b"endstream", extra + b"endstream")


def _trailer_value(data: bytes, key: bytes) -> bytes | None:
    found = re.findall(rb"/" + key + rb"\s+(\d+(?:\s+\d+\s+R)?)", data[data.rfind(b"trailer") :])
    return found[0] if found else None


def append_update(data: bytes, objects: dict[int, bytes]) -> bytes:
    """``data`` with an incremental update that replaces (or adds) ``objects``, as editors save changes."""
    startxref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    size = int(_trailer_value(data, b"Size") or 0)
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets = {}
    for n, body in sorted(objects.items()):
        offsets[n] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n" + b"".join(b"%d 1\n%010d 00000 n \n" % (n, o) for n, o in offsets.items())
    out += b"trailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        max(size, max(offsets) + 1),
        _trailer_value(data, b"Root"),
        startxref,
        xref,
    )
    return bytes(out)


def pages_node(data: bytes) -> tuple[int, bytes]:
    """The number and body of the root /Pages node (the catalog's /Pages)."""
    root = int(_trailer_value(data, b"Root").split()[0])
    catalog = re.search(rb"(?<![0-9])%d 0 obj(.*?)endobj" % root, data, re.S)[1]
    number = int(re.search(rb"/Pages\s+(\d+)", catalog)[1])
    return number, re.search(rb"(?<![0-9])%d 0 obj(.*?)endobj" % number, data, re.S)[1].strip()


def cyclic_page_tree(data: bytes, rng: random.Random) -> bytes:
    """The root /Pages node lists itself among its kids, or under a kid that lists the root."""
    number, body = pages_node(data)
    size = int(_trailer_value(data, b"Size"))
    if rng.random() < 0.5:
        return append_update(
            data,
            {
                number: body.replace(b"/Kids[", b"/Kids[ %d 0 R " % number, 1).replace(
                    b"/Kids [", b"/Kids [%d 0 R " % number, 1
                )
            },
        )
    middle = b"<< /Type /Pages /Parent %d 0 R /Kids [%d 0 R] /Count 1 >>" % (number, number)
    return append_update(data, {size: middle, number: re.sub(rb"/Kids\s*\[", b"/Kids[ %d 0 R " % size, body, count=1)})


def lie_about_count(data: bytes, rng: random.Random) -> bytes:
    number, body = pages_node(data)
    count = rng.choice([0, -1, 1, 10**3, 10**6, 10**9, 2**31 - 1, 10**15])
    return append_update(data, {number: re.sub(rb"/Count\s+\d+", b"/Count %d" % count, body)})


def reference_loop(data: bytes, rng: random.Random) -> bytes:
    """A stream's /Length (or a page's /Resources) made a reference into a two-object loop."""
    size = int(_trailer_value(data, b"Size"))
    loop = {size: b"%d 0 R" % (size + 1), size + 1: b"%d 0 R" % size}
    m = rng.choice(list(re.finditer(rb"/Length\s+\d+(?!\s+\d+\s+R)", data)))
    return append_update(data[: m.start()] + b"/Length %d 0 R" % size + data[m.end() :], loop)


PDF_KINDS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "pdf-flip-in-stream": flip_in_stream,
    "pdf-flip-outside-streams": flip_outside_streams,
    "pdf-truncate": truncate,
    "pdf-xref-shift": shift_xref,
    "pdf-xref-garble": garble_xref,
    "pdf-startxref-elsewhere": misplace_startxref,
    "pdf-trailer-damage": damage_trailer,
    "pdf-length-lie": lie_about_length,
    "pdf-duplicate-object-number": duplicate_object_number,
    "pdf-bytes-after-streams": bytes_after_streams,
    "pdf-cyclic-page-tree": cyclic_page_tree,
    "pdf-count-lie": lie_about_count,
    "pdf-reference-loop": reference_loop,
}


# --- DOCX --------------------------------------------------------------------------


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(info, z.read(info)) for info in z.infolist()]


def _rezip(members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info, content in members:
            z.writestr(info.filename, content)
    return buf.getvalue()


def flip_zip_bytes(data: bytes, rng: random.Random) -> bytes:
    return _flip(data, [rng.randrange(len(data)) for _ in range(rng.randint(1, 8))], rng)


def damage_zip_entry(data: bytes, rng: random.Random) -> bytes:
    """Bytes flipped in one member's compressed data (its directory entry intact): a Flate error or a bad CRC."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = rng.choice([i for i in z.infolist() if i.compress_size > 0])
    name_len, extra_len = (
        int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little"),
        int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little"),
    )
    start = info.header_offset + 30 + name_len + extra_len
    return _flip(data, [start + rng.randrange(info.compress_size) for _ in range(rng.randint(1, 4))], rng)


def _damage_text(xml: bytes, rng: random.Random) -> bytes:
    cut = rng.randrange(len(xml))
    return rng.choice(
        [
            lambda: xml[:cut] + xml[cut + rng.randint(1, 200) :],  # a piece taken out
            lambda: xml[:cut] + rng.choice([b"<", b"&", b"</w:p>", b"<w:tbl>", b"\x00", b"\xff\xfe"]) + xml[cut:],
            lambda: xml[:cut],  # cut short
            lambda: re.sub(rb'w:val="\d+"', lambda m: b'w:val="%d"' % rng.choice([-1, 0, 10**9]), xml, count=5),
            lambda: xml.replace(b"<w:tc>", b'<w:tc><w:tcPr><w:gridSpan w:val="%d"/></w:tcPr>' % rng.randint(0, 60), 3),
        ]
    )()


def damage_xml(data: bytes, rng: random.Random) -> bytes:
    """One XML part (the body, styles, relationships or content types) damaged, the zip rewritten around it."""
    members = _members(data)
    xml_parts = [i for i, (info, _) in enumerate(members) if info.filename.endswith((".xml", ".rels"))]
    weights = [8 if members[i][0].filename == "word/document.xml" else 1 for i in xml_parts]
    k = rng.choices(xml_parts, weights)[0]
    members[k] = (members[k][0], _damage_text(members[k][1], rng))
    return _rezip(members)


def truncate_zip(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


DOCM_MAIN = b"application/vnd.ms-word.document.macroEnabled.main+xml"


def macro_enabled(data: bytes, rng: random.Random) -> bytes:
    """The document saved as .docm: its main part typed macro-enabled, with a VBA project beside it."""
    members = _members(data)
    out = []
    for info, content in members:
        if info.filename == "[Content_Types].xml":
            content = re.sub(
                rb"application/vnd\.openxmlformats-officedocument\.wordprocessingml\.document\.main\+xml",
                DOCM_MAIN,
                content,
            ).replace(
                b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'
            )
        elif info.filename == "word/_rels/document.xml.rels":
            content = content.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdVba" Type="http://schemas.microsoft'
                b'.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
                b"</Relationships>",
            )
        out.append((info, content))
    out.append((zipfile.ZipInfo("word/vbaProject.bin"), bytes(rng.randrange(256) for _ in range(2048))))
    return _rezip(out)


DOCX_KINDS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "docx-flip-bytes": flip_zip_bytes,
    "docx-damaged-entry": damage_zip_entry,
    "docx-damaged-xml": damage_xml,
    "docx-truncate": truncate_zip,
    "docx-macro-enabled": macro_enabled,
}


KINDS = {**PDF_KINDS, **DOCX_KINDS}


def mutants(seed: int, count: int, bases: list[Path] = BASES) -> Iterator[Mutant]:
    """``count`` mutants, the same for the same seed: the kinds that fit ``bases`` taken
    in turn, each from the bases of its type in turn, the damage drawn at random. Made one at a time: a
    long run never holds more than the few in flight."""
    rng = random.Random(seed)
    sources = {p: p.read_bytes() for p in bases}
    fitting = {
        kind: [p for p in bases if p.suffix == (".pdf" if kind.startswith("pdf") else ".docx")] for kind in KINDS
    }
    kinds = sorted(kind for kind in KINDS if fitting[kind])
    for i in range(count):
        kind = kinds[i % len(kinds)]
        base = fitting[kind][(i // len(kinds)) % len(fitting[kind])]
        suffix = ".docm" if kind == "docx-macro-enabled" else base.suffix
        yield Mutant(f"{i:05d}-{kind}-{base.stem[:3]}{suffix}", kind, KINDS[kind](sources[base], rng))


# --- harness -----------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    mutant: str
    kind: str
    outcome: str  # "package", a stable error code, "timeout", "no-result" or "signal N"
    cpu_seconds: float
    wall_seconds: float
    #: What a client is told holds a traceback. (The server log may: a reader failing on a
    #: document is logged with its cause, in case the reader is at fault.)
    traceback: bool


def run_mutant(mutant: Mutant, folder: Path, cpu_seconds: int = 10, wall_seconds: int = 60) -> Result:
    """Write ``mutant`` into ``folder`` and convert it as the service does: one job for
    ``python -m service.runner`` with its limits, importing this checkout's code.

    The runner's CPU limit ends a spinning reader with SIGXCPU; the wall limit is only a
    backstop for a child that sleeps. CPU time is the child's own (``wait4``), so runs
    in parallel threads do not add up.
    """
    path = folder / mutant.name
    path.write_bytes(mutant.data)
    work = folder / (mutant.name + ".work")
    work.mkdir()
    cmd = [
        sys.executable,
        "-m",
        "service.runner",
        "--memory-mb=1024",
        f"--cpu-seconds={cpu_seconds + START_CPU_SECONDS}",
        f"--max-file-bytes={256 << 20}",
    ]
    job = {"source": str(path), "work": str(work), "max_pages": 500, "cpu_seconds": cpu_seconds}
    env = dict(os.environ, PYTHONPATH=str(REPO))
    started = time.monotonic()
    with (work / "stderr").open("wb") as err:
        proc = subprocess.Popen(
            cmd,
            cwd=work,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
        # One job, then the end of its input: the runner converts it and exits.
        proc.stdin.write(json.dumps(job).encode() + b"\n")
        proc.stdin.close()
        status, usage = _wait(proc, started + wall_seconds)
    rc = None if status is None else os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime if usage else float(cpu_seconds)
    outcome, detail = _outcome(rc, work)
    return Result(
        mutant.name, mutant.kind, outcome, round(cpu, 2), round(time.monotonic() - started, 2), "Traceback" in detail
    )


def _wait(proc: subprocess.Popen, deadline: float):
    """The child's wait status and resource usage, or (None, None) after killing it at ``deadline``."""
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
            return status, usage
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            os.wait4(proc.pid, 0)
            proc.returncode = -signal.SIGKILL
            return None, None
        time.sleep(0.02)


def _outcome(rc: int | None, work: Path) -> tuple[str, str]:
    """The outcome and the detail a client would read."""
    if rc is None or rc == -signal.SIGXCPU:
        return "timeout", ""
    if rc < 0:
        return f"signal {-rc}", ""
    try:
        result = json.loads((work / "result.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "no-result", ""
    return ("package", "") if result["ok"] else (result["code"], result["detail"])
