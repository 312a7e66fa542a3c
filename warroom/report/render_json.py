"""The report as JSON, and the JSON Schema it follows (``schema/report.schema.json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from warroom.report.model import Report

__all__ = ["SCHEMA_PATH", "render_json", "report_schema"]

SCHEMA_PATH = Path(__file__).with_name("schema") / "report.schema.json"


def render_json(report: Report) -> str:
    """The report as an indented JSON document (times in UTC ISO 8601)."""
    document = {"schema": "warroom-report/1", **report.model_dump(mode="json")}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the report document (what ``SCHEMA_PATH`` holds)."""
    schema = Report.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://warroom.invalid/schema/report.schema.json"
    schema["properties"] = {"schema": {"const": "warroom-report/1"}, **schema["properties"]}
    schema["required"] = ["schema", *schema.get("required", [])]
    return schema
