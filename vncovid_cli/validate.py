"""Checking a document's metadata the way an archivist does: a pure function from a record
and its text to findings.

Each check is a rule of ``rules/checks.yaml`` (data ``check: <name>``): its data give the
severity, the rule source and the message template, and its pattern is what the check
reads in the text. Type codes come from ``doc_types.yaml`` and ``type_codes.yaml``, issuer
codes from ``issuer_codes.yaml``; a ``--rules DIR`` can change any of them.

>>> from vncovid_cli import extract
>>> text = "ỦY BAN NHÂN DÂN\\nHUYỆN ĐÔNG ANH\\nSố: 08/CT/UBND\\nĐông Anh, ngày 6 tháng 02 năm 2021"
>>> [(f["check"], f["found"], f["expected"]) for f in validate(extract(text), text)][:2]
[('number_format', '08/CT/UBND', '08/CT-UBND'), ('leading_zero', '6', '06')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .document import Document
from .layout import Layout
from .rules import Rule, RuleError, RuleSet, load_rules
from .text import canonical, fold

SEVERITIES = ("error", "warning", "info")
TEXT_CHECKS = (
    "number_format",
    "system_mismatch",
    "type_code_mismatch",
    "issuer_code_mismatch",
    "invalid_date",
    "future_date",
    "weekday_mismatch",
    "leading_zero",
    "date_order",
    "missing_field",
)
CATALOGUE_CHECKS = ("metadata_mismatch", "missing_document", "duplicate_entry")
CHECKS = TEXT_CHECKS + CATALOGUE_CHECKS
FINDING_KEYS = (
    "path",
    "check",
    "severity",
    "message",
    "field",
    "found",
    "expected",
    "start",
    "end",
    "line",
    "rule",
)
WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
SYSTEM_NAMES = {"state": "State", "party": "Party"}


# --- configuration: the checks and code tables of a rule set --------------------------


@dataclass(frozen=True)
class Check:
    """One check: its rule, and the severities and messages its data give."""

    name: str
    rule: Rule

    @property
    def data(self) -> dict[str, Any]:
        return self.rule.data

    def severity(self, key: str = "severity", official: bool = True) -> str:
        """The severity under ``key`` (default ``severity``); a text that is not an official
        one (a news report of a directive) takes ``news_severity`` when the check has one."""
        if not official and key == "severity" and "news_severity" in self.data:
            return self.data["news_severity"]
        return self.data.get(key, self.data["severity"])

    def say(self, variant: str | None = None, **values: Any) -> str:
        """The message template (or the ``messages`` variant) filled with ``values``."""
        template = (self.data.get("messages") or {}).get(variant) or self.data["message"]
        shown = {k: _show(v) for k, v in values.items()}
        return template.format_map(defaultdict(lambda: "?", shown))


@dataclass
class Config:
    """Checks and code tables, compiled once per rule set."""

    checks: dict[str, Check]
    type_names: dict[str, dict[str, set[str]]]  # system -> code -> type names
    type_codes: dict[str, dict[str, str]]  # type name -> system -> code
    type_words: list[Rule]  # rules whose words name a type (data.name)
    bodies: list[Rule]  # issuer_codes rules
    code_systems: dict[str, set[str]] = field(default_factory=dict)  # issuer code -> systems

    def __getitem__(self, name: str) -> Check:
        return self.checks[name]


def code_key(code: str) -> str:
    """A code as compared: folded and upper-case ("CTr", "CTR" and "Ctr" are one code)."""
    return fold(code.strip()).upper()


_CONFIGS: dict[int, tuple[RuleSet, Config]] = {}


def config(rules: RuleSet) -> Config:
    """The checks of ``rules``; a malformed check rule raises :class:`RuleError`."""
    cached = _CONFIGS.get(id(rules))
    if cached and cached[0] is rules:
        return cached[1]
    built = _build(rules)
    _CONFIGS[id(rules)] = (rules, built)
    return built


def _build(rules: RuleSet) -> Config:
    checks: dict[str, Check] = {}
    for rule in rules.field("checks"):
        name = rule.data.get("check")
        if name not in CHECKS:
            known = ", ".join(CHECKS)
            reason = f"unknown check '{name}' (data 'check' must be one of: {known})"
            raise RuleError(rule.path, rule.id, reason)
        for key in ("severity", "source", "message"):
            if not isinstance(rule.data.get(key), str):
                raise RuleError(rule.path, rule.id, f"data needs a '{key}' string")
        for key, value in rule.data.items():
            if (key == "severity" or key.endswith("_severity")) and value not in SEVERITIES:
                levels = ", ".join(SEVERITIES)
                raise RuleError(rule.path, rule.id, f"'{key}' must be one of {levels}")
        checks[name] = Check(name, rule)
    missing = [c for c in CHECKS if c not in checks]
    if missing:
        raise RuleError("checks.yaml", None, f"no rule for check(s) {', '.join(missing)}")
    type_names: dict[str, dict[str, set[str]]] = {"state": {}, "party": {}}
    type_codes: dict[str, dict[str, str]] = {}
    type_words = []
    for rule in [*rules.field("doc_type"), *rules.field("type_codes")]:
        name = rule.data.get("name")
        if not name:
            continue
        type_words.append(rule)
        for system, code in (rule.data.get("codes") or {}).items():
            if system not in type_names:
                raise RuleError(rule.path, rule.id, f"codes: unknown system '{system}'")
            type_names[system].setdefault(code_key(str(code)), set()).add(name)
            type_codes.setdefault(name, {}).setdefault(system, str(code))
    bodies = list(rules.field("issuer_codes"))
    code_systems: dict[str, set[str]] = {}
    for rule in bodies:
        codes, system = rule.data.get("codes"), rule.data.get("system")
        if not isinstance(codes, list) or not codes or system not in ("state", "party"):
            raise RuleError(
                rule.path, rule.id, "data needs 'codes' (a list) and 'system' (state or party)"
            )
        for code in codes:
            code_systems.setdefault(code_key(str(code)), set()).add(system)
    return Config(checks, type_names, type_codes, type_words, bodies, code_systems)


# --- the number and symbol -------------------------------------------------------------


@dataclass(frozen=True)
class Symbol:
    """A number and symbol read into its parts."""

    value: str
    number: str
    year: str | None
    shape: str | None  # "state" (08/CT-UBND), "party" (506-CV/HU) or None: neither
    type_code: str | None
    issuer_code: str | None
    units: tuple[str, ...]
    system: str | None  # the system its codes belong to, else its shape's

    def render(self, system: str | None) -> str | None:
        """The symbol written in ``system``'s form, when its parts allow it."""
        if system == "state":
            parts = [p for p in (self.type_code, self.issuer_code, *self.units) if p]
            if len(parts) < 2:
                return None
            return f"{self.number}/{self.year + '/' if self.year else ''}{'-'.join(parts)}"
        if system == "party" and self.type_code and self.issuer_code:
            return f"{self.number}-{self.type_code}/{'-'.join((self.issuer_code, *self.units))}"
        return None


