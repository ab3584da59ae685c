"""Runs peer extractors on the same pages as khabar's extract_bench and
writes their predictions in score-extraction's formats, with timings.

    /work/venv/bin/python peers.py <folder> --kind body|dates|meta [--urls gold.json] --out-dir DIR

Tools: trafilatura, resiliparse (body), readability-lxml (title), htmldate
(dates). Only extraction is timed (files are read and decompressed first).
"""
import argparse, gzip, json, os, statistics, sys, time


def pages(folder, urls):
    for name in sorted(os.listdir(folder)):
        p = os.path.join(folder, name)
        if os.path.isdir(p):
            src = os.path.join(p, "source.html")
            if os.path.exists(src):
                yield name, name, None, open(src, "rb").read()
            continue
        if name.endswith(".gz"):
            data = gzip.open(p).read()
            file = name[:-3]
        elif name.endswith(".html"):
            data = open(p, "rb").read()
            file = name
        else:
            continue
        key = file[:-5] if file.endswith(".html") else file
        yield key, file, urls.get(key) or urls.get(file), data


def load_urls(path):
    out = {}
    if not path:
        return out
    for k, v in json.load(open(path, encoding="utf-8")).items():
        if "url" in v:
            out[k] = v["url"]
        if "file" in v:
            f = v["file"][:-3] if v["file"].endswith(".gz") else v["file"]
            out[f] = k
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--kind", choices=["body", "dates", "meta"], required=True)
    ap.add_argument("--urls")
    ap.add_argument("--out-dir", required=True)
    a = ap.parse_args()
    urls = load_urls(a.urls)
    items = list(pages(a.folder, urls))
    tools = {}
    if a.kind == "body":
        import trafilatura
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.encoding import bytes_to_str, detect_encoding

        tools["trafilatura"] = lambda b, u: {"articleBody": trafilatura.extract(b, url=u) or ""}
        tools["resiliparse"] = lambda b, u: {
            "articleBody": extract_plain_text(bytes_to_str(b, detect_encoding(b)), main_content=True)
        }
    elif a.kind == "dates":
        from htmldate import find_date

        tools["htmldate"] = lambda b, u: find_date(b, url=u, extensive_search=True, original_date=True)
        import trafilatura

        tools["trafilatura"] = lambda b, u: (trafilatura.extract_metadata(b, default_url=u) or {}).date if trafilatura.extract_metadata(b, default_url=u) else None
    else:
        import trafilatura
        from readability import Document

        def traf_meta(b, u):
            m = trafilatura.extract_metadata(b, default_url=u)
            return {"title": m.title if m else None, "byline": m.author if m else None, "publishedTime": m.date if m else None}

        tools["trafilatura"] = traf_meta
        tools["readability-lxml"] = lambda b, u: {"title": Document(b).short_title(), "byline": None, "publishedTime": None}
    os.makedirs(a.out_dir, exist_ok=True)
    for name, fn in tools.items():
        preds, times = {}, []
        for key, file, url, data in items:
            t = time.perf_counter()
            try:
                r = fn(data, url)
            except Exception as e:  # a peer failing on a page counts as empty
                print(f"{name} {key}: {e}", file=sys.stderr)
                r = None
            times.append((time.perf_counter() - t) * 1000)
            preds[file if a.kind == "dates" else key] = r
        out = os.path.join(a.out_dir, f"{name}-{a.kind}.json")
        json.dump(preds, open(out, "w", encoding="utf-8"), ensure_ascii=False)
        times.sort()
        print(f"{name} {a.kind} pages={len(times)} median_ms={statistics.median(times):.3f} "
              f"mean_ms={statistics.mean(times):.3f} p95_ms={times[int(len(times)*0.95)-1]:.3f} out={out}")


if __name__ == "__main__":
    main()
