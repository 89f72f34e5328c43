"""``flask --app factcheck ...`` commands."""

import json
import os
import secrets
import sqlite3
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

import migrations
from annotations.demo import load_demo
from annotations.fetching import FetchPolicy
from annotations.url_import import import_from_url
from annotations.importer import ImportLimits, decode_upload, parse_article
from annotations.exports import (ExportFilters, csv_text_chunks, iter_rows, json_chunks,
                                 table_rows, write_xlsx)
from annotations.models import CLAIM_STATUSES, ROLES, VERDICTS, DomainError, NotFound
from annotations.webannotation import export_collection, import_collection
from annotations.store import SYSTEM, Actor, backup

from .auth import hash_password
from .db import get_store

IMPORTABLE_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}


# with_appcontext on every command: get_store() needs an app context, which
# the flask command pushes but app.test_cli_runner() does not.
@click.command("migrate")
@with_appcontext
def migrate_command():
    """Apply pending schema migrations."""
    applied = migrations.apply(get_store().db)
    if applied:
        for name in applied:
            click.echo(f"applied {name}")
    else:
        click.echo("database is up to date")


def _collect_files(paths: tuple[str, ...]) -> list[Path]:
    files = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and p.suffix.lower() in IMPORTABLE_SUFFIXES))
        else:
            files.append(path)
    return files


def _url_for_file(template: str, path: Path, many: bool) -> str:
    """--url for one file is its URL; for many it is a pattern: {name} is
    replaced by the file's name without suffix, or the name is appended."""
    if "{name}" in template:
        return template.replace("{name}", path.stem)
    if many:
        return template.rstrip("/") + "/" + path.stem
    return template


IMPORT_BATCH = 200


def _import_file(store, path: Path, url_template: str, many: bool, title, publisher,
                 content_format: str, limits: ImportLimits):
    limit = limits.max_import_bytes
    if path.stat().st_size > limit:
        raise DomainError("file", f"file is larger than {limit // (1024 * 1024)} MB")
    content = decode_upload(path.read_bytes(), "file", limit)
    if content_format == "auto" and path.suffix.lower() in (".html", ".htm"):
        content_format = "html"
    url = _url_for_file(url_template, path, many)
    parsed = parse_article(content, content_format, "file", limits, page_url=url)
    return store.import_article(
        url, parsed, SYSTEM,
        title=title or parsed.title or path.stem.replace("-", " ").replace("_", " "),
        publisher=publisher)


@click.command("import-article")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--url", "url_template",
              help="The article's URL; with several files a pattern using {name}.")
@click.option("--fetch", "fetch_url", metavar="URL",
              help="Fetch the page at URL and import its main text and metadata "
                   "(instead of files).")
@click.option("--title", default=None, help="Title (single file); else the HTML title.")
@click.option("--publisher", default=None)
@click.option("--format", "content_format", type=click.Choice(["auto", "text", "html"]),
              default="auto", show_default=True)
@with_appcontext
def import_article_command(paths, url_template, fetch_url, title, publisher, content_format):
    """Import text or HTML files as articles, or --fetch a page by its URL
    (re-importing keeps claims)."""
    if fetch_url:
        if paths or url_template:
            raise click.UsageError("--fetch takes the page's URL: give no files and no --url")
        _fetch_and_import(fetch_url, title, publisher)
        return
    if not paths:
        raise click.UsageError("give the files to import, or --fetch URL")
    if not url_template:
        raise click.UsageError("Missing option '--url' (the article's URL)")
    files = _collect_files(paths)
    if not files:
        raise click.UsageError("no importable files found (.txt, .md, .html)")
    many = len(files) > 1
    if many and title:
        raise click.UsageError("--title applies to a single file")
    # Two files with one URL would silently import as one article, the second
    # replacing the first's text.
    seen = {}
    for path in files:
        url = _url_for_file(url_template, path, many)
        if url in seen:
            raise click.UsageError(f"{seen[url]} and {path} would both be imported as {url}; "
                                   "import them separately with their own --url")
        seen[url] = path
    store = get_store()
    limits = ImportLimits.from_settings(current_app.config)
    failures = []
    results = []
    with click.progressbar(length=len(files), label="Importing", show_pos=True) as bar:
        for first in range(0, len(files), IMPORT_BATCH):
            # A batch of files per transaction: commits (and full-text index
            # flushes) dominate the cost of many small imports. A refused
            # file rolls back only its own savepoint.
            with store.transaction():
                for path in files[first:first + IMPORT_BATCH]:
                    try:
                        results.append((path, _import_file(store, path, url_template, many,
                                                           title, publisher, content_format,
                                                           limits)))
                    except DomainError as error:
                        failures.append((path, error))
                    bar.update(1)
    for path, result in results:
        click.echo(f"{path}: {_described(result)}")
    for path, error in failures:
        click.echo(f"{path}: not imported: {error.field}: {error.message}", err=True)
    if failures:
        raise SystemExit(1)


