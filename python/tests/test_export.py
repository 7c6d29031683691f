"""Tests of the exporter: a small numpy scorer reads the documents (docs/model-format.md)
and must reproduce scikit-learn's outputs recorded in test/fixtures/sklearn/.

Run: /usr/bin/python3 -m unittest discover -s python/tests
"""
from __future__ import annotations

import glob
import json
import math
import os
import subprocess
import sys
import unittest
import warnings

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python"))

import wasmlearn_export as wx  # noqa: E402

from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler  # noqa: E402

FIXTURES = sorted(glob.glob(os.path.join(ROOT, "test", "fixtures", "sklearn", "*.json")))
LIVE = os.path.join(ROOT, "scripts", "fixtures", "live_sklearn.py")


# --------------------------------------------------------------------------- a reference scorer


def num(v):
    if isinstance(v, dict):
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[v["$float"]]
    return v


def is_missing(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def column(values):
    """JSON column → float array when every value is a number or null, else object array."""
    if all(v is None or isinstance(v, (int, float)) for v in values):
        return np.array([math.nan if v is None else float(v) for v in values])
    return np.array([None if v is None else v for v in values], dtype=object)


FUNCTIONS = {
    "ratio": lambda cols: [cols[0] / cols[1]],
    "product": lambda cols: [cols[0] * cols[1]],
}


def transform(doc, cols, names):
    """Applies a fitted estimator document to columns (list of arrays) with names."""
    t = doc["type"]
    if t == "Pipeline":
        for _, step in doc["params"]["steps"]:
            if step != "passthrough":
                cols, names = transform(step, cols, names)
        return cols, names
    s = doc["state"]
    if t == "ColumnTransformer":
        out_cols, out_names = [], []
        for name, trans, sel in s["transformers"]:
            idx = [names.index(c) if isinstance(c, str) else c for c in sel]
            sub, sub_names = [cols[i] for i in idx], [names[i] for i in idx]
            if trans == "drop":
                continue
            if trans != "passthrough":
                sub, sub_names = transform(trans, sub, sub_names)
            out_cols += sub
            out_names += [f"{name}__{n}" for n in sub_names]
        return out_cols, out_names
    assert len(cols) == s["nFeaturesIn"], (t, len(cols), s["nFeaturesIn"])
    if t == "SimpleImputer":
        out, out_names = [], []
        for c, stat, nm in zip(cols, s["statistics"], names):
            stat = num(stat)
            if isinstance(stat, float) and math.isnan(stat):
                continue
            filled = np.array([stat if is_missing(v) else v for v in c], dtype=c.dtype if not isinstance(stat, str) else object)
            out.append(filled.astype(float) if all(isinstance(v, (int, float)) for v in filled) else filled)
            out_names.append(nm)
        return out, out_names
    if t == "StandardScaler":
        p = doc["params"]
        out = []
        for j, c in enumerate(cols):
            x = c.astype(float)
            if p["withMean"]:
                x = x - num(s["mean"][j])
            if p["withStd"]:
                x = x / num(s["scale"][j])
            out.append(x)
        return out, names
    if t == "OneHotEncoder":
        out, out_names = [], []
        for j, c in enumerate(cols):
            cats = [num(v) for v in s["categories"][j]]
            drop = None if s["dropIdx"] is None else s["dropIdx"][j]
            block = np.zeros((len(c), len(cats)))
            for i, v in enumerate(c):
                hit = [k for k, cat in enumerate(cats)
                       if (is_missing(v) and is_missing(cat)) or (not is_missing(v) and type(v) is not str and type(cat) is not str and v == cat)
                       or (isinstance(v, str) and isinstance(cat, str) and v == cat)]
                if hit:
                    block[i, hit[0]] = 1.0
                elif doc["params"]["handleUnknown"] == "error":
                    raise ValueError(f"unknown category {v!r}")
            for k, cat in enumerate(cats):
                if k != drop:
                    out.append(block[:, k])
                    out_names.append(f"{names[j]}_{cat}")
        return out, out_names
    if t == "FunctionTransformer":
        fn = FUNCTIONS[doc["params"]["name"]]
        return fn([c.astype(float) for c in cols]), list(s["featureNamesOut"])
    raise AssertionError(f"unexpected {t}")


def predict_proba(doc, cols, names):
    steps = doc["params"]["steps"]
    X_cols, _ = transform({"type": "Pipeline", "params": {"steps": steps[:-1]}}, cols, names)
    X = np.column_stack(X_cols)
    lr = steps[-1][1]
    coef = np.array([[num(v) for v in row] for row in lr["state"]["coef"]])
    intercept = np.array([num(v) for v in lr["state"]["intercept"]])
    d = X @ coef.T + intercept
    mc = lr["params"]["multiClass"]
    if coef.shape[0] == 1:
        z = d[:, 0] if mc != "multinomial" else 2 * d[:, 0]
        p = 1 / (1 + np.exp(-z))
        return X, np.column_stack([1 - p, p])
    if mc == "ovr":
        p = 1 / (1 + np.exp(-d))
        return X, p / p.sum(axis=1, keepdims=True)
    e = np.exp(d - d.max(axis=1, keepdims=True))
    return X, e / e.sum(axis=1, keepdims=True)


def check_fixture(case, fx):
    doc = fx["document"]
    assert doc["format"] == "wasmlearn.model" and doc["formatVersion"] == 1, case
    names = [inp["name"] for inp in doc["signature"]["inputs"]]
    cols = [column(fx["test"]["columns"][n]) for n in names]
    X, proba = predict_proba(doc["estimator"], cols, names)
    want_X = np.array([[num(v) for v in row] for row in fx["outputs"]["transform"]])
    want_p = np.array([[num(v) for v in row] for row in fx["outputs"]["predictProba"]])
    np.testing.assert_allclose(X, want_X, rtol=0, atol=1e-12, err_msg=f"{case}: transform")
    np.testing.assert_allclose(proba, want_p, rtol=0, atol=1e-12, err_msg=f"{case}: predictProba")
    # unfitted document = the fitted one with every state null
    assert strip_state(doc["estimator"]) == fx["unfitted"], f"{case}: unfitted document differs from the fitted one's params"


def strip_state(d):
    if isinstance(d, dict):
        return {k: (None if k == "state" else strip_state(v)) for k, v in d.items()}
    if isinstance(d, list):
        return [strip_state(v) for v in d]
    return d


# --------------------------------------------------------------------------- tests


class FixtureDocuments(unittest.TestCase):
    def test_fixtures_exist(self):
        self.assertGreaterEqual(len(FIXTURES), 4)
        self.assertLess(sum(os.path.getsize(f) for f in FIXTURES), 3 * 1024 * 1024)

    def test_documents_reproduce_sklearn_outputs(self):
        for path in FIXTURES:
            with self.subTest(fixture=os.path.basename(path)):
                with open(path, encoding="utf-8") as f:
                    check_fixture(os.path.basename(path), json.load(f))

    def test_heart_transform_width(self):
        with open(os.path.join(ROOT, "test", "fixtures", "sklearn", "heart.json"), encoding="utf-8") as f:
            fx = json.load(f)
        onehot = fx["fitted"]["preprocessor/cat/onehot"]["categories_"]
        width = 5 + sum(len(c) for c in onehot) + 3 + 1
        self.assertEqual(len(fx["outputs"]["transformFeatureNames"]), width)
        self.assertTrue(all(len(row) == width for row in fx["outputs"]["transform"]))
        self.assertEqual(fx["outputs"]["transformFeatureNames"][-1], "new__ratio")

    @unittest.skipUnless(os.path.exists(LIVE), "live script missing")
    def test_live_pipelines(self):
        for seed in range(100, 106):
            with self.subTest(seed=seed):
                spec = json.dumps({"seed": seed, "nTrain": 120, "nTest": 30, "functionTransformer": True})
                res = subprocess.run([sys.executable, LIVE], input=spec, capture_output=True, text=True, check=True)
                check_fixture(f"live-{seed}", json.loads(res.stdout))


class Encoding(unittest.TestCase):
    def test_numbers(self):
        self.assertEqual(wx.encode_number(np.float64("nan")), {"$float": "NaN"})
        self.assertEqual(wx.encode_number(-np.inf), {"$float": "-Infinity"})
        self.assertEqual(wx.encode_number(np.int64(3)), 3)
        self.assertIs(type(wx.encode_number(np.int64(3))), int)
        x = 0.1 + 0.2
        self.assertEqual(json.loads(json.dumps(wx.encode_number(np.float64(x)))), x)

    def test_int64_categories_become_numbers(self):
        X = pd.DataFrame({"k": np.array([3, 1, 2, 3], dtype=np.int64)})
        enc = OneHotEncoder().fit(X)
        doc = wx.estimator_document(enc)
        self.assertEqual(doc["state"]["categories"], [[1, 2, 3]])
        self.assertTrue(all(type(v) is int for v in doc["state"]["categories"][0]))
        self.assertEqual(doc["state"]["featureNamesIn"], ["k"])

    def test_nan_statistics_and_categories(self):
        X = np.array([[np.nan, 1.0], [np.nan, 2.0]])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            imp = SimpleImputer().fit(X)
        doc = wx.estimator_document(imp)
        self.assertEqual(doc["state"]["statistics"], [{"$float": "NaN"}, 1.5])
        self.assertIsNone(doc["state"]["featureNamesIn"])
        enc = OneHotEncoder().fit(np.array([[1.0], [np.nan]]))
        self.assertEqual(wx.estimator_document(enc)["state"]["categories"], [[1.0, {"$float": "NaN"}]])
        json.dumps(doc, allow_nan=False)

    def test_signature_from_frame(self):
        df = pd.DataFrame({"a": [1.5], "b": [1], "c": ["x"], "d": [True]})
        self.assertEqual(wx.signature_from_frame(df)["inputs"], [
            {"name": "a", "type": "double"}, {"name": "b", "type": "long"},
            {"name": "c", "type": "string"}, {"name": "d", "type": "boolean"},
        ])

    def test_positional_columns_and_remainder(self):
        X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 7.0], [0.0, 1.0, 1.0]])
        ct = ColumnTransformer([("s", StandardScaler(), [2])], remainder="passthrough").fit(X)
        doc = wx.estimator_document(ct)
        self.assertEqual(doc["params"]["transformers"][0][2], [2])
        self.assertEqual([e[0] for e in doc["state"]["transformers"]], ["s", "remainder"])
        self.assertEqual(doc["state"]["transformers"][1], ["remainder", "passthrough", [0, 1]])
        dropped = ColumnTransformer([("s", StandardScaler(), [2])]).fit(X)
        self.assertEqual([e[0] for e in wx.estimator_document(dropped)["state"]["transformers"]], ["s"])

    def test_remainder_names_on_frames(self):
        df = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 5.0], "c": [0.0, 1.0]})
        ct = ColumnTransformer([("s", StandardScaler(), ["b"])], remainder=StandardScaler()).fit(df)
        doc = wx.estimator_document(ct)
        self.assertEqual(doc["state"]["transformers"][1][0], "remainder")
        self.assertEqual(doc["state"]["transformers"][1][2], ["a", "c"])
        self.assertEqual(doc["state"]["transformers"][1][1]["type"], "StandardScaler")
        self.assertEqual(doc["params"]["remainder"]["state"], None)