_NUMBER_SYMBOL = re.compile(r"\s*(?P<number>[0-9]+)\s*(?P<sep>[/-])\s*(?P<rest>\S.*?)\s*")


def parse_symbol(value: str | None, cfg: Config) -> Symbol | None:
    """``value`` ("08/CT-UBND", "506-CV/HU") read into its parts; None without a symbol."""
    m = _NUMBER_SYMBOL.fullmatch(value or "")
    if not m:
        return None
    tokens = re.split(r"\s*([/-])\s*", m.group("rest"))
    parts, seps = tokens[0::2], tokens[1::2]
    year = None
    has_year = seps and seps[0] == "/" and re.fullmatch(r"(?:19|20)[0-9]{2}", parts[0])
    if m.group("sep") == "/" and has_year:
        year, parts, seps = parts[0], parts[1:], seps[1:]
    state_types, party_types = cfg.type_names["state"], cfg.type_names["party"]
    is_type = lambda p: code_key(p) in state_types or code_key(p) in party_types  # noqa: E731
    shape = None
    if all(parts) and len(parts) >= 2:
        if m.group("sep") == "/" and all(s == "-" for s in seps):
            shape = "state"
        elif m.group("sep") == "-" and seps[0] == "/" and all(s == "-" for s in seps[1:]):
            shape = "party"
    if shape == "party" or (shape == "state" and is_type(parts[0])):
        type_code, issuer_code, units = parts[0], parts[1], tuple(parts[2:])
    elif shape == "state":  # a công văn: the issuer's code, then the drafting unit's
        type_code, issuer_code, units = None, parts[0], tuple(parts[1:])
    else:
        words = [p for p in parts if p]
        issuers = [p for p in words if code_key(p) in cfg.code_systems]
        type_code = next((p for p in words if is_type(p) and p not in issuers), None)
        issuer_code = issuers[0] if issuers else None
        if issuer_code is None:
            issuer_code = next((p for p in words if p != type_code), None)
        units = tuple(p for p in words if p not in (type_code, issuer_code))
    system = _codes_system(type_code, issuer_code, cfg) or shape
    return Symbol(
        m.group(0).strip(), m.group("number"), year, shape, type_code, issuer_code, units, system
    )


