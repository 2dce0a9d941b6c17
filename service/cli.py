"""``budgetpack convert IN... -o OUT``: the pipeline from the shell, for batch work.

One input writes its package into OUT (or OUT.zip with ``--zip``); several inputs
convert in parallel, one package folder (or zip) per input inside OUT, with a progress
bar. Each input's folder is named after its file (see :func:`output_names`), and each
result line says which folder an input went to.

A package is written into a temporary folder next to its target and moved into place
only when it is complete, so a package from an earlier run is replaced whole, never
mixed with the new files, and a failed conversion leaves the earlier one as it was. A
folder that holds something other than a package is never replaced. One input failing,
even with an unexpected error, does not stop the others; the exit code is 0 only when
every input converted.

``budgetpack worker`` is the service's other process when jobs go through Redis
(``BUDGETPACK_QUEUE``, service.redis_queue): it converts queued jobs, on any machine.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import click
from tqdm import tqdm

from converters.errors import ConversionError
from converters.merge import merge_packages
from converters.page_pool import MIN_PAGES, SEQUENTIAL
from converters.partial import CODE as PARTIAL_READ
from converters.pdf_pages import DEFAULT_READER, READER_ENV, READERS
from converters.pipeline import PagePool, convert, zip_package

from .config import Config, cpu_count


def output_names(inputs: list[Path]) -> dict[Path, str]:
    """A distinct folder name per input, the same for the same inputs in any order.

    The file's stem when no other input has the same one (compared without case, for
    case-insensitive file systems); ``stem_ext`` when two differ only by type
    (``x.pdf``, ``x.docx`` -> ``x_pdf``, ``x_docx``); a ``_2``, ``_3`` … after that
    for the same name in different folders, in the order of their full paths.
    """
    stems = Counter(src.stem.casefold() for src in inputs)
    wanted = {
        src: src.stem if stems[src.stem.casefold()] == 1 else f"{src.stem}_{src.suffix.lstrip('.').lower()}"
        for src in inputs
    }
    names: dict[Path, str] = {}
    used: set[str] = set()
    for src in sorted(inputs, key=lambda p: str(p.resolve())):
        name, n = wanted[src], 1
        while name.casefold() in used:
            n += 1
            name = f"{wanted[src]}_{n}"
        used.add(name.casefold())
        names[src] = name
    return names


def zip_path(target: Path) -> Path:
    """``target`` as a zip file name: ``.zip`` appended unless it already ends so."""
    return target if target.suffix.lower() == ".zip" else target.with_name(target.name + ".zip")


def _refuse_foreign(target: Path, make_zip: bool) -> None:
    """Refuse to replace anything but an earlier package: a user's folder must never be deleted."""
    if not target.exists() and not target.is_symlink():
        return
    if make_zip:
        if target.is_dir() or target.is_symlink():
            raise ConversionError(
                "invalid-request", f"{target} exists and is not a file; it was left alone. Choose another -o."
            )
        return
    if target.is_symlink() or not target.is_dir() or (any(target.iterdir()) and not is_package_folder(target)):
        raise ConversionError(
            "invalid-request",
            f"{target} exists and is not a package folder budgetpack "
            "wrote (or holds other files too); it was left alone. Choose another -o.",
        )


