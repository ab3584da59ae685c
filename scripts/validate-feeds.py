#!/usr/bin/env python3
"""Validate feed documents the way a feed reader and a feed validator would.

    validate-feeds.py [--report REPORT.json] KIND:FILE [KIND:FILE ...]

KIND is rss, atom or json. Each file is checked by:

* feedparser (pinned by scripts/install-test-tools) for RSS and Atom: the
  document must parse with `bozo` unset, the feed must have a title and a
  link, every entry a title, link, id and published date. (feedparser 6.0
  does not read JSON Feed; JSON files are checked by the next two only.)
* structural rules of the format, checked with the standard library:
  - RSS 2.0: root <rss version="2.0">, exactly one <channel> with title, link
    and description, only RSS 2.0 elements outside namespaces, each item with
    a title or a description, unique guids (permalink guids are URLs), RFC 822
    dates, enclosures/sources with their required attributes, an
    <atom:link rel="self">, every namespace prefix declared where it is used
    and the well-known prefixes bound to their well-known URIs.
  - Atom 1.0 (RFC 4287): feed id/title/updated, entries with id/title/updated,
    RFC 3339 dates, absolute ids, an alternate link per entry and at most one
    per type/hreflang, a rel="self" link, authors on the feed or on every
    entry, valid text-construct and content types.
  - JSON Feed 1.1: scripts/jsonfeed-1.1.schema.json (written from the
    specification) with jsonschema, unique item ids, dates that are real
    RFC 3339 instants.

Prints one summary line per file (and each problem under a failing file),
writes the per-file results (entry count, entry links, self link) as JSON to
--report when given, and exits 1 when
any file has a problem (2 on bad usage or a missing tool).
"""

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET
import xml.parsers.expat
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

try:
    import feedparser
    import jsonschema
except ImportError as e:  # pragma: no cover - depends on the venv
    print(
        f"validate-feeds: {e}; run scripts/install-test-tools and use "
        "target/test-venv/bin/python",
        file=sys.stderr,
    )
    sys.exit(2)

SCHEMA_PATH = Path(__file__).resolve().with_name("jsonfeed-1.1.schema.json")

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# Prefixes with one meaning everywhere: a feed that binds one of them to
# another URI is not saying what a reader will think it says.
WELL_KNOWN_PREFIXES = {
    "atom": ATOM_NS,
    "dc": "http://purl.org/dc/elements/1.1/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "media": "http://search.yahoo.com/mrss/",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "sy": "http://purl.org/rss/1.0/modules/syndication/",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "georss": "http://www.georss.org/georss",
}

FEED_MIME = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}

RSS_CHANNEL_ELEMENTS = {
    "title", "link", "description", "language", "copyright", "managingEditor",
    "webMaster", "pubDate", "lastBuildDate", "category", "generator", "docs",
    "cloud", "ttl", "image", "rating", "textInput", "skipHours", "skipDays",
    "item",
}
RSS_CHANNEL_REPEATABLE = {"category", "item"}
RSS_ITEM_ELEMENTS = {
    "title", "link", "description", "author", "category", "comments",
    "enclosure", "guid", "pubDate", "source",
}
RSS_ITEM_REPEATABLE = {"category"}

ATOM_FEED_ELEMENTS = {
    "author", "category", "contributor", "generator", "icon", "id", "link",
    "logo", "rights", "subtitle", "title", "updated", "entry",
}
ATOM_FEED_SINGLE = {"generator", "icon", "id", "logo", "rights", "subtitle", "title", "updated"}
ATOM_ENTRY_ELEMENTS = {
    "author", "category", "content", "contributor", "id", "link", "published",
    "rights", "source", "summary", "title", "updated",
}
ATOM_ENTRY_SINGLE = {"content", "id", "published", "rights", "source", "summary", "title", "updated"}

RFC822_DATE = re.compile(
    r"^(?:(?P<dow>Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?"
    r"(?P<day>\d{1,2}) (?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"(?P<year>\d{4}) \d{2}:\d{2}(?::\d{2})? "
    r"(?:UT|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|[A-IK-Z]|[+-]\d{4})$"
)
RFC3339_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$"
)


def is_abs_url(value):
    if not value:
        return False
    parts = urlsplit(value.strip())
    if parts.scheme in ("http", "https"):
        return bool(parts.netloc)
    return bool(parts.scheme) and ":" in value


def local(tag):
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


def ns_of(tag):
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else None


def text_of(el):
    return "".join(el.itertext()).strip() if el is not None else ""