def _codes_system(type_code: str | None, issuer_code: str | None, cfg: Config) -> str | None:
    systems = cfg.code_systems.get(code_key(issuer_code)) if issuer_code else None
    if systems and len(systems) == 1:
        return next(iter(systems))
    if type_code:
        in_state = code_key(type_code) in cfg.type_names["state"]
        in_party = code_key(type_code) in cfg.type_names["party"]
        if in_state != in_party:
            return "state" if in_state else "party"
    return None


FORMS = {
    "state": "số/TYPE-ISSUER (State form, e.g. 08/CT-UBND)",
    "party": "số-TYPE/COMMITTEE (Party form, e.g. 506-CV/HU)",
}


# --- the checks -------------------------------------------------------------------------


def finding(
    check: Check,
    severity: str,
    message: str,
    *,
    path: str | None,
    field: str | None,
    found: Any = None,
    expected: Any = None,
    start: int | None = None,
    end: int | None = None,
    text: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One finding: the keys of FINDING_KEYS (``line`` counted in ``text``), then ``extra``."""
    line = text.count("\n", 0, start) + 1 if text is not None and start is not None else None
    return {
        "path": path,
        "check": check.name,
        "severity": severity,
        "message": message,
        "field": field,
        "found": found,
        "expected": expected,
        "start": start,
        "end": end,
        "line": line,
        "rule": check.rule.id,
        **extra,
    }


@dataclass
class _Ctx:
    """What every check of one document shares."""

    record: dict[str, Any]
    text: str
    folded: str
    cfg: Config
    path: str | None
    as_of: dt.date
    official: bool
    header_end: int
    layout: Layout
    roles: dict[str, str | None]  # field -> the role of the rule its value came from
    findings: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        check: Check,
        severity: str,
        message: str,
        field_name: str | None,
        found: Any = None,
        expected: Any = None,
        start: int | None = None,
        end: int | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        found_ = finding(
            check,
            severity,
            message,
            path=self.path,
            field=field_name,
            found=found,
            expected=expected,
            start=start,
            end=end,
            text=self.text,
            **extra,
        )
        self.findings.append(found_)
        return found_

    def span(self, name: str) -> dict[str, Any]:
        return (self.record.get("spans") or {}).get(name) or {}


def validate(
    record: dict[str, Any],
    text: str,
    rules: RuleSet | None = None,
    *,
    as_of: dt.date | None = None,
    path: str | None = None,
) -> list[dict[str, Any]]:
    """The findings of the text checks for one document, in text order.

    ``record`` is what :func:`vncovid_cli.extract` gives for ``text`` (its spans are offsets
    into ``text``); ``as_of`` is the date after which a date is in the future (today).
    """
    rules = rules or load_rules()
    cfg = config(rules)
    folded = fold(text)
    layout = Document(text, rules).layout
    header_end = layout.head_end
    official = layout.is_official or bool(
        cfg["missing_field"].rule.regex.search(folded, 0, header_end)
    )
    roles = {
        name: rules.get(span["rule"]).data.get("role") if span and span.get("rule") else None
        for name, span in (record.get("spans") or {}).items()
    }
    today = as_of or dt.date.today()
    ctx = _Ctx(record, text, folded, cfg, path, today, official, header_end, layout, roles)
    symbol = parse_symbol(record.get("doc_number"), cfg)
    if symbol:
        _number_format(ctx, symbol)
        if not _system_mismatch(ctx, symbol):
            _issuer_code_mismatch(ctx, symbol)
        _type_code_mismatch(ctx, symbol)
    _invalid_date(ctx)
    _future_date(ctx)
    _weekday_mismatch(ctx)
    date_line = _date_line(ctx)
    if ctx.official:
        _leading_zero(ctx, date_line)
        _missing_field(ctx, date_line)
    _date_order(ctx)
    return sorted(ctx.findings, key=lambda f: (f["start"] is None, f["start"] or 0))


def _number_span(ctx: _Ctx, code: str | None = None) -> tuple[int | None, int | None]:
    """The span of the number and symbol, or of ``code`` inside it."""
    span = ctx.span("doc_number")
    start, end = span.get("start"), span.get("end")
    if code and start is not None and end is not None:
        m = re.search(rf"(?<![^\W\d_]){re.escape(code)}(?![^\W\d_])", ctx.text[start:end])
        if m:
            return start + m.start(), start + m.end()
    return start, end


def _number_format(ctx: _Ctx, symbol: Symbol) -> None:
    check = ctx.cfg["number_format"]
    codes_system = _codes_system(symbol.type_code, symbol.issuer_code, ctx.cfg)
    if symbol.shape and (codes_system is None or codes_system == symbol.shape):
        return
    system = codes_system or symbol.shape
    expected = symbol.render(system)
    if symbol.shape:
        variant, form = "mixed", FORMS[codes_system]
    else:
        variant, form = None, FORMS[system] if system else f"{FORMS['state']} or {FORMS['party']}"
    ctx.add(
        check,
        check.severity(official=ctx.official),
        check.say(
            variant,
            found=symbol.value,
            expected=expected or form,
            form=form,
            shape=SYSTEM_NAMES.get(symbol.shape or "", ""),
            system=SYSTEM_NAMES.get(system or "", ""),
        ),
        "doc_number",
        symbol.value,
        expected,
        *_number_span(ctx),
    )


def _system_mismatch(ctx: _Ctx, symbol: Symbol) -> bool:
    check = ctx.cfg["system_mismatch"]
    issuer = ctx.record.get("issuer") or {}
    body_system = issuer.get("system")
    if not (issuer.get("name") and body_system and symbol.system) or symbol.system == body_system:
        return False
    expected = FORMS.get(body_system)
    ctx.add(
        check,
        check.severity(official=ctx.official),
        check.say(
            found=symbol.value,
            issuer=issuer["name"],
            expected=expected,
            symbol_system=SYSTEM_NAMES[symbol.system],
            body_system=SYSTEM_NAMES.get(body_system, body_system),
        ),
        "doc_number",
        symbol.value,
        expected,
        *_number_span(ctx),
    )
    return True


def body_codes(name: str | None, cfg: Config) -> list[str]:
    """The issuer codes the body ``name`` may use, from the issuer_codes table."""
    return [code for code, _ in _body_codes(name, cfg)]


def _body_codes(name: str | None, cfg: Config) -> list[tuple[str, bool]]:
    """(code, prefix) pairs: ``prefix`` when the table lets the body lengthen the code
    (BCĐ, BCĐCOVID, BCĐPCD)."""
    if not name:
        return []
    key = fold(canonical(name))
    codes: dict[str, bool] = {}
    for rule in cfg.bodies:
        if rule.regex.search(key):
            for code in rule.data["codes"]:
                codes[str(code)] = codes.get(str(code), False) or bool(rule.data.get("prefix"))
    return list(codes.items())


def code_allowed(code: str, name: str | None, cfg: Config) -> bool | None:
    """Whether the body ``name`` may use issuer ``code``; None when the table does not know
    the body."""
    allowed = _body_codes(name, cfg)
    if not allowed:
        return None
    key = code_key(code)
    offices = [code_key(p) for p in cfg["issuer_code_mismatch"].data.get("office_prefixes", ())]
    keys = [key] + [key[len(p) :] for p in offices if key.startswith(p) and len(key) > len(p)]
    return any(
        k == code_key(c) or (prefix and k.startswith(code_key(c)))
        for k in keys
        for c, prefix in allowed
    )


def _issuer_code_mismatch(ctx: _Ctx, symbol: Symbol) -> None:
    check = ctx.cfg["issuer_code_mismatch"]
    name = (ctx.record.get("issuer") or {}).get("name")
    if not symbol.issuer_code or code_allowed(symbol.issuer_code, name, ctx.cfg) is not False:
        return
    expected = " or ".join(body_codes(name, ctx.cfg))
    start, end = _number_span(ctx, symbol.issuer_code)
    ctx.add(
        check,
        check.severity(official=ctx.official),
        check.say(found=symbol.issuer_code, symbol=symbol.value, issuer=name, expected=expected),
        "issuer",
        symbol.issuer_code,
        expected,
        start,
        end,
    )


def type_name(word: str, cfg: Config) -> str | None:
    """The type a word names ("CÔNG ĐIỆN KHẨN" -> "công điện"), by the type lexicons."""
    key = fold(canonical(word))
    best = None
    for rule in cfg.type_words:
        for m in rule.regex.finditer(key):
            rank = (m.start(), -(m.end() - m.start()))
            if best is None or rank < best[0]:
                best = (rank, rule.data["name"])
    return best[1] if best else None


def _named_type(ctx: _Ctx, symbol: Symbol) -> tuple[str | None, dict[str, Any]]:
    """The type the text names for its directive (title line, or the word a news text puts
    before the number), with the span that names it."""
    span = ctx.span("doc_type")
    role = ctx.roles.get("doc_type")
    if role == "title":
        return type_name(span["text"], ctx.cfg), span
    if role == "news":
        head = span["text"].split(symbol.number)[0]
        return type_name(head, ctx.cfg), span
    subject = ctx.span("subject")
    if re.match(r"\s*V/v\b", subject.get("text") or "", re.I):
        return "công văn", subject  # "V/v ..." is the subject line of a công văn
    return None, {}


def _type_code_mismatch(ctx: _Ctx, symbol: Symbol) -> None:
    check = ctx.cfg["type_code_mismatch"]
    named, span = _named_type(ctx, symbol)
    system = symbol.system
    if not named or system not in ("state", "party"):
        return
    expected = ctx.cfg.type_codes.get(named, {}).get(system)
    code = symbol.type_code
    if code and named in ctx.cfg.type_names[system].get(code_key(code), set()):
        return
    if code is None and expected is None:
        return  # a State công văn: no type code, and none expected
    if expected is None and named != "công văn":
        return  # the table has no code for this type in this system: nothing to compare
    variant = "no_code" if code is None else "no_type" if expected is None else None
    severity = check.severity(official=ctx.official)
    ctx.add(
        check,
        severity,
        check.say(
            variant,
            found=code,
            expected=expected,
            symbol=symbol.value,
            type_name=named,
            title=re.sub(r"\s+", " ", span.get("text") or "").strip(),
        ),
        "doc_type",
        code,
        expected,
        *_number_span(ctx, code),
    )


def _invalid_date(ctx: _Ctx) -> None:
    check = ctx.cfg["invalid_date"]
    for warning in ctx.record.get("warnings") or ():
        if warning.get("code") != "invalid_date":
            continue
        start, end = warning.get("start"), warning.get("end")
        known = start is not None and end is not None
        found = ctx.text[start:end] if known else warning.get("message")
        ctx.add(check, check.severity(), check.say(found=found), "dates", found, None, start, end)


def _iso(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value and not value.startswith("--") else None
    except ValueError:
        return None


def _future_date(ctx: _Ctx) -> None:
    check = ctx.cfg["future_date"]
    issue = _iso(ctx.record.get("issue_date"))
    span = ctx.span("issue_date")
    if issue and issue > ctx.as_of:
        found = span.get("text") or ctx.record["issue_date"]
        ctx.add(
            check,
            check.severity(),
            check.say(found=found, value=issue, as_of=ctx.as_of, what="issue date"),
            "issue_date",
            found,
            f"on or before {ctx.as_of}",
            span.get("start"),
            span.get("end"),
        )
    for item in ctx.record.get("dates") or ():
        value = _iso(item.get("value"))
        if not value or value <= ctx.as_of or not re.search(r"[0-9]{4}", item.get("text") or ""):
            continue  # a year the text does not write is inferred, not a claim of the text
        if span and item.get("start") == span.get("start"):
            continue
        ctx.add(
            check,
            check.severity("mention_severity"),
            check.say(found=item["text"], value=value, as_of=ctx.as_of, what="date"),
            "dates",
            item["text"],
            f"on or before {ctx.as_of}",
            item.get("start"),
            item.get("end"),
        )


def _weekday_mismatch(ctx: _Ctx) -> None:
    check = ctx.cfg["weekday_mismatch"]
    weekdays = check.data.get("weekdays") or {}
    names = {re.sub(r"\s+", "", fold(k).lower()): v for k, v in weekdays.items()}
    for m in check.rule.finditer(ctx.folded):
        written = ctx.text[m.start("weekday") : m.end("weekday")]
        wanted = names.get(re.sub(r"\s+", "", written.lower()))
        try:
            date = dt.date(int(m.group("year")), int(m.group("month")), int(m.group("day")))
        except ValueError:
            continue  # not a calendar date: invalid_date reports it
        if wanted is None or wanted == date.weekday():
            continue
        ctx.add(
            check,
            check.severity(),
            check.say(
                found=written,
                date=m.group(0)[len(m.group("weekday")) :].strip(" ,-"),
                expected=WEEKDAY_NAMES[date.weekday()],
                value=date,
            ),
            "dates",
            written,
            WEEKDAY_NAMES[date.weekday()],
            m.start(),
            m.end(),
        )


def _date_line(ctx: _Ctx) -> re.Match[str] | None:
    """The place-and-date line of the header ("Vĩnh Phúc, ngày 08 tháng 5 năm 2021"): above
    the title (CHỈ THỊ, KẾ HOẠCH...) or the "Kính gửi" line, within the first lines."""
    end = ctx.header_end
    title = ctx.span("doc_type")
    if ctx.roles.get("doc_type") == "title" and title.get("start") is not None:
        end = min(end, title["start"])
    recipients = ctx.layout.first("recipients")
    if recipients and recipients.start < end:
        end = recipients.start
    return ctx.cfg["leading_zero"].rule.regex.search(ctx.folded, 0, end)


def _leading_zero(ctx: _Ctx, line: re.Match[str] | None) -> None:
    check = ctx.cfg["leading_zero"]
    if line is None:
        return
    for part, limit, label in (("day", 10, "day"), ("month", 3, "month")):
        written = line.group(part)
        if len(written) == 1 and int(written) < limit:
            shown = re.sub(r"\s+", " ", ctx.text[line.start() : line.end()]).strip()
            ctx.add(
                check,
                check.severity(),
                check.say(
                    found=f"{label} {written}",
                    expected=f"{label} 0{written}",
                    part=label,
                    line=shown,
                ),
                "issue_date",
                written,
                "0" + written,
                line.start(part),
                line.end(part),
            )


def _missing_field(ctx: _Ctx, line: re.Match[str] | None) -> None:
    check = ctx.cfg["missing_field"]
    record = ctx.record
    labels = check.data.get("labels") or {}
    missing = []
    if not record.get("doc_number"):
        missing.append("doc_number")
    if line is None:
        missing.append("issue_date")
    if not (record.get("issuer") or {}).get("name"):
        missing.append("issuer")
    if not record.get("subject"):
        missing.append("subject")
    if not record.get("signer"):
        missing.append("signer")
    for name in missing:
        label = labels.get(name, name)
        ctx.add(check, check.severity(), check.say(what=label, field=name), name, None, label)


_SYMBOL_YEAR = re.compile(r"^((?:19|20)[0-9]{2})/")


def reference_date(ref: dict[str, Any], text: str, rule: Rule) -> tuple[dt.date | None, int, int]:
    """The date written with a cited document ("Công điện số 05/CĐ-UBND ngày 03/02/2021"):
    the reference's ``date`` if the record gives one, else the date right after its number
    and symbol; with the span of that date."""
    start, end = ref.get("start"), ref.get("end")
    given = _iso(ref.get("date"))
    if given or start is None or end is None:
        return given, start or 0, end or 0
    window = text[start : end + 80]
    anchor = ref.get("symbol") or ref.get("number") or ""
    pos = window.find(anchor) if anchor else -1
    if pos < 0:
        return None, start, end
    m = rule.regex.match(fold(window), pos + len(anchor))
    if not m:
        return None, start, end
    day, month, year = (
        m.group("day") or m.group("wday"),
        m.group("month") or m.group("wmonth"),
        m.group("year") or m.group("wyear"),
    )
    try:
        date = dt.date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None, start, end
    return date, start + m.start("date"), start + m.end("date")


def _cited_number(ref: dict[str, Any]) -> str:
    """ "1190-CV/TU" or "05/CĐ-UBND" as the reference's text writes it."""
    number, symbol = ref.get("number") or "", ref.get("symbol")
    if not symbol:
        return number
    sep = re.search(re.escape(number) + r"\s*([/-])", ref.get("text") or "")
    return f"{number}{sep.group(1) if sep else '/'}{symbol}"


def _date_order(ctx: _Ctx) -> None:
    check = ctx.cfg["date_order"]
    issue = _iso(ctx.record.get("issue_date"))
    if issue is None:
        return
    for ref in ctx.record.get("references") or ():
        cited = f"{ref.get('doc_type') or 'document'} số {_cited_number(ref)}"
        date, start, end = reference_date(ref, ctx.text, check.rule)
        if date and date > issue:
            ctx.add(
                check,
                check.severity(official=ctx.official),
                check.say(
                    found=date, expected=f"on or before {issue}", reference=cited, issue_date=issue
                ),
                "references",
                str(date),
                f"on or before {issue}",
                start,
                end,
            )
            continue
        year = _SYMBOL_YEAR.match(ref.get("symbol") or "")
        if date is None and year and int(year.group(1)) > issue.year:
            ctx.add(
                check,
                check.severity(official=ctx.official),
                check.say(
                    "year",
                    found=year.group(1),
                    expected=f"{issue.year} or earlier",
                    reference=cited,
                    issue_date=issue,
                ),
                "references",
                year.group(1),
                f"{issue.year} or earlier",
                ref.get("start"),
                ref.get("end"),
            )


# --- helpers for reports ---------------------------------------------------------------


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def counts(findings: Iterable[dict[str, Any]]) -> dict[str, int]:
    """How many findings of each severity."""
    out = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        out[f["severity"]] = out.get(f["severity"], 0) + 1
    return out


def check_list(rules: RuleSet) -> list[dict[str, Any]]:
    """Every check with its severity, rule source, file and first example (--list-checks)."""
    cfg = config(rules)
    out = []
    for name in CHECKS:
        check = cfg[name]
        example = check.rule.examples[0]
        m = check.rule.regex.search(fold(example["text"]))
        shown = example["text"]
        if m and "\n" in shown:  # the lines the check reads
            start = shown.rfind("\n", 0, m.start()) + 1
            end = shown.find("\n", max(m.end() - 1, m.start()))
            shown = shown[start : end if end >= 0 else len(shown)]
        out.append(
            {
                "check": name,
                "severity": check.severity(),
                "news_severity": check.data.get("news_severity"),
                "mode": "catalogue" if name in CATALOGUE_CHECKS else "text",
                "source": check.data["source"],
                "rule": check.rule.id,
                "file": check.rule.path,
                "description": check.data.get("description"),
                "example": check.data.get("example") or shown.strip(),
                "example_text": example["text"],
                "example_finding": example.get("expect"),
            }
        )
    return out
