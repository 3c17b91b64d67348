"""Open data and feeds: Atom feeds of publications, CSV and JSON downloads, robots.txt, sitemap.xml."""

import csv
import io
import json

from flask import Response, abort, current_app, request, stream_with_context, url_for

from coordapp.auth.access import public
from coordapp.core.time import utcnow
from coordapp.core.urls import external_url
from coordapp.public import bp, cache, queries, registry, root
from coordapp.public.portal import page

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def _feed(election, stage=None):
    def context() -> dict:
        entries = registry.publications(election.id, stage.id if stage else None, limit=50)
        return {
            "election": election,
            "stage": stage,
            "entries": entries,
            "updated": entries[0].updated_dt if entries else utcnow(),
            "self_url": external_url(request.endpoint, **request.view_args),
        }

    return page("public/feed.xml", ("feed", election.id, stage.id if stage else ""), context, "application/atom+xml")


@bp.get("/<slug>/feed.atom")
@public
def election_feed(slug: str):
    """Answer the Atom feed of an election's publications."""
    election = queries.election_by_slug(slug) or abort(404)
    return _feed(election)


@bp.get("/<slug>/<code>/feed.atom")
@public
def stage_feed(slug: str, code: str):
    """Answer the Atom feed of one stage's publications."""
    election = queries.election_by_slug(slug) or abort(404)
    stage = queries.stage_by_code(election, code) or abort(404)
    return _feed(election, stage)


@bp.get("/data/")
@public
def data_dictionary():
    """Describe the open data: each dataset, its columns, the licence, the download links."""
    return page(
        "public/data.html",
        (),
        lambda: {
            "datasets": registry.datasets(),
            "elections": queries.elections(),
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
        },
    )


def _dataset_rows(name: str):
    dataset = registry.datasets().get(name) or abort(404)
    slug = request.args.get("election", "")
    election = queries.election_by_slug(slug) if slug else None
    if slug and election is None:
        abort(404)
    return dataset, dataset.rows(election.id if election else None)


def _download_headers(filename: str) -> dict:
    return {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": f"public, max-age={cache.MAX_AGE}",
        "X-Licence": LICENCE,
    }


@bp.get("/data/<name>.csv")
@public
def data_csv(name: str):
    """Download a dataset as CSV (UTF-8 with a byte-order mark, for spreadsheets)."""
    dataset, rows = _dataset_rows(name)
    columns = [column for column, _meaning in dataset.columns]

    def generate():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        yield "\ufeff" + buffer.getvalue()
        for row in rows:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow({k: _neutral(v) for k, v in row.items()})
            yield buffer.getvalue()

    return Response(
        stream_with_context(generate()), mimetype="text/csv", headers=_download_headers(f"{dataset.name}.csv")
    )


def _neutral(value):
    """Keep a spreadsheet from running a cell as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@bp.get("/data/<name>.json")
@public
def data_json(name: str):
    """Download a dataset as JSON: the licence, the column meanings, and the rows."""
    dataset, rows = _dataset_rows(name)

    def generate():
        head = {
            "dataset": dataset.name,
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "columns": {column: str(meaning) for column, meaning in dataset.columns},
        }
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": ['
        for n, row in enumerate(rows):
            yield ("," if n else "") + json.dumps(row, ensure_ascii=False, default=str)
        yield "]}"

    return Response(
        stream_with_context(generate()),
        mimetype="application/json",
        headers=_download_headers(f"{dataset.name}.json"),
    )


@root.get("/robots.txt")
@public
def robots():
    """Let crawlers read the portal and nothing else."""
    body = "\n".join(
        [
            "User-agent: *",
            "Allow: /public/",
            "Disallow: /",
            f"Sitemap: {external_url('public_root.sitemap')}",
            "",
        ]
    )
    return cache.cacheable(body, "text/plain")


def sitemap_urls() -> list[str]:
    """Return every public page address: the portal, each election and stage, each published record."""
    urls = [url_for("public.index"), url_for("public.data_dictionary")]
    for election in queries.elections():
        urls.append(url_for("public.election", slug=election.slug))
        urls += [url_for("public.stage", slug=election.slug, code=s.code) for s in election.stages]
        urls += [e.url for e in registry.publications(election.id, limit=registry.SOURCE_LIMIT * 10)]
    urls += [url_for("public.meeting", meeting_id=i) for i in queries.published_ids("meetings")]
    urls += [url_for("public.issue", issue_id=i) for i in queries.published_ids("issues")]
    return list(dict.fromkeys(urls))


@root.get("/sitemap.xml")
@public
def sitemap():
    """List the public pages for search engines."""
    base = current_app.config["BASE_URL"].rstrip("/")  # never the request's Host: the page is cached
    return page(
        "public/sitemap.xml",
        ("sitemap",),
        lambda: {"urls": [u if "://" in u else base + u for u in sitemap_urls()]},
        "application/xml",
    )