def _described(result) -> str:
    verb = "created" if result.created else "updated"
    extra = "" if result.created else \
        f", {result.claims_kept} claims kept, {result.claims_orphaned} orphaned"
    return f"{verb} article {result.article_id} with {result.passage_count} passages{extra}"


def _fetch_and_import(url: str, title: str | None, publisher: str | None) -> None:
    try:
        result = import_from_url(get_store(), url, SYSTEM,
                                 FetchPolicy.from_settings(current_app.config),
                                 ImportLimits.from_settings(current_app.config),
                                 title=title, publisher=publisher)
    except DomainError as error:
        click.echo(f"{url}: not imported: {error.field}: {error.message}", err=True)
        raise SystemExit(1) from None
    if result.unchanged:
        click.echo(f"{url}: unchanged since the last fetch (article {result.article_id})")
        return
    click.echo(f"{url}: {_described(result)}")
    for alias in result.aliases_added:
        click.echo(f"  alias added: {alias}")
    for warning in result.warnings:
        click.echo(f"  warning: {warning}")


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_user_command(username, role, password):
    """Create an account."""
    if len(password) < 8:
        raise click.BadParameter("must be at least 8 characters", param_hint="--password")
    try:
        user = get_store().create_user(username, hash_password(password), role)
    except DomainError as error:
        raise click.BadParameter(error.message, param_hint=error.field)
    click.echo(f"created {user['role']} {user['username']}")


@click.command("ensure-admin")
@with_appcontext
def ensure_admin_command():
    """Create the admin account on first run and print its password once."""
    store = get_store()
    if store.count_users("admin"):
        click.echo("admin account exists: log in with the password printed when it was "
                   "created (or create another with `flask --app factcheck create-user`)")
        return
    username = os.environ.get("FACTCHECK_ADMIN_USERNAME", "admin")
    given = os.environ.get("FACTCHECK_ADMIN_PASSWORD")
    password = given or secrets.token_urlsafe(12)
    store.create_user(username, hash_password(password), "admin")
    # An empty FACTCHECK_ADMIN_PASSWORD means a generated one, which must be shown.
    shown = "(from FACTCHECK_ADMIN_PASSWORD)" if given else password
    click.echo(f"created admin account: username {username} password {shown}")
    click.echo("this password is shown only once")


@click.command("load-demo")
@with_appcontext
def load_demo_command():
    """Import the demo article and its claims (once)."""
    store = get_store()
    admin = store.first_admin()
    actor = Actor(admin["id"], admin["username"]) if admin else SYSTEM
    article_id = load_demo(store, actor)
    click.echo(f"demo article {article_id} ready")


