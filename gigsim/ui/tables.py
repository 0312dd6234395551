"""Plain HTML tables for the pages (escaped text only), and how a cell's value is written."""

from __future__ import annotations

import html

import solara


def html_table(headers: list[str], rows: list[list], css_class: str) -> None:
    """A plain HTML table (escaped text only)."""
    head = "".join(f"<th style='text-align:left;padding:1px 8px'>{html.escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td style='padding:1px 8px'>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                   for row in rows)
    solara.HTML(tag="table", unsafe_innerHTML=f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>",
                classes=[css_class], style={"font-size": "12px", "border-collapse": "collapse", "display": "block",
                                                "overflow-x": "auto", "max-width": "100%"})


def cell(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {cell(v)}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, list) and len(value) > 6:
        return ", ".join(cell(v) for v in value)
    return str(value).replace("|", "/")


def number(value) -> str:
    """A number for a table: thousands without decimals, others with two or three significant decimals."""
    if value is None:
        return "n/a"
    a = abs(value)
    return f"{value:,.0f}" if a >= 1000 else f"{value:,.2f}" if a >= 1 else f"{value:.3f}"