class Refusals(unittest.TestCase):
    def test_unsupported_class_is_named(self):
        pipe = Pipeline([("pca", PCA(1)), ("lr", LogisticRegression())]).fit([[0.0, 1.0], [1.0, 0.0]], [0, 1])
        with self.assertRaisesRegex(wx.ExportError, r"PCA .*not supported.*supported: Pipeline"):
            wx.to_document(pipe)

    def test_unfitted_is_refused_by_to_document(self):
        with self.assertRaisesRegex(wx.ExportError, "StandardScaler is not fitted yet"):
            wx.to_document(StandardScaler())
        self.assertIsNone(wx.unfitted_document(StandardScaler())["state"])

    def test_lambda_function_is_refused(self):
        ft = FunctionTransformer(lambda X: X, feature_names_out="one-to-one").fit(np.zeros((2, 1)))
        with self.assertRaisesRegex(wx.ExportError, "lambda"):
            wx.estimator_document(ft)

    def test_unsupported_options(self):
        lr = LogisticRegression(penalty="l1", solver="liblinear").fit([[0.0], [1.0]], [0, 1])
        with self.assertRaisesRegex(wx.ExportError, r"penalty='l1'"):
            wx.estimator_document(lr)
        with self.assertRaisesRegex(wx.ExportError, "add_indicator"):
            wx.unfitted_document(SimpleImputer(add_indicator=True))


if __name__ == "__main__":
    unittest.main()
