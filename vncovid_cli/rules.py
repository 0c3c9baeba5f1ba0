"""Loading and validating the rule files in ``rules/``.

A rule file is YAML::

    field: dates                 # the record field its rules feed
    description: ...
    source: ...                  # where its facts come from (optional)
    macros: {DAY: '...'}         # ${DAY} in a pattern expands to this;
                                 # ${@doc_type}: every word of the doc_type lexicon;
                                 # ${@people.surname}: the words of that one rule
    rules:
      - id: dates.dmy_slash      # unique across all files, prefixed by the field
        pattern: '...'           # a regular expression with named groups, or
        words: [...]             # a lexicon, matched as whole words, longest first
        case: sensitive          # default: insensitive; `capitalized`: insensitive,
                                 # but the match must start with a capital letter
        data: {...}              # values the field module reads (category, code, ...)
        examples: [{text: ..., expect: ..., year: 2021}]
        counter_examples: [{text: ...}]

Files load in name order; a file given with ``--rules DIR`` replaces rules of the
same id and adds new ones. Any error stops loading with the file, the rule id and
the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import regex as regex_module
import yaml

from .budget import BoundedPattern
from .layout import HEADER_PARTS, TAIL_PARTS
from .text import fold


def _builtin_rules_dir() -> Path:
    """The built-in rules: the package's ``_rules`` (``rules/`` mapped into the wheel at build
    time), found with importlib.resources wherever the package is installed; a source
    checkout run without installing reads ``rules/`` beside the package."""
    found = resources.files("vncovid_cli") / "_rules"
    if found.is_dir():
        return Path(str(found))
    return Path(__file__).resolve().parent.parent / "rules"


DEFAULT_RULES_DIR = _builtin_rules_dir()
FILE_KEYS = {"field", "description", "source", "macros", "rules"}
# the fields a module reads rules for; a rule file for any other field is a mistake
FIELDS = {
    "case_counts",
    "checks",
    "chrome",
    "dates",
    "doc_number",
    "doc_type",
    "issue_date",
    "issuer",
    "issuer_codes",
    "keywords",
    "layout",
    "noise",
    "numbers",
    "people",
    "places",
    "rates",
    "references",
    "subject",
    "tasks",
    "type_codes",
}
# what a rule's match may stand for in a document (``role`` in its data): a part of the
# layout (vncovid_cli/layout.py), a news text's account of a directive, a publication line
ROLES = {*HEADER_PARTS, *TAIL_PARTS, "news", "published"}
# tables (tab-separated, "#" comments) and the columns their header must have
BODY_COLUMNS = ("name", "aliases", "code", "kind", "parent", "level", "era", "system")
TABLES = {
    "gazetteer.tsv": ("province", "province_type", "district", "district_type", "aliases"),
    "bodies.tsv": BODY_COLUMNS,
    "local_bodies.tsv": BODY_COLUMNS,
    "tcvn3.tsv": ("byte", "letter"),
    "vni.tsv": ("sequence", "letter"),
}
# lexicon tables whose rows become rules of a field: one lexicon rule per kind of row
LEXICON_TABLES = {"bodies.tsv": "issuer"}
RULE_KEYS = {"id", "pattern", "words", "case", "data", "examples", "counter_examples", "note"}
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it
_EMPTY_PROBE = (
    "Số 12, ngày 5/8 tháng Tám\n- a.\n"  # a pattern that matches nothing here in zero width
)
_MACRO = re.compile(r"\$\{(@?[\w.]+)\}")


class RuleError(Exception):
    """A malformed rule file: names the file, the rule and the reason."""

    def __init__(self, path: Path | str, rule_id: str | None, reason: str) -> None:
        self.path, self.rule_id, self.reason = str(path), rule_id, reason
        where = f"{path}: rule {rule_id}" if rule_id else str(path)
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Rule:
    """One compiled rule with its examples."""

    id: str
    field: str
    regex: re.Pattern[str] | BoundedPattern  # bounded: a user's pattern (budget.py)
    data: dict[str, Any]
    examples: tuple[dict[str, Any], ...]
    counter_examples: tuple[dict[str, Any], ...]
    path: str
    words: tuple[str, ...] = ()
    capitalized: bool = False
    lexicon: tuple[tuple[str, re.Pattern[str]], ...] = ()

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        """Matches of this rule in ``text`` (already folded)."""
        endpos = len(text) if endpos is None else endpos
        if not self._may_occur(text):
            return iter(())
        found = self._lexicon_matches(text, pos, endpos) if self.lexicon else None
        if found is None:
            found = self.regex.finditer(text, pos, endpos)
        if self.capitalized:
            return (m for m in found if m.group()[:1].isupper())
        return found

    def scan(self, text: str, pos: int = 0, endpos: int | None = None):
        """Like :meth:`finditer`, faster. A case-insensitive pattern runs case-sensitively on
        the lower-cased text (Python's ``re`` skips ahead much faster then), and a rule with
        an ``anchor`` in its data runs only on the lines where the anchor occurs. Offsets are
        those of ``text``; read the text of a group from ``text`` at the match's offsets."""
        if self.lexicon:  # already a substring search
            return self.finditer(text, pos, endpos)
        low = _lowered(text)
        twin = self.lower_twin if len(low) == len(text) else None
        if twin is None:
            return self.finditer(text, pos, endpos)
        if not self._may_occur(text):
            return iter(())
        endpos = len(text) if endpos is None else endpos
        if self.anchored:
            return self._on_anchored_lines(twin, low, pos, endpos)
        return twin.finditer(low, pos, endpos)

    @cached_property
    def anchored(self) -> re.Pattern[str] | None:
        """The ``anchor`` of a one-line, case-insensitive rule, to find on lower-cased text."""
        anchor = self.data.get("anchor")
        return re.compile(lowercase_pattern(fold(anchor)), re.MULTILINE) if anchor else None

    def _on_anchored_lines(self, regex: re.Pattern[str], low: str, pos: int, endpos: int):
        last_line = -1
        for hit in self.anchored.finditer(low, pos, endpos):
            start = max(pos, low.rfind("\n", 0, hit.start()) + 1)
            if start <= last_line:
                continue
            last_line = start
            end = low.find("\n", hit.end())
            yield from regex.finditer(low, start, min(endpos, len(low) if end < 0 else end + 1))

    def _may_occur(self, text: str) -> bool:
        """False when none of the rule's ``requires`` literals is in ``text``."""
        requires = self.data.get("requires")
        return not requires or any(r in _lowered(text) for r in requires)

    @cached_property
    def insensitive(self) -> bool:
        return bool(self.regex.flags & re.IGNORECASE)

    @cached_property
    def lower_twin(self) -> re.Pattern[str] | None:
        """This case-insensitive pattern lower-cased, to run case-sensitively on lower-cased
        text; None where that is not the same (checked on the rule's examples)."""
        if not self.insensitive or self.capitalized or isinstance(self.regex, BoundedPattern):
            return None
        try:
            twin = re.compile(
                lowercase_pattern(self.regex.pattern), self.regex.flags & ~re.IGNORECASE
            )
        except re.error:
            return None
        for example in (*self.examples, *self.counter_examples):
            text = fold(example["text"])
            low = text.lower()
            if len(low) != len(text):
                continue
            if [m.regs for m in self.regex.finditer(text)] != [m.regs for m in twin.finditer(low)]:
                return None
        return twin

    @cached_property
    def lexicon_by_first(self) -> dict[str, list[re.Pattern[str]]]:
        """The lexicon's word patterns grouped by the first syllable searched for."""
        out: dict[str, list[re.Pattern[str]]] = {}
        for first, word in self.lexicon:
            out.setdefault(first, []).append(word)
        return out

    def _lexicon_matches(self, text: str, pos: int, endpos: int) -> list[re.Match[str]] | None:
        """A lexicon's matches found by substring search on each word's first syllable, then
        checked with the word's own pattern: much faster than one big alternation. Leftmost,
        then longest, as a regular expression scan gives them."""
        hay = _lowered(text) if self.insensitive else text
        if len(hay) != len(text):
            return None
        found = []
        for first, words in self.lexicon_by_first.items():
            i = hay.find(first, pos, endpos)
            while i >= 0:
                for word in words:
                    m = word.match(text, i, endpos)
                    if m:
                        found.append(m)
                i = hay.find(first, i + 1, endpos)
        found.sort(key=lambda m: (m.start(), -m.end()))
        out, last = [], -1
        for m in found:
            if m.start() >= last:
                out.append(m)
                last = m.end()
        return out


@lru_cache(maxsize=8)
def _lowered(text: str) -> str:
    return text.lower()


def lowercase_pattern(pattern: str) -> str:
    """``pattern`` with its literals and classes lower-cased; escapes (``\\S``, ``\\W``)
    and group names kept as written."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\":
            end = pattern.index("}", i) + 1 if pattern.startswith("\\N{", i) else i + 2
        elif pattern.startswith(("(?P<", "(?P="), i):
            end = pattern.index(">" if pattern[i + 3] == "<" else ")", i) + 1
        else:
            out.append(pattern[i].lower())
            i += 1
            continue
        out.append(pattern[i:end])
        i = end
    return "".join(out)


@dataclass
class RuleSet:
    """All rules by field, and the directories they came from (for tables)."""

    by_field: dict[str, list[Rule]] = field(default_factory=dict)
    by_id: dict[str, Rule] = field(default_factory=dict)
    dirs: tuple[Path, ...] = ()

    derived_cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def derived(self, key: str, build: Callable[[RuleSet], Any]) -> Any:
        """Data built once from the rules (a lexicon's index, say) and kept with them."""
        if key not in self.derived_cache:
            self.derived_cache[key] = build(self)
        return self.derived_cache[key]

    def field(self, name: str) -> list[Rule]:
        return self.by_field.get(name, [])

    def get(self, rule_id: str) -> Rule:
        return self.by_id[rule_id]

    def having(self, name: str, key: str, value: Any = None) -> Rule | None:
        """The first rule of field ``name`` whose data have ``key`` (equal to ``value`` when
        given): how the engine finds a rule by what it does, never by its id."""
        for rule in self.field(name):
            if key in rule.data and (value is None or rule.data[key] == value):
                return rule
        return None

    def table(self, name: str) -> Path:
        """The last file called ``name`` in the rule directories (user files win)."""
        for d in reversed(self.dirs):
            if (d / name).is_file():
                return d / name
        raise RuleError(name, None, "table not found in any rules directory")

    def add(self, rule: Rule) -> None:
        old = self.by_id.get(rule.id)
        rules = self.by_field.setdefault(rule.field, [])
        if old is not None:
            self.by_field[old.field] = [r for r in self.by_field[old.field] if r.id != rule.id]
            rules = self.by_field.setdefault(rule.field, [])
        rules.append(rule)
        self.by_id[rule.id] = rule


def load_rules(extra_dirs: tuple[Path, ...] | list[Path] = ()) -> RuleSet:
    """Load the built-in rules, then each directory of ``extra_dirs`` over them."""
    return _load(tuple(Path(d).resolve() for d in extra_dirs))


@cache
def _load(extra_dirs: tuple[Path, ...]) -> RuleSet:
    dirs = (DEFAULT_RULES_DIR, *extra_dirs)
    ruleset = RuleSet(dirs=dirs)
    for d in dirs:
        if not d.is_dir():
            raise RuleError(d, None, "not a directory")
    for d in dirs:
        for name, columns in TABLES.items():
            if (d / name).is_file():
                check_table(d / name, columns)
    files = [p for d in dirs for p in sorted(d.glob("*.yaml")) if p.name != "macros.yaml"]
    macros = {**_read_macros(dirs), **_lexicon_macros(files)}
    for d in dirs:
        seen: set[str] = set()
        users = d != DEFAULT_RULES_DIR  # a user's patterns run bounded (vncovid_cli/budget.py)
        for name, field_name in LEXICON_TABLES.items():
            if (d / name).is_file():
                for entry in table_entries(d / name, field_name):
                    ruleset.add(_compile(d / name, field_name, entry, macros))
        for path in sorted(d.glob("*.yaml")):
            if path.name == "macros.yaml":
                continue
            for rule in load_file(path, macros, bounded=users):
                if rule.id in seen:
                    raise RuleError(path, rule.id, "duplicate rule id")
                seen.add(rule.id)
                ruleset.add(rule)
    return ruleset


def failing_examples(rules: Iterable[Rule]) -> list[tuple[Rule, str]]:
    """The examples their own rule's pattern does not find (tests/test_rules.py asks the
    same of every built-in rule)."""
    return [
        (rule, example["text"])
        for rule in rules
        for example in rule.examples
        if not rule.regex.search(fold(example["text"]))
    ]


def read_table(path: Path) -> list[dict[str, str]]:
    """The rows of a tab-separated table ("#" lines are comments) as dicts."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and ln[0] != "#"]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


def table_entries(path: Path, field_name: str) -> list[dict[str, Any]]:
    """A lexicon table as rule entries: the rows of one ``kind`` and ``system`` make one
    lexicon rule (names and aliases its words, shown in the name's form), whose data
    keep each name's ``parent``, ``code`` and ``era``; each name is an example."""
    groups: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for row in read_table(path):
        groups.setdefault((row["kind"], row["system"], row["level"]), []).append(row)
    entries = []
    for (kind, system, level), rows in groups.items():
        canonical = {}
        for row in rows:
            for word in [row["name"], *filter(None, row["aliases"].split("|"))]:
                canonical.setdefault(word, row["name"])
        entries.append(
            {
                "id": f"{field_name}.{path.stem}_{kind}_{system}",
                "words": list(canonical),
                "case": "capitalized",
                "data": {
                    "level": level,
                    "system": system,
                    "body_kind": kind,
                    "canonical": canonical,
                    "bodies": {
                        r["name"]: {k: r[k] for k in ("parent", "code", "era") if r[k]}
                        for r in rows
                    },
                },
                "examples": [{"text": r["name"], "expect": {"name": r["name"]}} for r in rows],
            }
        )
    return entries


def check_table(path: Path, columns: tuple[str, ...]) -> None:
    """A table's header has ``columns`` and every row as many cells."""
    try:
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and ln[0] != "#"]
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(path, None, f"cannot read table: {exc}") from exc
    if not lines or tuple(lines[0].split("\t")) != columns:
        raise RuleError(
            path, None, f"header must be the tab-separated columns {', '.join(columns)}"
        )
    for n, line in enumerate(lines[1:], start=2):
        if len(line.split("\t")) != len(columns):
            raise RuleError(
                path, None, f"row {n} has {len(line.split(chr(9)))} cells, not {len(columns)}"
            )


def _read_macros(dirs: tuple[Path, ...]) -> dict[str, str]:
    macros: dict[str, str] = {}
    for d in dirs:
        path = d / "macros.yaml"
        if path.is_file():
            doc = _read_yaml(path)
            if not isinstance(doc.get("macros"), dict):
                raise RuleError(path, None, "macros.yaml needs a 'macros' mapping")
            macros.update({str(k): str(v) for k, v in doc["macros"].items()})
    return macros


def _lexicon_macros(files: list[Path]) -> dict[str, str]:
    """``@field`` and ``@rule.id`` macros: an alternation of the lexicon words of every
    rule of that field, or of that one rule, longest first."""
    words: dict[str, set[str]] = {}
    for path in files:
        doc = _read_yaml(path)
        for entry in doc.get("rules") or ():
            if isinstance(entry, dict) and isinstance(entry.get("words"), list):
                found = {w for w in entry["words"] if isinstance(w, str) and w}
                words.setdefault(f"@{doc.get('field')}", set()).update(found)
                words.setdefault(f"@{entry.get('id')}", set()).update(found)
    return {
        name: "(?:" + "|".join(_word_pattern(w) for w in sorted(ws, key=len, reverse=True)) + ")"
        for name, ws in words.items()
    }


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = str(exc).replace("\n", " ")
        raise RuleError(path, None, f"cannot read YAML: {reason}") from exc
    if not isinstance(doc, dict):
        raise RuleError(path, None, "top level must be a mapping")
    return doc


def load_file(
    path: Path, shared_macros: dict[str, str] | None = None, *, bounded: bool = False
) -> list[Rule]:
    """Validate and compile the rules of one file; ``bounded``: a user's file, whose patterns
    run under a time budget."""
    doc = _read_yaml(path)
    unknown = set(doc) - FILE_KEYS
    if unknown:
        raise RuleError(path, None, f"unknown keys {sorted(unknown)}")
    field_name = doc.get("field")
    if not isinstance(field_name, str) or not field_name:
        raise RuleError(path, None, "missing 'field'")
    if field_name not in FIELDS:
        raise RuleError(
            path, None, f"unknown field '{field_name}' (known: {', '.join(sorted(FIELDS))})"
        )
    macros = {
        **(shared_macros or {}),
        **{str(k): str(v) for k, v in (doc.get("macros") or {}).items()},
    }
    rules = doc.get("rules")
    if not isinstance(rules, list) or not rules:
        raise RuleError(path, None, "'rules' must be a non-empty list")
    return [_compile(path, field_name, entry, macros, bounded) for entry in rules]


def _compile(
    path: Path, field_name: str, entry: Any, macros: dict[str, str], bounded: bool = False
) -> Rule:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise RuleError(path, None, f"every rule needs an 'id': {entry!r:.80}")
    rule_id = entry["id"]
    unknown = set(entry) - RULE_KEYS
    if unknown:
        raise RuleError(path, rule_id, f"unknown keys {sorted(unknown)}")
    if not rule_id.startswith(field_name + "."):
        raise RuleError(path, rule_id, f"id must start with '{field_name}.'")
    if ("pattern" in entry) == ("words" in entry):
        raise RuleError(path, rule_id, "needs exactly one of 'pattern' or 'words'")
    if not entry.get("examples"):
        raise RuleError(path, rule_id, "needs at least one example")
    case = entry.get("case", "insensitive")
    if case not in ("sensitive", "insensitive", "capitalized"):
        raise RuleError(path, rule_id, "'case' must be 'sensitive', 'insensitive' or 'capitalized'")
    source = _pattern_source(path, rule_id, entry, macros)
    flags = (0 if case == "sensitive" else re.IGNORECASE) | re.MULTILINE
    regex = _compile_pattern(path, rule_id, fold(source), flags, bounded and "pattern" in entry)
    if any(m.start() == m.end() for m in regex.finditer(_EMPTY_PROBE)) or regex.match(""):
        raise RuleError(
            path, rule_id, "pattern can match the empty string (it would match anywhere)"
        )
    examples = tuple(_example(path, rule_id, e) for e in entry["examples"])
    counter = tuple(_example(path, rule_id, e) for e in entry.get("counter_examples") or ())
    data = entry.get("data") or {}
    if not isinstance(data, dict):
        raise RuleError(path, rule_id, "'data' must be a mapping")
    if "role" in data and data["role"] not in ROLES:
        raise RuleError(path, rule_id, f"unknown role '{data['role']}' (known: {sorted(ROLES)})")
    words = tuple(entry.get("words") or ())
    lexicon = _lexicon(words, case, regex.flags)
    return Rule(
        rule_id,
        field_name,
        regex,
        data,
        examples,
        counter,
        str(path),
        words,
        case == "capitalized",
        lexicon,
    )


def _compile_pattern(
    path: Path, rule_id: str, source: str, flags: int, bounded: bool
) -> re.Pattern[str] | BoundedPattern:
    """``source`` compiled by ``re``, or for a user's pattern by ``regex`` under a budget."""
    try:
        compiled = re.compile(source, flags)  # every rule is written in re's grammar
        return BoundedPattern(rule_id, str(path), source, flags) if bounded else compiled
    except (re.error, regex_module.error) as exc:
        raise RuleError(path, rule_id, f"pattern does not compile: {exc}") from exc


def _pattern_source(path: Path, rule_id: str, entry: dict[str, Any], macros: dict[str, str]) -> str:
    if "words" in entry:
        words = entry["words"]
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise RuleError(path, rule_id, "'words' must be a list of non-empty strings")
        if entry.get("case") == "sensitive":  # as written, or in the capitals of a header
            words = [*words, *(w.upper() for w in words)]
        alternation = "|".join(_word_pattern(w) for w in sorted(words, key=len, reverse=True))
        return rf"(?<!\w)(?:{alternation})(?!\w)"
    pattern = entry["pattern"]
    if not isinstance(pattern, str):
        raise RuleError(path, rule_id, "'pattern' must be a string")
    for _ in range(5):  # macros may use macros
        missing = [m for m in _MACRO.findall(pattern) if m not in macros]
        if missing:
            raise RuleError(path, rule_id, f"unknown macro ${{{missing[0]}}}")
        pattern = _MACRO.sub(lambda m: macros[m.group(1)], pattern)
    return pattern


def _lexicon(
    words: tuple[str, ...], case: str, flags: int
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each lexicon word (folded, and in capitals too where case matters) with the first
    syllable to search for and the pattern that checks the whole word there."""
    variants = [*words, *(w.upper() for w in words)] if case == "sensitive" else list(words)
    out = []
    for word in dict.fromkeys(fold(w) for w in variants):
        first = word.split()[0]
        pattern = re.compile(rf"(?<!\w){_word_pattern(word)}(?!\w)", flags)
        out.append((first if case == "sensitive" else first.lower(), pattern))
    return tuple(out)


def _word_pattern(word: str) -> str:
    """A lexicon word as a pattern: any run of white space between its syllables."""
    return r"\s+".join(re.escape(part) for part in word.split())


def _example(path: Path, rule_id: str, entry: Any) -> dict[str, Any]:
    if isinstance(entry, str):
        entry = {"text": entry}
    if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
        raise RuleError(path, rule_id, f"an example needs 'text': {entry!r:.80}")
    unknown = set(entry) - {"text", "expect", "year", "note"}
    if unknown:
        raise RuleError(path, rule_id, f"example has unknown keys {sorted(unknown)}")
    return entry
