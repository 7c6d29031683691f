"""scikit-learn side of the peer benchmark (bench/peers/heart-peers.ts).

Reads a JSON job on stdin: {"train": {"10000": csv, ...}, "score": csv, "batches": [...],
"singleCalls": n, "fitReps": n, "minSeconds": s}. Fits the heart pipeline of the MLflow
tutorial (the same steps as wasmlearn's) on the same CSV files, times predict_proba and
fit inside Python with time.perf_counter, and prints one JSON object on stdout.
Run with Debian's /usr/bin/python3 (python3-sklearn 1.2, pandas).
"""
import json
import platform
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

NUM = ["age", "trestbps", "chol", "thalach", "oldpeak"]
CAT = ["cp", "restecg", "ca", "thal", "slope"]
BIN = ["sex", "fbs", "exang"]


def ratio(X):
    return (X["thalach"] / X["trestbps"]).to_frame("ratio")


def heart_pipeline():
    pre = ColumnTransformer([
        ("num", Pipeline([("imputer", SimpleImputer(strategy="median")), ("scaler", StandardScaler())]), NUM),
        ("cat", Pipeline([("imputer", SimpleImputer(strategy="constant", fill_value=0)),
                          ("onehot", OneHotEncoder(handle_unknown="ignore"))]), CAT),
        ("binary", SimpleImputer(strategy="constant", fill_value=0), BIN),
        ("new", FunctionTransformer(ratio), ["thalach", "trestbps"]),
    ])
    return Pipeline([("preprocessor", pre), ("classifier", LogisticRegression())])


def load(path):
    df = pd.read_csv(path)
    y = df.pop("target").to_numpy() if "target" in df else None
    return df, y


def repeat(fn, min_seconds, max_reps=1000):
    """Median seconds per call over repetitions lasting at least min_seconds (at least 3 calls)."""
    fn()
    times = []
    start = time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - start < min_seconds and len(times) < max_reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main():
    job = json.load(sys.stdin)
    out = {"python": platform.python_version(), "sklearn": sklearn.__version__, "numpy": np.__version__, "pandas": pd.__version__,
           "fit": {}, "batch": {}}
    for n, path in job["train"].items():
        X, y = load(path)
        out["fit"][n] = repeat(lambda: heart_pipeline().fit(X, y), job.get("minSeconds", 1.0), job.get("fitReps", 5)) * 1e3
    X10, y10 = load(job["train"][sorted(job["train"], key=int)[0]])
    model = heart_pipeline().fit(X10, y10)
    S, _ = load(job["score"])
    rows = [S.iloc[[i]] for i in range(200)]
    model.predict_proba(rows[0])
    lat = []
    for i in range(job["singleCalls"]):
        r = rows[i % len(rows)]
        t0 = time.perf_counter()
        model.predict_proba(r)
        lat.append(time.perf_counter() - t0)
    lat.sort()
    out["single"] = {"medianUs": lat[len(lat) // 2] * 1e6, "p99Us": lat[int(len(lat) * 0.99)] * 1e6, "calls": len(lat)}
    for n in job["batches"]:
        part = S.iloc[:n]
        sec = repeat(lambda: model.predict_proba(part), job.get("minSeconds", 1.0), 50)
        out["batch"][str(n)] = {"ms": sec * 1e3, "mRowsPerS": n / sec / 1e6}
    proba = model.predict_proba(S.iloc[:1000])
    out["probaFirst1000"] = proba[:, 1].tolist()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
