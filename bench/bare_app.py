"""A bare Flask app: the baseline the benchmarks compare against.

It parses a JSON body and answers JSON, under the same gunicorn settings as
the real service, so the difference is what our code costs.
"""

from flask import Flask, request

app = Flask(__name__)


@app.post("/echo")
def echo():
    body = request.get_json()
    return {"id": 1, "received": len(body)}, 201


@app.get("/hello")
def hello():
    return {"hello": "world"}
