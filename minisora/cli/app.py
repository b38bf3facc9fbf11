"""The typer app, which catalogue a command works on, and the one place errors become messages.

Exit codes: 0 all is well, 1 findings (invalid catalogue, broken links, stale READMEs), 2 a usage
error or a missing file, 3 an internal error (a bug: please report it).
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup, TyperOption

from minisora.errors import (
    CatalogError,
    Finding,
    MinisoraError,
    MinisoraWarning,
    Severity,
    UsageError,
)

if TYPE_CHECKING:
    from minisora.catalog import Catalog

MISSING_FILE = "missing-file"  # the rule of the finding for a file that is not there: exit 2


def piped() -> bool:
    """True when stdout is no terminal: commands then write plain, untruncated text."""
    return not sys.stdout.isatty()


def stdout() -> Console:
    """Where data goes. Created per call so that redirected streams are honoured."""
    return Console(soft_wrap=piped())


def stderr() -> Console:
    """Where messages, progress and summaries go."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``error: message`` on one line to stderr and exit with ``code``."""
    stderr().print(Text.assemble(("error", "bold red"), ": ", message))
    raise typer.Exit(code)


def finding_text(finding: Finding) -> Text:
    """``error: FILE:LINE: FIELD: MESSAGE`` (or ``warning: ...``), coloured by severity."""
    style = "bold red" if finding.severity is Severity.ERROR else "yellow"
    return Text.assemble((finding.severity.value, style), ": ", str(finding))


def print_findings(findings: Iterable[Finding], *, github: bool = False) -> None:
    """One line per finding on stderr, or with ``github`` workflow annotations on stdout."""
    if github:
        from minisora.render.annotations import annotation

        for f in findings:
            level = "error" if f.severity is Severity.ERROR else "warning"
            sys.stdout.write(
                annotation(level, f.message, file=f.path, line=f.line, title=f.field or f.rule)
            )
        return
    console = stderr()
    for finding in findings:
        console.print(finding_text(finding))


def given(**values: object) -> dict[str, Any]:
    """The settings the user gave; the library's defaults stand for the rest."""
    return {name: value for name, value in values.items() if value is not None}


def count(n: int, noun: str, plural: str = "") -> str:
    """``1 error``, ``3 errors``, ``2 repositories``."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def findings_exit_code(findings: Iterable[Finding]) -> int:
    """2 when a file is missing (a usage error, as documented), else 1."""
    return 2 if any(f.rule == MISSING_FILE for f in findings) else 1


def report_error(exc: MinisoraError) -> NoReturn:
    """Turn a library error into one line per problem and the error's exit code."""
    if isinstance(exc, CatalogError) and exc.findings:
        print_findings(exc.findings)
        raise typer.Exit(findings_exit_code(exc.findings))
    fail(str(exc), exc.exit_code)


def _one_line(show: Callable[..., None]) -> Callable[..., None]:
    """``warnings.showwarning`` that prints minisora's warnings as ``warning: message`` lines and
    hands the others to ``show``."""

    def show_warning(message: Warning | str, category: type[Warning], *args: Any) -> None:
        if issubclass(category, MinisoraWarning):
            stderr().print(Text.assemble(("warning", "yellow"), ": ", str(message)))
        else:
            show(message, category, *args)

    return show_warning


# The order commands are listed in by --help: reading first, then curating, then the network.
COMMAND_ORDER = (
    "list",
    "show",
    "categories",
    "validate",
    "render",
    "site",
    "import",
    "export",
    "schema",
    "add",
    "verify",
    "check-links",
)


def _no_flag_type(display: Callable[[TyperOption, typer.Context], str | None]) -> Any:
    def display_type_rich(option: TyperOption, ctx: typer.Context) -> str | None:
        return None if option.is_flag else display(option, ctx)

    return display_type_rich


# Help shows ``--strict``, not ``--strict <bool>``: a flag takes no value.
TyperOption.display_type_rich = _no_flag_type(TyperOption.display_type_rich)  # type: ignore[method-assign]


class _Group(TyperGroup):
    """Runs a command and turns every failure into a one-line message: never a traceback."""

    def list_commands(self, ctx: Any) -> list[str]:  # click's Context (typer vendors click)
        names = super().list_commands(ctx)
        rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
        return sorted(names, key=lambda name: rank.get(name, len(rank)))

    def invoke(self, ctx: Any) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("default", MinisoraWarning)  # each one once
                warnings.showwarning = _one_line(warnings.showwarning)
                return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except MinisoraError as exc:
            report_error(exc)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:
            # The reader went away (`minisora list | head`): stop quietly.
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115
            raise typer.Exit(1) from None
        except OSError as exc:  # a file the library did not name in a WriteError
            where = f"{os.fsdecode(exc.filename)}: " if exc.filename else ""
            fail(f"{where}{exc.strerror or exc}")
        except Exception as exc:
            if os.environ.get("MINISORA_DEBUG"):
                raise
            fail(
                f"internal error: {type(exc).__name__}: {exc} "
                "(set MINISORA_DEBUG=1 for a traceback, and please report it)",
                3,
            )


app = typer.Typer(
    name="minisora",
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


T = TypeVar("T")


def flagged(flag: str, parse: Callable[..., T], *args: Any) -> T:
    """``parse(*args)``, its usage error named for the option the value came from:
    "--max-age: 'a week' is no duration: ..." (library messages name no flags)."""
    try:
        return parse(*args)
    except UsageError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def load_catalog(path: Path | None, *, strict: bool = False) -> Catalog:
    """The catalogue at ``path``, or the bundled one. Reading commands are not ``strict``: a
    catalogue with errors across entries still loads, with one warning line to run validate."""
    from minisora.catalog import load

    return load(path, strict=strict)  # a CatalogWarning is shown as one line by _Group.invoke


def _version(value: bool) -> None:
    if value:
        from minisora import __version__
        from minisora.cli.where import catalog_origin

        try:
            origin = catalog_origin()
        except MinisoraError as exc:  # eager: runs before the group's own error handling
            report_error(exc)
        sys.stdout.write(f"minisora {__version__}\ncatalogue: {origin}\n")
        raise typer.Exit(0)


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Print the version and the catalogue in use, and exit.",
        ),
    ] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            "--cache-dir",
            envvar="MINISORA_CACHE_DIR",
            help="Folder of the caches (default: $XDG_CACHE_HOME/minisora or ~/.cache/minisora).",
            show_default=False,
            file_okay=False,
            metavar="DIR",
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            envvar="MINISORA_NO_CACHE",
            help="Read the catalogue afresh instead of from the cache.",
        ),
    ] = False,
) -> None:
    """The Mini Sora community's catalogue of video-generation papers.

    Inside a checkout of a list (a folder with data/papers.yaml, a minisora.toml or
    \\[tool.minisora] in pyproject.toml) every command works on its catalogue.

    Exit codes: 0 all is well, 1 findings (an invalid catalogue, broken links, stale READMEs),
    2 a usage error or a missing file, 3 an internal error (please report it).

    Example: minisora list --category "Diffusion Transformer"
    """
    from minisora.store import cache_dir as caches

    xdg = os.environ.get("XDG_CACHE_HOME")
    caches.use(cache_dir or (Path(xdg) / "minisora" if xdg else None), catalogues=not no_cache)
