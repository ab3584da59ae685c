#!/usr/bin/env python3
"""Reads Prometheus text exposition from standard input with the official
Python client's parser and prints it as JSON: one object per family with
its type, help and samples (name, labels, value). A malformed exposition
makes the parser raise, and this script exit 1 with the parser's message.

Used by tests/metrics_scrape.rs through the venv of scripts/install-test-tools.
"""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families


def main() -> int:
    text = sys.stdin.read()
    try:
        families = [
            {
                "name": f.name,
                "type": f.type,
                "help": f.documentation,
                "samples": [
                    {"name": s.name, "labels": s.labels, "value": s.value}
                    for s in f.samples
                ],
            }
            for f in text_string_to_metric_families(text)
        ]
    except Exception as e:  # the parser's own error, whatever its class
        print(f"parse-metrics: not Prometheus text: {e}", file=sys.stderr)
        return 1
    json.dump(families, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