def is_package_folder(folder: Path) -> bool:
    """A folder budgetpack wrote and nothing else: its datapackage.json is ours (it names
    the template family) and every file in it is the descriptor, the report or a file
    the descriptor lists."""
    try:
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        listed = {"datapackage.json", "report.json"} | {
            path for r in descriptor["resources"] for path in (r["path"], r.get("parquet", {}).get("path")) if path
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return "budgetpack:template_family" in descriptor and all(
        p.is_file() and not p.is_symlink() and p.name in listed for p in folder.iterdir()
    )


def _convert_one(
    source: Path,
    target: Path,
    make_zip: bool,
    max_pages: int | None,
    page_pool: PagePool = SEQUENTIAL,
    pdf_reader: str | None = None,
) -> dict:
    """Convert one file into ``target``; every failure comes back as data so a batch goes on."""
    try:
        _refuse_foreign(target, make_zip)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".budgetpack-", suffix=".partial", dir=target.parent))
        try:
            result = convert(
                source,
                staging / "package",
                max_pages=max_pages,
                original_name=source.name,
                page_pool=page_pool,
                pdf_reader=pdf_reader,
            )
            if make_zip:
                zip_package(staging / "package", staging / "package.zip")
                os.replace(staging / "package.zip", target)
            else:
                if target.exists():
                    os.rename(target, staging / "earlier")  # deleted with the staging folder
                os.rename(staging / "package", target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except ConversionError as e:
        return {"input": str(source), "ok": False, "code": e.code, "detail": e.detail}
    except Exception as e:  # a bug or the machine (disk full, say): report it, keep the batch going
        return {
            "input": str(source),
            "ok": False,
            "code": "internal-error",
            "detail": f"budgetpack failed on this file: {type(e).__name__}: {e}",
            "traceback": traceback.format_exc(),
        }
    tables = result.report["tables"]
    return {
        "input": str(source),
        "ok": True,
        "output": str(target),
        "family": result.report["document"]["template_family"],
        "found": sum(t["status"] == "found" for t in tables),
        "empty": sum(t["status"] == "empty" for t in tables),
        "missing": sum(t["status"] == "missing" for t in tables),
        "valid": result.report["validation"]["valid"],
        "partly_read": [w["message"] for w in result.report["warnings"] if w["code"] == PARTIAL_READ],
    }


@click.group()
def main() -> None:
    """budgetpack: Chinese budget disclosures (PDF, DOCX) to validated data packages."""


@main.command("convert")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path),
    help="Package folder (one input) or folder of package folders (several inputs).",
)
@click.option("--zip", "make_zip", is_flag=True, help="Write each package as one .zip file.")
@click.option("-j", "--jobs", type=int, default=None, help="Parallel conversions (default: CPU count).")
@click.option(
    "--page-workers",
    type=click.IntRange(min=1),
    default=None,
    envvar="BUDGETPACK_PAGE_WORKERS",
    show_envvar=True,
    help=f"Processes reading one PDF's pages, from {MIN_PAGES} pages on "
    "(default: the CPUs left to each of the documents converting at once).",
)
@click.option(
    "--pdf-reader",
    type=click.Choice(READERS, case_sensitive=False),
    default=None,
    envvar=READER_ENV,
    show_envvar=True,
    help=f"What interprets a PDF's pages: PDFium (fast, C) or pdfplumber (pdfminer, Python) "
    f"(default: {DEFAULT_READER}).",
)
@click.option("--max-pages", type=int, default=None, help="Refuse documents with more pages.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line per input instead of a summary.")
@click.option(
    "--merge",
    "merge",
    is_flag=True,
    help="Write one package at OUTPUT holding every input's rows (see `budgetpack merge`).",
)
def convert_command(
    inputs: tuple[Path, ...],
    output: Path,
    make_zip: bool,
    jobs: int | None,
    page_workers: int | None,
    pdf_reader: str | None,
    max_pages: int | None,
    as_json: bool,
    merge: bool,
) -> None:
    """Convert INPUTS (PDF or DOCX) into data packages under OUTPUT.

    -j runs documents in parallel, --page-workers reads one long PDF's pages in
    parallel; by default the CPUs go to documents first and what is left to pages,
    so one long document uses every core and a batch does not oversubscribe them.
    """
    if merge:
        with tempfile.TemporaryDirectory(prefix="budgetpack-each-") as each:
            results = _convert_all(inputs, Path(each), False, jobs, page_workers, pdf_reader, max_pages, as_json)
            merged = [Path(r["output"]) for r in results if r["ok"]]
            outcome = _merge_into(merged, output, make_zip) if merged else None
        _echo(results, as_json)
        if outcome is not None:
            _echo([outcome], as_json)
        sys.exit(0 if all(r["ok"] for r in results) and outcome and outcome["ok"] else 1)
    results = _convert_all(inputs, output, make_zip, jobs, page_workers, pdf_reader, max_pages, as_json)
    _echo(results, as_json)
    sys.exit(0 if all(r["ok"] for r in results) else 1)


@main.command("merge")
@click.argument("packages", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder of the merged package (a .zip with --zip).",
)
@click.option("--zip", "make_zip", is_flag=True, help="Write the merged package as one .zip file.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON line.")
def merge_command(packages: tuple[Path, ...], output: Path, make_zip: bool, as_json: bool) -> None:
    """Merge budgetpack PACKAGES (folders or zips) into one package at OUTPUT: every
    resource holds every document's rows, with organisation, year, document_kind and
    source columns; resources only some documents have, and fields whose types
    differ, are listed in its report.json."""
    outcome = _merge_into(list(packages), output, make_zip)
    _echo([outcome], as_json)
    sys.exit(0 if outcome["ok"] else 1)