# --- XML: namespaces ---------------------------------------------------------


def check_namespaces(data, problems):
    """Every prefix used on an element or attribute is declared in scope, and
    the well-known prefixes are bound to their URIs. Done with expat without
    namespace processing, so an undeclared prefix is reported by name and line
    rather than as the parser's 'unbound prefix'."""
    parser = xml.parsers.expat.ParserCreate()
    scopes = [{"xml": XML_NS}]

    def start(name, attrs):
        scope = dict(scopes[-1])
        for attr, value in attrs.items():
            if attr.startswith("xmlns:"):
                prefix = attr[len("xmlns:"):]
                scope[prefix] = value
                expected = WELL_KNOWN_PREFIXES.get(prefix)
                if expected and value != expected:
                    problems.append(
                        f"line {parser.CurrentLineNumber}: prefix '{prefix}' is bound to "
                        f"'{value}', not '{expected}'"
                    )
        scopes.append(scope)
        for qname in [name, *attrs.keys()]:
            if ":" not in qname or qname.startswith("xmlns:"):
                continue
            prefix = qname.split(":", 1)[0]
            if prefix not in scope:
                problems.append(
                    f"line {parser.CurrentLineNumber}: prefix '{prefix}' used in "
                    f"'{qname}' is not declared"
                )

    def end(_name):
        scopes.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as e:
        problems.append(f"not well-formed XML: {e}")
        return False
    return True


def parse_xml(data, problems):
    if not check_namespaces(data, problems):
        return None
    try:
        return ET.fromstring(data)
    except ET.ParseError as e:
        problems.append(f"XML: {e}")
        return None


# --- RSS 2.0 -----------------------------------------------------------------


def check_rfc822(value, where, problems):
    m = RFC822_DATE.match(value or "")
    if not m:
        problems.append(f"{where}: '{value}' is not an RFC 822 date (4-digit year)")
        return
    try:
        dt = parsedate_to_datetime(value)
    except (TypeError, ValueError) as e:
        problems.append(f"{where}: '{value}' is not a real date ({e})")
        return
    if m.group("dow") and dt.strftime("%a") != m.group("dow"):
        problems.append(f"{where}: '{value}' names the wrong day of the week")


def check_children(parent, allowed, repeatable, where, problems):
    seen = {}
    for child in parent:
        if not isinstance(child.tag, str):
            continue
        if ns_of(child.tag) is None:
            name = child.tag
            if name not in allowed:
                problems.append(f"{where}: <{name}> is not an RSS 2.0 element")
            seen[name] = seen.get(name, 0) + 1
    for name, n in seen.items():
        if n > 1 and name not in repeatable and name in allowed:
            problems.append(f"{where}: <{name}> appears {n} times")


