"""Reading tenant manifests: TOML in, every section validated by its own model, every mistake out at once.

A manifest is reviewed like code, so a mistake is reported the way a compiler
would: file, path and reason (``acme.toml: sla.targets[0].priority: ...``),
every mistake of every file in one answer, and an unknown key is a mistake (a
typo must never pass silently). Each section is validated on its own, so a
mistake in one does not hide the mistakes of the others, and the sections'
checks still run on whatever did validate. Mistakes are listed in the order
the file's keys appear.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import NoneType, UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.tenancy.manifest_fields import NOUNS, PROBLEM, Location, kind_of
from bo_saas.tenancy.manifest_sections import (
    CheckContext,
    Manifest,
    ManifestError,
    ManifestSection,
    Problem,
    in_order,
)


def manifest_files(paths: Iterable[Path]) -> list[Path]:
    """The manifest files named: each path is a file, or a folder whose ``*.toml`` are taken in name order."""
    files: list[Path] = []
    errors: list[str] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.glob("*.toml") if p.is_file())
            if not found:
                errors.append(f"{path}: no *.toml manifests in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            errors.append(f"{path}: no such file or folder")
    if errors:
        raise ManifestError(errors)
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)
    return list(unique.values())


async def load_facts(session: AsyncSession, sections: Iterable[ManifestSection]) -> dict[str, Any]:
    """Every section's facts from the database (plans, skills), for the checks."""
    facts: dict[str, Any] = {}
    for section in sections:
        if section.facts is not None:
            facts.update(await section.facts(session))
    return facts


def load_manifests(
    files: Iterable[Path], sections: Iterable[ManifestSection], facts: Mapping[str, Any] | None = None
) -> list[Manifest]:
    """Read and validate every file, then check each against the facts and the files before it.

    Raise ManifestError with every mistake of every file. Without ``facts`` the
    rules that need the database (which plans exist, what they include, the
    staff skills) are left to applying, which always loads them.
    """
    ordered = in_order(sections)
    manifests: list[Manifest] = []
    problems: dict[Path, list[Problem]] = {}
    unreadable: list[str] = []
    for file in map(Path, files):
        data, error = _parse(file)
        if data is None:
            unreadable.append(error)
            continue
        manifest, problems[file] = _validate(file, data, ordered, facts or {})
        manifests.append(manifest)
    for manifest in manifests:
        context = CheckContext(manifest, facts or {}, manifests)
        for section in ordered:
            if section.check is not None:
                problems[manifest.source].extend(section.check(context))
    messages = list(unreadable)
    for manifest in manifests:
        messages += problem_messages(manifest, problems[manifest.source], ordered)
    if messages:
        raise ManifestError(messages)
    return manifests


def load_manifest(path: Path, sections: Iterable[ManifestSection], facts: Mapping[str, Any] | None = None) -> Manifest:
    """Read and validate one manifest, or raise ManifestError with every mistake in it."""
    [manifest] = load_manifests([Path(path)], sections, facts)
    return manifest


def _parse(path: Path) -> tuple[dict[str, Any] | None, str]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), ""
    except OSError as exc:
        return None, f"{path}: cannot be read: {exc.strerror or exc}"
    except UnicodeDecodeError:
        return None, f"{path}: is not UTF-8 text"
    except tomllib.TOMLDecodeError as exc:
        return None, f"{path}: is not valid TOML: {exc}"


def _validate(
    source: Path, data: dict[str, Any], sections: Sequence[ManifestSection], facts: Mapping[str, Any]
) -> tuple[Manifest, list[Problem]]:
    known = [key for section in sections for key in section.keys]
    problems = [
        Problem((key,), f"unknown key (expected one of {', '.join(known)})") for key in data if key not in known
    ]
    values: dict[str, Any] = {}
    for section in sections:
        owned = {key: data[key] for key in section.keys if key in data}
        if not owned and not section.authoritative:
            continue  # left alone
        try:
            # The facts are the validation context: a validator may check a value against them.
            values[section.name] = section.model.model_validate(owned, context=facts)
        except ValidationError as exc:
            problems += [_problem(section.model, error) for error in exc.errors()]
    return Manifest(source, values, tuple(data)), problems


def problem_messages(manifest: Manifest, problems: Iterable[Problem], sections: Sequence[ManifestSection]) -> list[str]:
    """``file: path: reason`` lines, in the order of the file's keys (then of the sections' keys)."""
    rank: dict[str, int] = {}
    for key in (*manifest.keys, *(key for section in sections for key in section.keys)):
        rank.setdefault(key, len(rank))
    problems = sorted(problems, key=lambda problem: rank.get(str(problem.loc[0]), len(rank)) if problem.loc else -1)
    return [f"{manifest.source}: {location(problem.loc)}: {problem.reason}" for problem in problems]


def validation_problems(model: type[BaseModel], error: ValidationError) -> list[Problem]:
    """pydantic's errors for ``model`` in the manifest's words; other reviewed files (plans) report theirs so too."""
    return [_problem(model, detail) for detail in error.errors()]


def location(loc: Location) -> str:
    """``("meters", 1, "tiers")`` written as a path: ``meters[1].tiers``."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path


# --- pydantic's answers in the manifest's words ----------------------------------------------------


def _problem(model: type[BaseModel], error: Mapping[str, Any]) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == PROBLEM:
        reason = error["ctx"]["reason"]
    elif kind == "missing":
        reason = "missing (required)"
    elif kind == "extra_forbidden":
        parent, _ = _at(model, loc[:-1])
        reason = f"unknown key (expected one of {', '.join(_bare(parent).model_fields)})"
    elif kind.endswith("_type"):
        reason = f"must be {_expected(model, loc)}, not {kind_of(error['input'])}"
    else:
        reason = error["msg"]
    return Problem(loc, reason)


def _bare(annotation: Any) -> Any:
    """The type under ``Annotated[...]`` and ``X | None``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, UnionType):
            annotation = next(arg for arg in get_args(annotation) if arg is not NoneType)
        else:
            return annotation


def _at(model: type[BaseModel], loc: Location) -> tuple[Any, FieldInfo | None]:
    """The declared type at ``loc`` inside ``model``, and the field declaring it (None for an item)."""
    annotation: Any = model
    info: FieldInfo | None = None
    for part in loc:
        annotation = _bare(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            info = annotation.model_fields[str(part)]
            annotation = info.annotation
        else:  # an item of a list, or a value of a table of values
            annotation, info = get_args(annotation)[-1 if get_origin(annotation) is dict else 0], None
    return annotation, info


def _expected(model: type[BaseModel], loc: Location) -> str:
    annotation, info = _at(model, loc)
    if info is not None and info.description:
        return info.description
    annotation = _bare(annotation)
    where = ".".join(str(part) for part in loc if isinstance(part, str))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"a [[{where}]] table" if loc and isinstance(loc[-1], int) else f"a table ([{where}])"
    if get_origin(annotation) in (list, tuple):
        item = _bare(get_args(annotation)[0])
        if item is dict or get_origin(item) is dict or (isinstance(item, type) and issubclass(item, BaseModel)):
            return f"a list of [[{where}]] tables"
        return f"a list of {NOUNS.get(item, 'a value').split(' ', 1)[1]}s"
    if get_origin(annotation) is dict:
        return "a table"
    return NOUNS.get(annotation, "a value")
