"""Every public operation of the document, called with generated parameters (a fixed
seed and budget, in process): never a 5xx, every answer documented and matching its
schema. Path parameters get existing slugs and codes as well as arbitrary text."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from tests.api.helpers import conforms, spec_of
from tests.factories import make_producer, make_product
from tests.traceability.helpers import make_batch

EXAMPLES = 25  # per operation


def _text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=30),
        st.sampled_from(["3", "5", "-1", "99999999999", "mat ong", "dien-bien", "newest", "𝟓"]),
    )


def test_every_public_operation_answers_as_documented(client, session):
    producer = make_producer(session, name="HTX Mường Phăng")
    product = make_product(session, producer, name="Mật ong hoa Ban")
    batch = make_batch(session, producer)
    session.commit()
    spec = spec_of(client)
    known = {
        "slug": [product.slug, producer.slug, "dien-bien"],
        "code": [batch.code],
    }
    operations = [
        (path, op)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if method == "get" and not op.get("security")
    ]
    assert len(operations) == 9  # products, product, delivery, producer, provinces, wards…
    sent: list[int] = []
    for path, operation in operations:
        params = operation.get("parameters", []) + spec["paths"][path].get("parameters", [])
        _walk(client, spec, path, {p["name"]: p["in"] for p in params}, known, sent)
    assert len(sent) >= EXAMPLES * len(operations) // 2


def _walk(client, spec, path, names, known, sent):  # type: ignore[no-untyped-def]
    @seed(20251202)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        st.fixed_dictionaries(
            {
                name: (
                    st.one_of(st.sampled_from(known.get(name, ["x"])), _text())
                    if where == "path"
                    else st.one_of(st.none(), _text())
                )
                for name, where in names.items()
            }
        )
    )
    def call(values: dict[str, str | None]) -> None:
        url = path
        query = []
        for name, value in values.items():
            if names[name] == "path":
                url = url.replace("{" + name + "}", quote(value or "x", safe=""))
            elif value is not None:
                query.append((name, value))
        response = client.get(url, query_string=query)
        sent.append(response.status_code)
        assert response.status_code < 500, (url, query, response.data[:300])
        conforms(spec, "GET", url, response)

    call()