def check_rss(data, problems):
    root = parse_xml(data, problems)
    if root is None:
        return
    if root.tag != "rss":
        problems.append(f"root element is <{root.tag}>, not <rss>")
        return
    if root.get("version") != "2.0":
        problems.append(f"<rss version=\"{root.get('version')}\">, not \"2.0\"")
    channels = root.findall("channel")
    if len(channels) != 1:
        problems.append(f"<rss> has {len(channels)} <channel> elements, not one")
        if not channels:
            return
    ch = channels[0]
    check_children(ch, RSS_CHANNEL_ELEMENTS, RSS_CHANNEL_REPEATABLE, "channel", problems)
    for name in ("title", "link", "description"):
        if ch.find(name) is None:
            problems.append(f"channel: no <{name}>")
    if not text_of(ch.find("title")):
        problems.append("channel: empty <title>")
    link = text_of(ch.find("link"))
    if ch.find("link") is not None and not is_abs_url(link):
        problems.append(f"channel: <link> '{link}' is not an absolute URL")
    for name in ("pubDate", "lastBuildDate"):
        el = ch.find(name)
        if el is not None:
            check_rfc822(text_of(el), f"channel <{name}>", problems)
    ttl = ch.find("ttl")
    if ttl is not None and not text_of(ttl).isdigit():
        problems.append(f"channel: <ttl> '{text_of(ttl)}' is not a whole number")

    selfs = [
        l for l in ch.findall(f"{{{ATOM_NS}}}link") if l.get("rel") == "self"
    ]
    if not selfs:
        problems.append('channel: no <atom:link rel="self">')
    for l in selfs:
        if not is_abs_url(l.get("href")):
            problems.append(f"channel: atom:link rel=\"self\" href '{l.get('href')}' is not an absolute URL")
        if l.get("type") not in (None, "application/rss+xml"):
            problems.append(f"channel: atom:link rel=\"self\" type '{l.get('type')}' is not application/rss+xml")
    if len(selfs) > 1:
        problems.append(f'channel: {len(selfs)} <atom:link rel="self">')

    guids = {}
    for i, item in enumerate(ch.findall("item")):
        where = f"item[{i}]"
        check_children(item, RSS_ITEM_ELEMENTS, RSS_ITEM_REPEATABLE, where, problems)
        if item.find("title") is None and item.find("description") is None:
            problems.append(f"{where}: neither <title> nor <description>")
        link = item.find("link")
        if link is not None and not is_abs_url(text_of(link)):
            problems.append(f"{where}: <link> '{text_of(link)}' is not an absolute URL")
        guid = item.find("guid")
        if guid is not None:
            value = text_of(guid)
            if not value:
                problems.append(f"{where}: empty <guid>")
            if guid.get("isPermaLink", "true") not in ("true", "false"):
                problems.append(f"{where}: <guid isPermaLink=\"{guid.get('isPermaLink')}\">")
            if guid.get("isPermaLink", "true") == "true" and not is_abs_url(value):
                problems.append(f"{where}: permalink <guid> '{value}' is not an absolute URL")
            if value in guids:
                problems.append(f"{where}: <guid> '{value}' repeats item[{guids[value]}]")
            guids.setdefault(value, i)
        pub = item.find("pubDate")
        if pub is not None:
            check_rfc822(text_of(pub), f"{where} <pubDate>", problems)
        for enc in item.findall("enclosure"):
            for attr in ("url", "length", "type"):
                if enc.get(attr) is None:
                    problems.append(f"{where}: <enclosure> without {attr}=")
        src = item.find("source")
        if src is not None and not is_abs_url(src.get("url")):
            problems.append(f"{where}: <source> without an absolute url=")
        for cat in item.findall("category"):
            if not text_of(cat):
                problems.append(f"{where}: empty <category>")
        for media in item.iter("{http://search.yahoo.com/mrss/}content"):
            if not is_abs_url(media.get("url")):
                problems.append(f"{where}: <media:content> without an absolute url=")


# --- Atom 1.0 ----------------------------------------------------------------


def atom(name):
    return f"{{{ATOM_NS}}}{name}"


def check_rfc3339(value, where, problems):
    if not RFC3339_DATE.match(value or ""):
        problems.append(f"{where}: '{value}' is not an RFC 3339 date-time")
        return
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as e:
        problems.append(f"{where}: '{value}' is not a real date ({e})")


def check_atom_text(el, where, problems):
    kind = el.get("type", "text")
    if kind not in ("text", "html", "xhtml"):
        problems.append(f"{where}: type=\"{kind}\" is not text, html or xhtml")
    if kind == "xhtml" and el.find("{http://www.w3.org/1999/xhtml}div") is None:
        problems.append(f"{where}: type=\"xhtml\" without an xhtml:div")


def check_atom_children(parent, allowed, single, where, problems):
    counts = {}
    for child in parent:
        if not isinstance(child.tag, str):
            continue
        if ns_of(child.tag) == ATOM_NS:
            name = local(child.tag)
            if name not in allowed:
                problems.append(f"{where}: <{name}> is not allowed here")
            counts[name] = counts.get(name, 0) + 1
        elif ns_of(child.tag) is None:
            problems.append(f"{where}: <{child.tag}> is in no namespace")
    for name, n in counts.items():
        if n > 1 and name in single:
            problems.append(f"{where}: <{name}> appears {n} times")


def check_atom_links(parent, where, problems, need_alternate):
    alternates = {}
    links = parent.findall(atom("link"))
    for l in links:
        if not l.get("href"):
            problems.append(f"{where}: <link> without href")
        rel = l.get("rel", "alternate")
        if rel == "alternate":
            key = (l.get("type"), l.get("hreflang"))
            alternates[key] = alternates.get(key, 0) + 1
    for (kind, lang), n in alternates.items():
        if n > 1:
            problems.append(
                f"{where}: {n} alternate links with type={kind!r} hreflang={lang!r}"
            )
    if need_alternate and not alternates:
        problems.append(f"{where}: no rel=\"alternate\" link")
    return links


def check_person(el, where, problems):
    if not text_of(el.find(atom("name"))):
        problems.append(f"{where}: <{local(el.tag)}> without a <name>")
    uri = el.find(atom("uri"))
    if uri is not None and not is_abs_url(text_of(uri)):
        problems.append(f"{where}: <{local(el.tag)}><uri> '{text_of(uri)}' is not absolute")


