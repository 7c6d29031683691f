"""A scikit-learn scoring server for the load benchmark (bench/server-load.ts).

Usage: /usr/bin/python3 bench/python/serve_sklearn.py TRAIN_CSV
Fits the heart pipeline (heart_sklearn.heart_pipeline) on TRAIN_CSV, then serves
POST /invocations with MLflow's `dataframe_split` JSON body, answering
{"predictions": predict_proba rows}, with Flask's threaded server on 127.0.0.1 and a
free port. Prints "PORT <n>" on stdout once it listens.
"""
import json
import os
import socket
import sys

import pandas as pd
from flask import Flask, Response, request
from werkzeug.serving import WSGIRequestHandler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from heart_sklearn import heart_pipeline, load  # noqa: E402

X, y = load(sys.argv[1])
model = heart_pipeline().fit(X, y)
app = Flask(__name__)


@app.post("/invocations")
def invocations():
    body = request.get_json(force=True)
    split = body["dataframe_split"]
    df = pd.DataFrame(split["data"], columns=split["columns"], dtype=float)
    proba = model.predict_proba(df)
    return Response(json.dumps({"predictions": proba.tolist()}), mimetype="application/json")


@app.get("/ping")
def ping():
    return "\n"


if __name__ == "__main__":
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    print(f"PORT {port}", flush=True)
    WSGIRequestHandler.protocol_version = "HTTP/1.1"  # keep-alive, as the load generator expects
    import logging
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app.run(host="127.0.0.1", port=port, threaded=True)
