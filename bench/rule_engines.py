"""What each bounded engine would cost: every built-in pattern rule scanned over corpus/ with
Python's ``re`` (the built-in rules' engine), with the ``regex`` module under a timeout (the
engine of user rules, vncovid_cli/budget.py), and how many RE2 compiles (if installed).

    .venv/bin/python bench/rule_engines.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

import regex

from vncovid_cli import extract
from vncovid_cli.readers import read_path
from vncovid_cli.rules import load_rules
from vncovid_cli.text import fold, normalize

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _texts() -> list[str]:
    return [fold(normalize(read_path(p).text)) for p in sorted(CORPUS.glob("*.txt"))]


def _scan(patterns: list, texts: list[str], repeat: int, **kw) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        for pattern in patterns:
            for text in texts:
                for _m in pattern.finditer(text, **kw):
                    pass
        best = min(best, time.perf_counter() - began)
    return best


def _re2_compiles(sources: list[tuple[str, int]]) -> str:
    try:
        import re2
    except ImportError:
        return "not installed (pip install google-re2)"
    saved = os.dup(2)  # RE2 logs each refusal on the C level's standard error
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    try:
        ok = sum(_re2_ok(re2, source, flags) for source, flags in sources)
    finally:
        os.dup2(saved, 2)
    return f"{ok} of {len(sources)} compile"


def _re2_ok(re2, source: str, flags: int) -> bool:
    try:
        re2.compile(source, flags & re.IGNORECASE)
        return True
    except Exception:  # noqa: BLE001 - RE2 refuses lookarounds and backreferences
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rules = [r for r in load_rules().by_id.values() if not r.words]
    texts = _texts()
    megabytes = sum(len(t.encode()) for t in texts) / 1e6
    with_re = [r.regex for r in rules]
    with_regex = [regex.compile(p.pattern, p.flags | regex.VERSION0) for p in with_re]
    t_re = _scan(with_re, texts, args.repeat)
    t_regex = _scan(with_regex, texts, args.repeat, timeout=60.0)
    print(
        f"{len(rules)} pattern rules over {len(texts)} documents ({megabytes:.2f} MB), best of "
        f"{args.repeat}"
    )
    print(f"re               {t_re:7.3f} s  {megabytes * len(rules) / t_re:8.1f} rule-MB/s")
    print(
        f"regex + timeout  {t_regex:7.3f} s  {megabytes * len(rules) / t_regex:8.1f} rule-MB/s"
        f"  ({t_regex / t_re:.2f}x re)"
    )
    print(f"RE2              {_re2_compiles([(p.pattern, p.flags) for p in with_re])}")
    _user_rule_cost()


def _user_rule_cost() -> None:
    """Seconds per document of extract() with one catastrophic user rule, on a corpus document
    that ends in a line of 28 (and 45) a's."""
    text = read_path(sorted(CORPUS.glob("*.txt"))[0]).text
    extract(text)  # loads the word segmenter's model once
    base = _timed(lambda: extract(text))
    print(f"extract, built-in rules only            {base:6.3f} s/doc")
    for pattern in ("(a+)+$", "(?:a|aa)+$"):
        with tempfile.TemporaryDirectory() as folder:
            Path(folder, "user.yaml").write_text(
                "field: dates\ndescription: bench\nrules:\n  - id: dates.user\n"
                f"    pattern: '{pattern}'\n    examples: [{{text: 'aaaa'}}]\n",
                encoding="utf-8",
            )
            rules = load_rules([Path(folder)])
            for n in (28, 45):
                doc = f"{text}\n{'a' * n}!\n"
                took = _timed(lambda doc=doc, rules=rules: extract(doc, rules))
                print(f"extract + user rule {pattern:12s} a*{n}  {took:6.3f} s/doc")


def _timed(call) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


if __name__ == "__main__":
    main()
