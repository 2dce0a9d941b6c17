"""``budgetpack convert IN... -o OUT``: the pipeline from the shell, for batch work.

One input writes its package into OUT (or OUT.zip with ``--zip``); several inputs
convert in parallel, one package folder per input inside OUT, with a progress bar.
The exit code is 0 only when every input converted.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import click
from tqdm import tqdm

from converters.errors import ConversionError
from converters.pipeline import convert, zip_package


def _convert_one(source: Path, out_dir: Path, make_zip: bool, max_pages: int | None) -> dict:
    """Convert one file; refusals come back as data so one bad file does not stop a batch."""
    try:
        if make_zip:
            with tempfile.TemporaryDirectory() as tmp:
                result = convert(source, Path(tmp) / "package", max_pages=max_pages, original_name=source.name)
                out_dir.parent.mkdir(parents=True, exist_ok=True)
                zip_package(result.package_dir, out_dir.with_suffix(".zip"))
        else:
            result = convert(source, out_dir, max_pages=max_pages, original_name=source.name)
    except ConversionError as e:
        return {"input": str(source), "ok": False, "code": e.code, "detail": e.detail}
    tables = result.report["tables"]
    return {
        "input": str(source), "ok": True,
        "output": str(out_dir.with_suffix(".zip") if make_zip else out_dir),
        "family": result.report["document"]["template_family"],
        "found": sum(t["status"] == "found" for t in tables),
        "empty": sum(t["status"] == "empty" for t in tables),
        "missing": sum(t["status"] == "missing" for t in tables),
        "valid": result.report["validation"]["valid"],
    }


@click.group()
def main() -> None:
    """budgetpack: Chinese budget disclosures (PDF, DOCX) to validated data packages."""


@main.command("convert")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path),
              help="Package folder (one input) or folder of package folders (several inputs).")
@click.option("--zip", "make_zip", is_flag=True, help="Write each package as one .zip file.")
@click.option("-j", "--jobs", type=int, default=None, help="Parallel conversions (default: CPU count).")
@click.option("--max-pages", type=int, default=None, help="Refuse documents with more pages.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line per input instead of a summary.")
def convert_command(inputs: tuple[Path, ...], output: Path, make_zip: bool, jobs: int | None,
                    max_pages: int | None, as_json: bool) -> None:
    """Convert INPUTS (PDF or DOCX) into data packages under OUTPUT."""
    targets = {src: (output if len(inputs) == 1 else output / src.stem) for src in inputs}
    results: list[dict] = []
    if len(inputs) == 1:
        results.append(_convert_one(inputs[0], output, make_zip, max_pages))
    else:
        workers = max(1, min(jobs or os.cpu_count() or 1, len(inputs)))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_convert_one, src, targets[src], make_zip, max_pages) for src in inputs]
            for fut in tqdm(as_completed(futures), total=len(futures), unit="doc", file=sys.stderr,
                            disable=as_json and not sys.stderr.isatty()):
                results.append(fut.result())
        results.sort(key=lambda r: r["input"])
    for r in results:
        if as_json:
            click.echo(json.dumps(r, ensure_ascii=False))
        elif r["ok"]:
            click.echo(f"ok    {r['input']} -> {r['output']}  [{r['family']}: {r['found']} found, {r['empty']} empty, "
                       f"{r['missing']} missing; {'valid' if r['valid'] else 'INVALID'}]")
        else:
            click.echo(f"error {r['input']}: {r['code']}: {r['detail']}", err=True)
    sys.exit(0 if all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main()