def check_atom(data, problems):
    root = parse_xml(data, problems)
    if root is None:
        return
    if root.tag != atom("feed"):
        problems.append(f"root element is {root.tag}, not Atom's <feed>")
        return
    check_atom_children(root, ATOM_FEED_ELEMENTS, ATOM_FEED_SINGLE, "feed", problems)
    for name in ("id", "title", "updated"):
        if root.find(atom(name)) is None:
            problems.append(f"feed: no <{name}>")
    fid = text_of(root.find(atom("id")))
    if root.find(atom("id")) is not None and not is_abs_url(fid):
        problems.append(f"feed: <id> '{fid}' is not an absolute IRI")
    if root.find(atom("updated")) is not None:
        check_rfc3339(text_of(root.find(atom("updated"))), "feed <updated>", problems)
    for name in ("title", "subtitle", "rights"):
        el = root.find(atom(name))
        if el is not None:
            check_atom_text(el, f"feed <{name}>", problems)
    links = check_atom_links(root, "feed", problems, need_alternate=False)
    selfs = [l for l in links if l.get("rel") == "self"]
    if not selfs:
        problems.append('feed: no <link rel="self">')
    for l in selfs:
        if not is_abs_url(l.get("href")):
            problems.append(f"feed: rel=\"self\" href '{l.get('href')}' is not an absolute URL")
        if l.get("type") not in (None, "application/atom+xml"):
            problems.append(f"feed: rel=\"self\" type '{l.get('type')}' is not application/atom+xml")
    for person in root.findall(atom("author")) + root.findall(atom("contributor")):
        check_person(person, "feed", problems)
    feed_has_author = root.find(atom("author")) is not None

    ids = {}
    for i, entry in enumerate(root.findall(atom("entry"))):
        where = f"entry[{i}]"
        check_atom_children(entry, ATOM_ENTRY_ELEMENTS, ATOM_ENTRY_SINGLE, where, problems)
        for name in ("id", "title", "updated"):
            if entry.find(atom(name)) is None:
                problems.append(f"{where}: no <{name}>")
        eid = text_of(entry.find(atom("id")))
        if entry.find(atom("id")) is not None:
            if not is_abs_url(eid):
                problems.append(f"{where}: <id> '{eid}' is not an absolute IRI")
            if eid in ids:
                problems.append(f"{where}: <id> '{eid}' repeats entry[{ids[eid]}]")
            ids.setdefault(eid, i)
        for name in ("updated", "published"):
            el = entry.find(atom(name))
            if el is not None:
                check_rfc3339(text_of(el), f"{where} <{name}>", problems)
        for name in ("title", "summary", "rights"):
            el = entry.find(atom(name))
            if el is not None:
                check_atom_text(el, f"{where} <{name}>", problems)
        check_atom_links(entry, where, problems, need_alternate=True)
        authors = entry.findall(atom("author"))
        if not authors and not feed_has_author:
            problems.append(f"{where}: no <author>, and the feed has none")
        for person in authors + entry.findall(atom("contributor")):
            check_person(person, where, problems)
        for cat in entry.findall(atom("category")):
            if not cat.get("term"):
                problems.append(f"{where}: <category> without term=")
        content = entry.find(atom("content"))
        if content is not None:
            kind = content.get("type", "text")
            if kind not in ("text", "html", "xhtml") and "/" not in kind:
                problems.append(f"{where}: <content type=\"{kind}\"> is not a text type or a MIME type")
            if kind == "xhtml" and content.find("{http://www.w3.org/1999/xhtml}div") is None:
                problems.append(f"{where}: <content type=\"xhtml\"> without an xhtml:div")
            textual = kind in ("text", "html", "xhtml") or kind.startswith("text/") or kind.endswith("+xml") or kind.endswith("/xml")
            if (content.get("src") or not textual) and entry.find(atom("summary")) is None:
                problems.append(f"{where}: <content> is not inline text, so a <summary> is required")


# --- JSON Feed 1.1 -----------------------------------------------------------


