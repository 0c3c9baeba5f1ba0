"""``vncovid show``: a document with every extracted span highlighted and labelled."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

STYLES = {
    "doc_number": "bold magenta",
    "doc_type": "bold magenta",
    "issuer": "bold cyan",
    "issue_date": "bold green",
    "subject": "italic",
    "dates": "green",
    "references": "magenta",
    "case_counts": "bold yellow",
    "rates": "yellow",
    "tasks": "blue",
    "people": "bold red",
    "signer": "bold red",
}
SCALARS = ("doc_number", "doc_type", "issuer", "issue_date", "subject")
LISTS = ("dates", "references", "case_counts", "rates", "people", "tasks")


def spans(record: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """(start, end, field, rule) of every value in the record that has a span."""
    out = []
    for name in SCALARS:
        span = (record.get("spans") or {}).get(name)
        if span:
            out.append((span["start"], span["end"], name, span["rule"]))
    for name in LISTS:
        for item in record.get(name) or []:
            out.append((item["start"], item["end"], name, item["rule"]))
    signer = record.get("signer")
    if signer:
        out.append((signer["start"], signer["end"], "signer", signer["rule"]))
    return sorted(out, key=lambda s: (s[0], -s[1]))


def highlighted(text: str, record: dict[str, Any], labels: bool = True) -> Text:
    """The text with spans styled by field, each followed by a dim [field rule] label."""
    marks = spans(record)
    bounds = sorted({0, len(text), *(s for s, *_ in marks), *(e for _, e, *_ in marks)})
    out = Text()
    for a, b in zip(bounds, bounds[1:], strict=False):
        covering = [m for m in marks if m[0] <= a and b <= m[1]]
        style = STYLES.get(covering[-1][2], "") if covering else ""
        out.append(text[a:b], style=style)
        if labels:
            for start, end, name, rule in marks:
                if end == b and start < b:
                    out.append(f"[{name} {rule}]", style="dim " + STYLES.get(name, ""))
    return out


def table(record: dict[str, Any]) -> Table:
    """The record's values with their rule and span, one row each."""
    t = Table(title=f"{record.get('source')}", show_lines=False)
    for column in ("field", "value", "rule", "span"):
        t.add_column(column)
    issuer = record.get("issuer") or {}
    scalars = {**{k: record.get(k) for k in SCALARS}, "issuer": _issuer(issuer)}
    for name in SCALARS:
        span = (record.get("spans") or {}).get(name) or {}
        t.add_row(name, str(scalars[name]), span.get("rule", ""), _where(span))
    for name in LISTS:
        for item in record.get(name) or []:
            t.add_row(name, _value(name, item), item.get("rule", ""), _where(item))
    if record.get("signer"):
        s = record["signer"]
        t.add_row(
            "signer", f"{s['name']} ({s.get('title')}; {s.get('capacity')})", s["rule"], _where(s)
        )
    for w in record.get("warnings") or []:
        t.add_row("warning", w["message"], w["code"], _where(w))
    return t


def _issuer(issuer: dict[str, Any]) -> str:
    parts = [
        issuer.get("name"),
        issuer.get("level"),
        issuer.get("province"),
        issuer.get("district"),
    ]
    return " / ".join(str(p) for p in parts if p) or "None"


def _value(name: str, item: dict[str, Any]) -> str:
    if name == "case_counts":
        extra = ", ".join(
            f"{k} {item[k]}"
            for k in ("as_of", "period_start", "period_end", "place")
            if item.get(k)
        )
        return f"{item['value']} {item['category']}" + (f" ({extra})" if extra else "")
    if name == "references":
        return f"{item['doc_type']} {item['number']}" + (
            f"/{item['symbol']}" if item.get("symbol") else ""
        )
    if name == "tasks":
        return f"{item['label']} (level {item['level']}, {item.get('theme')}) {item['text'][:60]}"
    if name == "people":
        return f"{item['name']} ({item.get('title')})"
    return str(item.get("value"))


def _where(span: dict[str, Any]) -> str:
    return f"{span['start']}-{span['end']}" if span and span.get("start") is not None else ""


def render(record: dict[str, Any], text: str, console: Console | None = None) -> None:
    console = console or Console()
    console.print(Group(highlighted(text, record), Text(""), table(record)))