@click.command("backup")
@click.argument("dest", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
@with_appcontext
def backup_command(dest, force):
    """Copy the live database to DEST (one consistent snapshot, VACUUM INTO),
    checked with PRAGMA integrity_check; writers may keep working meanwhile."""
    dest_path = Path(dest)
    if dest_path.exists() and not force:
        raise click.BadParameter(f"{dest} exists (use --force to overwrite)", param_hint="DEST")
    if not dest_path.parent.is_dir():
        raise click.BadParameter(f"folder {dest_path.parent} does not exist", param_hint="DEST")
    try:
        result = backup(get_store().db, dest_path)
    except (OSError, sqlite3.Error) as error:
        raise click.ClickException(f"backup failed, nothing written: {error}")
    if result != "ok":
        raise click.ClickException(f"backup failed its integrity check, nothing written: {result}")
    click.echo(f"backed up to {dest_path} (integrity_check: ok)")


def _progress(rows, total: int, label: str):
    with click.progressbar(length=total, label=label, show_pos=True, file=sys.stderr) as bar:
        for n, row in enumerate(rows, 1):
            yield row
            if n % 1000 == 0:
                bar.update(1000)
        bar.update(total % 1000 if total else 0)


@click.command("export")
@click.argument("fmt", type=click.Choice(["csv", "json", "xlsx"]))
@click.option("--output", "-o", type=click.Path(dir_okay=False), required=True,
              help="File to write ('-' for standard output, csv and json only).")
@click.option("--article-id", type=int)
@click.option("--verdict", type=click.Choice(VERDICTS))
@click.option("--status", type=click.Choice(CLAIM_STATUSES),
              help="Status of the exported row (a published claim's is published or retracted).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--annotator", help="Username of the claims' creator.")
@click.option("--bom", is_flag=True, help="Start a CSV with a UTF-8 byte-order mark.")
@click.option("--base-url", help="Where the service is published, for the review URLs "
                                 "(default: PUBLIC_BASE_URL, else http://127.0.0.1:8000).")
@with_appcontext
def export_command(fmt, output, article_id, verdict, status, since, until, annotator, bom,
                   base_url):
    """Export the verdict table (one row per claim), streamed: a published
    claim as readers see it, even while a revision waits for review."""
    store = get_store()
    filters = ExportFilters(article_id=article_id, verdict=verdict, status=status,
                            since=since.date() if since else None,
                            until=until.date() if until else None, annotator=annotator)
    try:
        if annotator and store.find_user(annotator) is None:
            raise DomainError("annotator", f"no user named {annotator!r}")
        if article_id is not None:
            try:
                store.article(article_id)
            except NotFound:
                raise DomainError("article_id", f"article {article_id} not found") from None
        total = store.count_export_rows(filters)
    except DomainError as error:
        raise click.BadParameter(error.message, param_hint=f"--{error.field.replace('_', '-')}")
    base_url = (base_url or current_app.config.get("PUBLIC_BASE_URL")
                or "http://127.0.0.1:8000").rstrip("/")
    if fmt == "json":
        rows = iter_rows(store.export_row_cursor(filters, base_url))
    elif fmt == "csv":
        rows = store.export_csv_cursor(filters, base_url)
    else:
        rows = table_rows(store.export_table_cursor(filters, base_url))
    rows = _progress(rows, total, "Exporting")
    if fmt == "xlsx":
        if output == "-":
            raise click.BadParameter("XLSX needs a file", param_hint="--output")
        count = write_xlsx(rows, output)
    else:
        chunks = csv_text_chunks(rows, bom=bom) if fmt == "csv" else json_chunks(rows)
        # Binary, so the CSV's own CRLF line ends are written as they are.
        with click.open_file(output, "wb") as out:
            for chunk in chunks:
                out.write(chunk.encode("utf-8"))
        count = total
    click.echo(f"exported {count} claims to {output}", err=True)


@click.command("export-annotations")
@click.argument("dest", type=click.Path(dir_okay=False))
@click.option("--published-only", is_flag=True,
              help="What readers see (each claim's publication, with its corrections and any "
                   "retraction) instead of the desk's working copies.")
@click.option("--base-url", default="http://127.0.0.1:8000", show_default=True,
              help="Where the service is published, for the annotations' ids.")
@with_appcontext
def export_annotations_command(dest, published_only, base_url):
    """Write every claim as W3C Web Annotation JSON-LD (the desk's working copies, or
    with --published-only what readers see)."""
    document = export_collection(get_store(), base_url.rstrip("/"), published_only)
    with open(dest, "w", encoding="utf-8") as out:
        json.dump(document, out, ensure_ascii=False, indent=1)
    click.echo(f"exported {document['total']} annotations to {dest}")


@click.command("import-annotations")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_annotations_command(source):
    """Import W3C Web Annotation JSON-LD, whole or not at all; annotations
    already here are left as they are. Migrates the database first (a fresh
    instance needs no separate `migrate`)."""
    migrations.apply(get_store().db)
    try:
        document = json.loads(decode_upload(Path(source).read_bytes(), "file", 50 * 1024 * 1024))
    except ValueError as error:
        raise click.ClickException(f"{source}: not valid JSON ({error})")
    except RecursionError:
        raise click.ClickException(f"{source}: not valid JSON (nested too deeply)") from None
    try:
        result = import_collection(get_store(), document, SYSTEM,
                                   ImportLimits.from_settings(current_app.config))
    except DomainError as error:
        raise click.ClickException(f"{source}: refused, nothing imported: {error.field}: {error.message}")
    click.echo(f"imported {result['claims']} claims on {result['articles']} articles"
               f" ({result['unchanged']} already here, unchanged)")


@click.command("export-buckets")
@click.argument("dest", type=click.Path(file_okay=False))
@with_appcontext
def export_buckets_command(dest):
    """Write every non-empty lookup bucket under DEST/api/v1/lookup/ as static
    files, for a static host or CDN: the same bytes GET /api/v1/lookup/PREFIX
    answers. Bucket files no longer published are removed; a bucket with no
    file is empty (the extension reads a 404 as "nothing checked here")."""
    from annotations.lookup import PREFIX_HEX_DIGITS, is_bucket_prefix

    from .api.lookup import bucket_variant, render_bucket

    folder = Path(dest) / "api" / "v1" / "lookup"
    folder.mkdir(parents=True, exist_ok=True)
    store, variant = get_store(), bucket_variant(current_app.config)
    prefixes = store.published_prefixes(PREFIX_HEX_DIGITS)
    for prefix in prefixes:
        bucket = store.render_bucket(prefix, variant, lambda p=prefix: render_bucket(p))
        staged = folder / f".{prefix}.tmp"
        staged.write_bytes(bucket.body)  # static hosts compress as they do
        staged.replace(folder / prefix)  # a reader never sees half a file
    kept = set(prefixes)
    stale = [path for path in folder.iterdir()
             if is_bucket_prefix(path.name) and path.name not in kept]
    for path in stale:
        path.unlink()
    click.echo(f"wrote {len(prefixes)} buckets to {folder}, removed {len(stale)}")


COMMANDS = [migrate_command, import_article_command, create_user_command,
            ensure_admin_command, load_demo_command, backup_command, export_command,
            export_annotations_command, import_annotations_command, export_buckets_command]


def init_app(app) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
