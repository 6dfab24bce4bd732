"""The smallest Flask app there is, for bench/catalogue.py to measure the shop's bare
route against: one route answering the constant string `ok`, nothing else."""

from flask import Flask, Response

app = Flask(__name__)


@app.get("/bench/bare")
def bare() -> Response:
    return Response("ok", mimetype="text/plain")
