"""The typer app, the options every command shares, and the one place errors become messages."""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from minisora.errors import CatalogError, Finding, MinisoraError, MinisoraWarning, Severity

if TYPE_CHECKING:
    from minisora.catalog import Catalog


def stdout() -> Console:
    """Where data goes. Created per call so that redirected streams are honoured."""
    return Console(soft_wrap=not sys.stdout.isatty())


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


def count(n: int, noun: str, plural: str = "") -> str:
    """``1 error``, ``3 errors``, ``2 repositories``."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def report_error(exc: MinisoraError) -> NoReturn:
    """Turn a library error into one line per problem and the error's exit code."""
    if isinstance(exc, CatalogError) and exc.findings:
        console = stderr()
        for finding in exc.findings:
            console.print(finding_text(finding))
        raise typer.Exit(exc.exit_code)
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


class _Group(TyperGroup):
    """Runs a command and turns every failure into a one-line message: never a traceback."""

    def list_commands(self, ctx: typer.Context) -> list[str]:
        names = super().list_commands(ctx)
        rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
        return sorted(names, key=lambda name: rank.get(name, len(rank)))

    def invoke(self, ctx: typer.Context) -> Any:
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
    help="The Mini Sora community's catalogue of video-generation papers.\n\n"
    'Example: minisora list --category "Diffusion Transformer"',
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

CatalogOption = Annotated[
    Path | None,
    typer.Option(
        "--catalog",
        envvar="MINISORA_CATALOG",
        help="Catalogue file to use instead of the bundled one.",
        show_default=False,
        dir_okay=False,
    ),
]


def load_catalog(path: Path | None, *, strict: bool = False) -> Catalog:
    """The catalogue at ``path``, or the bundled one. Reading commands are not ``strict``: a
    catalogue with errors across entries still loads, with one warning line to run validate."""
    import warnings

    from minisora.catalog import load
    from minisora.errors import CatalogWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CatalogWarning)
        cat = load(path, strict=strict)
    for warning in caught:
        stderr().print(Text.assemble(("warning", "yellow"), ": ", str(warning.message)))
    return cat
