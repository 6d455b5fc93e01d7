"""Translation catalogues, one per domain package (relief_stock/<domain>/translations), plus the
app-wide one (relief_stock/translations) for the base templates and shared code.

    python scripts/i18n.py update [DOMAIN ...]   extract strings and merge them into the zh catalogue
    python scripts/i18n.py compile               compile every catalogue to .mo (committed)
    python scripts/i18n.py check                 fail on untranslated, fuzzy or stale entries
    python scripts/i18n.py fill TABLE.json       set msgstr from a {"msgid": "译文"} table, everywhere

A domain's strings are those in relief_stock/<domain>/ and templates/<domain>/; the app-wide catalogue
takes everything else.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "relief_stock"
LOCALES = ("zh",)


def domains():
    return sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())


def catalogue_dir(domain: str | None) -> Path:
    return (PACKAGE / domain if domain else PACKAGE) / "translations"


def sources(domain: str | None) -> list[Path]:
    if domain:
        return [p for p in (PACKAGE / domain, ROOT / "templates" / domain) if p.exists()]
    shared = [p for p in PACKAGE.glob("*.py")]
    shared += [p for p in (ROOT / "templates").glob("*.html")]
    return shared


def pybabel(*args):
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", *map(str, args)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def update(names):
    for domain in names:
        target = catalogue_dir(domain or None)
        srcs = sources(domain or None)
        if not srcs:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            pot = Path(tmp) / "messages.pot"
            pybabel(
                "extract",
                "-F",
                ROOT / "babel.cfg",
                "-k",
                "_l",
                "--no-location",
                "--sort-output",
                "-o",
                pot,
                *srcs,
            )
            for locale in LOCALES:
                po = target / locale / "LC_MESSAGES" / "messages.po"
                if po.exists():
                    pybabel(
                        "update",
                        "-i",
                        pot,
                        "-d",
                        target,
                        "-l",
                        locale,
                        "--no-fuzzy-matching",
                        "--ignore-obsolete",
                    )
                else:
                    pybabel("init", "-i", pot, "-d", target, "-l", locale)
                print(f"{po.relative_to(ROOT)}: updated")


def compile_all():
    for po in PACKAGE.glob("**/translations/*/LC_MESSAGES/messages.po"):
        pybabel("compile", "-i", po, "-o", po.with_suffix(".mo"), "--use-fuzzy")


def check() -> int:
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    problems = []
    for po in sorted(PACKAGE.glob("**/translations/*/LC_MESSAGES/messages.po")):
        with open(po, "rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if not all(strings) or message.fuzzy:
                problems.append(f"{po.relative_to(ROOT)}: untranslated or fuzzy: {message.id!r}")
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != buffer.getvalue():
            problems.append(f"{mo.relative_to(ROOT)}: missing or stale; run scripts/i18n.py compile")
    print("\n".join(problems) or "catalogues complete")
    return 1 if problems else 0


def fill(table_path: str):
    import json

    from babel.messages.pofile import read_po, write_po

    table = json.loads(Path(table_path).read_text(encoding="utf-8"))
    for po in PACKAGE.glob("**/translations/*/LC_MESSAGES/messages.po"):
        with open(po, "rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id and message.id in table:
                message.string = table[message.id]
                message.flags.discard("fuzzy")
        with open(po, "wb") as handle:
            write_po(handle, catalog, width=0, sort_output=True, no_location=True)


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["help"]
    if command == "update":
        update(rest or [""] + domains())
    elif command == "compile":
        compile_all()
    elif command == "fill":
        fill(rest[0])
    elif command == "check":
        sys.exit(check())
    else:
        print(__doc__)
        sys.exit(2)