def check_json(data, problems):
    try:
        doc = json.loads(data)
    except ValueError as e:
        problems.append(f"not JSON: {e}")
        return None
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for err in sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path]):
        where = "/".join(str(p) for p in err.absolute_path) or "(feed)"
        if err.validator == "anyOf" and all("required" in s for s in err.validator_value):
            keys = " or ".join(k for s in err.validator_value for k in s["required"])
            problems.append(f"{where}: has none of {keys}")
        else:
            problems.append(f"{where}: {err.message}")
    if not isinstance(doc, dict):
        return None
    ids = {}
    for i, item in enumerate(doc.get("items") or []):
        if not isinstance(item, dict):
            continue
        iid = item.get("id")
        if isinstance(iid, str):
            if iid in ids:
                problems.append(f"items/{i}: id '{iid}' repeats items/{ids[iid]}")
            ids.setdefault(iid, i)
        for key in ("date_published", "date_modified"):
            value = item.get(key)
            if isinstance(value, str) and RFC3339_DATE.match(value):
                check_rfc3339(value, f"items/{i}/{key}", problems)
        for key in ("title", "url"):
            if not item.get(key):
                problems.append(f"items/{i}: no {key} (a story always has one)")
        if not item.get("date_published"):
            problems.append(f"items/{i}: no date_published (a story always has one)")
    for key in ("home_page_url", "feed_url"):
        if not doc.get(key):
            problems.append(f"feed: no {key}")
    return doc


# --- feedparser --------------------------------------------------------------


def check_with_feedparser(data, kind, problems):
    parsed = feedparser.parse(
        data, response_headers={"content-type": FEED_MIME[kind]}
    )
    if parsed.bozo:
        exc = parsed.get("bozo_exception")
        problems.append(f"feedparser: bozo ({type(exc).__name__}: {exc})")
    expected = {"rss": "rss20", "atom": "atom10"}[kind]
    if parsed.version != expected:
        problems.append(f"feedparser: read as '{parsed.version}', not '{expected}'")
    for key in ("title", "link"):
        if not parsed.feed.get(key):
            problems.append(f"feedparser: feed has no {key}")
    for i, entry in enumerate(parsed.entries):
        for key in ("title", "link", "id", "published"):
            if not entry.get(key):
                problems.append(f"feedparser: entry[{i}] has no {key}")
        if entry.get("published") and not entry.get("published_parsed"):
            problems.append(
                f"feedparser: entry[{i}] published '{entry.get('published')}' does not parse as a date"
            )
    return parsed


# --- driver ------------------------------------------------------------------


def validate(kind, path):
    problems = []
    data = Path(path).read_bytes()
    result = {"file": str(path), "kind": kind, "entries": None, "parser": None}
    if kind == "json":
        doc = check_json(data, problems)
        if isinstance(doc, dict) and isinstance(doc.get("items"), list):
            result["entries"] = len(doc["items"])
            result["links"] = [
                i.get("url") for i in doc["items"] if isinstance(i, dict)
            ]
        if isinstance(doc, dict):
            result["self"] = doc.get("feed_url")
            result["parser"] = "jsonschema"
            result["version"] = doc.get("version")
    else:
        if kind == "rss":
            check_rss(data, problems)
        else:
            check_atom(data, problems)
        parsed = check_with_feedparser(data, kind, problems)
        result["entries"] = len(parsed.entries)
        result["links"] = [e.get("link") for e in parsed.entries]
        result["self"] = next(
            (l.get("href") for l in parsed.feed.get("links", []) if l.get("rel") == "self"),
            None,
        )
        result["parser"] = f"feedparser {feedparser.__version__}"
        result["version"] = parsed.version
    result["problems"] = problems
    return result


def parse_arg(arg):
    kind, sep, path = arg.partition(":")
    if not sep or kind not in FEED_MIME:
        raise argparse.ArgumentTypeError(
            f"'{arg}': expected KIND:FILE with KIND one of rss, atom, json"
        )
    return kind, path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("feeds", nargs="+", type=parse_arg, metavar="KIND:FILE")
    ap.add_argument("--report", help="write per-file results as JSON here")
    args = ap.parse_args(argv)

    results = []
    for kind, path in args.feeds:
        try:
            r = validate(kind, path)
        except OSError as e:
            r = {"file": path, "kind": kind, "entries": None, "parser": None,
                 "problems": [f"cannot read: {e}"]}
        results.append(r)
        status = "ok  " if not r["problems"] else "FAIL"
        print(
            f"{status} {kind:<4} {path}: {r['entries']} entries"
            f" ({r.get('version')}, {r['parser']})"
            + (f", {len(r['problems'])} problem(s)" if r["problems"] else "")
        )
        for p in r["problems"]:
            print(f"       {path}: {p}")
    failed = sum(1 for r in results if r["problems"])
    print(f"validate-feeds: {len(results) - failed} of {len(results)} feeds valid")
    if args.report:
        Path(args.report).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
