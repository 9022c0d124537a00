"""SQL statements of one create request, counted in-process (bench/peer.py runs this in each product's
own interpreter, with that product's settings and database).

    python bench/peer_statements.py '{"path": "/api/v1/cases", "headers": {...}, "bodies": [...]}'

Posts each body through Django's test client — the product's full middleware stack, its URL routing,
authentication and view, on the real PostgreSQL database — inside `CaptureQueriesContext`, and prints
one JSON line per request: status and statements (by first keyword). The first request warms the
process's caches (content types, the URL resolver, …); bench/peer.py reports the last one, the count a
long-running gunicorn worker pays. Counting goes through Django's debug cursor wrapper, so it sees
every statement the ORM or the product issues, savepoints included, and an atomic block's start and
end as BEGIN and COMMIT (writes in autocommit have none); both products are counted the same way.
"""

import json
import sys


def main() -> None:
    spec = json.loads(sys.argv[1])
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in spec["headers"].items()}
    for body in spec["bodies"]:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(spec["path"], data=body, content_type="application/json", **headers)
        kinds: dict[str, int] = {}
        for query in captured.captured_queries:
            word = query["sql"].split(None, 1)[0].upper() if query["sql"].strip() else "?"
            kinds[word] = kinds.get(word, 0) + 1
        print(json.dumps({"status": response.status_code, "statements": len(captured), "kinds": kinds}))


if __name__ == "__main__":
    main()