def _merge_into(packages: list[Path], output: Path, make_zip: bool) -> dict:
    """Merge into a staging folder, then move the package into place as convert does."""
    target = zip_path(output) if make_zip else output
    try:
        _refuse_foreign(target, make_zip)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".budgetpack-", suffix=".partial", dir=target.parent))
        try:
            result = merge_packages(packages, staging / "package")
            if make_zip:
                zip_package(staging / "package", staging / "package.zip")
                os.replace(staging / "package.zip", target)
            else:
                if target.exists():
                    os.rename(target, staging / "earlier")
                os.rename(staging / "package", target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except ConversionError as e:
        return {"input": "merge", "ok": False, "code": e.code, "detail": e.detail}
    except (OSError, ValueError, KeyError) as e:
        return {
            "input": "merge",
            "ok": False,
            "code": "invalid-request",
            "detail": f"the packages could not be merged: {type(e).__name__}: {e}",
        }
    partial = {n: s["absent_from"] for n, s in result.report["resources"].items() if s["absent_from"]}
    return {
        "input": "merge",
        "ok": result.report["validation"]["valid"],
        "output": str(target),
        "merged": len(packages),
        "resources": len(result.resource_names),
        "only_in_some": partial,
        "type_conflicts": result.report["type_conflicts"],
        "valid": result.report["validation"]["valid"],
        **(
            {}
            if result.report["validation"]["valid"]
            else {"code": "invalid-package", "detail": "the merged package does not validate; see its report.json"}
        ),
    }


def _convert_all(
    inputs: tuple[Path, ...],
    output: Path,
    make_zip: bool,
    jobs: int | None,
    page_workers: int | None,
    pdf_reader: str | None,
    max_pages: int | None,
    as_json: bool,
) -> list[dict]:
    sources = list({src.resolve(): src for src in inputs}.values())  # a file named twice converts once
    if len(inputs) == 1:
        targets = {sources[0]: zip_path(output) if make_zip else output}
    else:
        if output.exists() and not output.is_dir():
            raise click.BadParameter(f"{output} is a file; several inputs need a folder.", param_hint="-o")
        names = output_names(sources)
        targets = {src: zip_path(output / names[src]) if make_zip else output / names[src] for src in sources}
    results: list[dict] = []
    workers = max(1, min(jobs or cpu_count(), len(sources)))
    pages = PagePool(page_workers or max(1, cpu_count() // workers))
    if len(sources) == 1:
        results.append(_convert_one(sources[0], targets[sources[0]], make_zip, max_pages, pages, pdf_reader))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {
                pool.submit(_convert_one, src, targets[src], make_zip, max_pages, pages, pdf_reader): src
                for src in sources
            }
            for fut in tqdm(
                as_completed(futures),
                total=len(futures),
                unit="doc",
                file=sys.stderr,
                disable=as_json and not sys.stderr.isatty(),
            ):
                try:
                    results.append(fut.result())
                except Exception as e:  # the worker process itself died (killed, out of memory)
                    results.append(
                        {
                            "input": str(futures[fut]),
                            "ok": False,
                            "code": "internal-error",
                            "detail": f"the conversion process stopped: {type(e).__name__}: {e}",
                        }
                    )
        results.sort(key=lambda r: r["input"])
    return results


def _echo(results: list[dict], as_json: bool) -> None:
    for r in results:
        trace = r.pop("traceback", None)
        if as_json:
            click.echo(json.dumps(r, ensure_ascii=False))
        elif r["ok"] and r["input"] == "merge":
            only = "; ".join(f"{n} not in {', '.join(a)}" for n, a in r["only_in_some"].items())
            click.echo(
                f"ok    merged {r['merged']} packages -> {r['output']}  [{r['resources']} resources; valid]"
                + (f"\n      only in some documents: {only}" if only else "")
            )
        elif r["ok"]:
            partly = "".join(f"; {m}" for m in r["partly_read"])
            click.echo(
                f"ok    {r['input']} -> {r['output']}  [{r['family']}: {r['found']} found, {r['empty']} empty, "
                f"{r['missing']} missing; {'valid' if r['valid'] else 'INVALID'}{partly}]"
            )
        else:
            click.echo(f"error {r['input']}: {r['code']}: {r['detail']}", err=True)
        if trace:
            click.echo(trace, err=True)


@main.command("worker")
@click.option("--name", default=None, help="The worker's name in RQ's tools (default: a random one).")
def worker_command(name: str | None) -> None:
    """Convert jobs from the Redis queue BUDGETPACK_QUEUE names, one at a time (see the README: several machines).

    Reads the same BUDGETPACK_* settings as the web process; BUDGETPACK_DATA_DIR must
    be the folder the web processes use (a shared filesystem across machines).
    """
    try:
        config = Config.from_env()
    except ValueError as e:  # a malformed setting
        raise click.UsageError(str(e)) from None
    if not config.queue_url:
        raise click.UsageError("set BUDGETPACK_QUEUE to the Redis the web process uses, e.g. redis://host:6379/0")
    from .redis_queue import work  # only workers need rq imported

    work(config, name)


if __name__ == "__main__":
    main()
