"""The JSON Schema of each data file, generated from the models."""

from __future__ import annotations

import json

from pydantic import BaseModel

from cctrack.model import ObservationsFile, TargetsFile

_MODELS: dict[str, type[BaseModel]] = {"targets": TargetsFile, "observations": ObservationsFile}


def json_schema(file: str) -> str:
    """The JSON Schema (draft 2020-12) of ``targets`` or ``observations``, as JSON text."""
    model = _MODELS[file]
    schema = model.model_json_schema(mode="validation")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://cctrack.invalid/schema/{file}.json",
        **schema,
        "title": f"cctrack {file}.yaml",
    }
    text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    # the models are TargetModel, SourceModel...: the schema names what they describe
    for name in list(schema.get("$defs", {})):
        if name.endswith("Model"):
            short = name.removesuffix("Model")
            text = text.replace(f'"{name}"', f'"{short}"').replace(f'/{name}"', f'/{short}"')
    return text
