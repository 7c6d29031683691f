"""Export fitted scikit-learn pipelines as wasmlearn model documents.

The output follows docs/model-format.md (format version 1): a JSON document that
``loadModel`` in wasmlearn reads to score with scikit-learn's exact fitted parameters.

Supported classes: Pipeline, ColumnTransformer, SimpleImputer, StandardScaler,
OneHotEncoder, FunctionTransformer (bound by function name at load time) and
LogisticRegression. Anything else is refused with an error naming the class.

Example::

    import wasmlearn_export
    wasmlearn_export.export(fitted_pipeline, "model.json", signature=X_train)

Only the standard library, numpy and scikit-learn are needed (pandas when a
DataFrame is passed as the signature).
"""
from __future__ import annotations

import json
import math
import numbers
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ExportError",
    "to_document",
    "unfitted_document",
    "estimator_document",
    "signature_from_frame",
    "export",
    "dumps",
    "encode_number",
    "encode_category",
]

FORMAT = "wasmlearn.model"
FORMAT_VERSION = 1
ESTIMATOR_VERSION = 1
PRODUCER_NAME = "wasmlearn_export"
PRODUCER_VERSION = "0.1.0"

SUPPORTED = (
    "Pipeline",
    "ColumnTransformer",
    "SimpleImputer",
    "StandardScaler",
    "OneHotEncoder",
    "FunctionTransformer",
    "LogisticRegression",
)


class ExportError(ValueError):
    """The estimator (or one of its options) cannot be written as a wasmlearn document."""


# --------------------------------------------------------------------------- numbers


def encode_number(v: Any) -> Any:
    """A float64 as JSON: finite numbers as plain numbers (Python's repr round-trips
    float64), NaN and infinities as ``{"$float": "NaN" | "Infinity" | "-Infinity"}``.
    Integers (Python or numpy) stay integers."""
    if v is None:
        raise ExportError("expected a number, got None")
    if isinstance(v, (bool, np.bool_)):
        return int(v)
    if isinstance(v, (numbers.Integral, np.integer)):
        return int(v)
    if isinstance(v, (numbers.Real, np.floating)):
        x = float(v)
        if math.isnan(x):
            return {"$float": "NaN"}
        if math.isinf(x):
            return {"$float": "Infinity" if x > 0 else "-Infinity"}
        return x
    raise ExportError(f"expected a number, got {v!r} ({type(v).__name__})")


def encode_category(v: Any) -> Any:
    """A category value: strings stay strings, numbers become JSON numbers,
    missing (None, NaN, pandas NA) becomes ``{"$float": "NaN"}``."""
    if isinstance(v, (str, np.str_)):
        return str(v)
    if v is None or _is_pandas_na(v):
        return {"$float": "NaN"}
    if isinstance(v, bytes):
        return v.decode("utf-8")
    return encode_number(v)


def _is_pandas_na(v: Any) -> bool:
    try:
        import pandas as pd  # noqa: WPS433 (optional dependency)
    except ImportError:  # pragma: no cover
        return False
    return v is pd.NA or v is pd.NaT


def _numbers(a: Any) -> List[Any]:
    return [encode_number(x) for x in np.asarray(a).ravel().tolist()]


def _matrix(a: Any) -> List[List[Any]]:
    a = np.asarray(a)
    if a.ndim == 1:
        a = a.reshape(1, -1)
    return [[encode_number(x) for x in row] for row in a.tolist()]


def _categories(a: Any) -> List[Any]:
    return [encode_category(x) for x in np.asarray(a, dtype=object).ravel().tolist()]


def _scalar_param(v: Any) -> Any:
    """A constructor option (fill_value and the like) as JSON."""
    if v is None or isinstance(v, (str, bool)):
        return v
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, (numbers.Real, np.number)):
        return encode_number(v)
    raise ExportError(f"cannot write option value {v!r} ({type(v).__name__}) as JSON")


def _json_value(v: Any, where: str) -> Any:
    """A JSON-able copy of a kw_args-like value; numpy scalars and arrays converted."""
    if v is None or isinstance(v, (str, bool)):
        return v
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, (numbers.Real, np.number)):
        return encode_number(v)
    if isinstance(v, np.ndarray):
        return [_json_value(x, where) for x in v.tolist()]
    if isinstance(v, (list, tuple)):
        return [_json_value(x, where) for x in v]
    if isinstance(v, dict):
        return {str(k): _json_value(x, where) for k, x in v.items()}
    raise ExportError(f"{where}: cannot write {v!r} ({type(v).__name__}) as JSON")


# --------------------------------------------------------------------------- helpers


def _class_name(est: Any) -> str:
    return type(est).__name__


def _check_supported(est: Any) -> str:
    name = _class_name(est)
    module = type(est).__module__ or ""
    if name not in SUPPORTED or not module.startswith("sklearn."):
        raise ExportError(
            f"{name} (from {module or 'unknown module'}) is not supported by the wasmlearn exporter; "
            f"supported: {', '.join(SUPPORTED)}."
        )
    return name


def _is_fitted(est: Any) -> bool:
    from sklearn.utils.validation import check_is_fitted
    from sklearn.exceptions import NotFittedError

    name = _class_name(est)
    if name == "Pipeline":
        return all(_is_fitted(s) for _, s in est.steps if not _is_marker(s))
    if name == "FunctionTransformer":
        return hasattr(est, "n_features_in_")
    try:
        check_is_fitted(est)
    except NotFittedError:
        return False
    return True


def _is_marker(step: Any) -> bool:
    return step is None or (isinstance(step, str) and step in ("passthrough", "drop"))


def _names_in(est: Any) -> Optional[List[str]]:
    names = getattr(est, "feature_names_in_", None)
    return None if names is None else [str(n) for n in names]


def _common_state(est: Any) -> Dict[str, Any]:
    return {"nFeaturesIn": int(est.n_features_in_), "featureNamesIn": _names_in(est)}


def _doc(type_name: str, params: Dict[str, Any], state: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    return {"type": type_name, "version": ESTIMATOR_VERSION, "params": params, "state": state}


def _refuse_option(est: Any, option: str, value: Any, allowed: str) -> None:
    raise ExportError(
        f"{_class_name(est)}({option}={value!r}) is not supported by the wasmlearn exporter; "
        f"{allowed}."
    )


# --------------------------------------------------------------------------- estimators


def _simple_imputer(est: Any, fitted: bool, ctx: Dict[str, Any]) -> Dict[str, Any]:
    mv = est.missing_values
    if not (mv is None or (isinstance(mv, float) and math.isnan(mv)) or _is_pandas_na(mv)):
        _refuse_option(est, "missing_values", mv, "only NaN / None (the default) marks missing values")
    if est.add_indicator:
        _refuse_option(est, "add_indicator", True, "use add_indicator=False")
    if est.strategy not in ("mean", "median", "most_frequent", "constant"):
        _refuse_option(est, "strategy", est.strategy, "use mean, median, most_frequent or constant")
    params = {
        "strategy": est.strategy,
        "fillValue": _scalar_param(est.fill_value),
        "keepEmptyFeatures": bool(getattr(est, "keep_empty_features", False)),
    }
    state = None
    if fitted:
        state = {"statistics": _categories(est.statistics_), **_common_state(est)}
    return _doc("SimpleImputer", params, state)


def _standard_scaler(est: Any, fitted: bool, ctx: Dict[str, Any]) -> Dict[str, Any]:
    params = {"withMean": bool(est.with_mean), "withStd": bool(est.with_std)}
    state = None
    if fitted:
        n_seen = est.n_samples_seen_
        state = {
            "mean": None if est.mean_ is None else _numbers(est.mean_),
            "var": None if est.var_ is None else _numbers(est.var_),
            "scale": None if est.scale_ is None else _numbers(est.scale_),
            "nSamplesSeen": int(n_seen) if np.ndim(n_seen) == 0 else [int(x) for x in np.ravel(n_seen)],
            **_common_state(est),
        }
    return _doc("StandardScaler", params, state)


def _one_hot_encoder(est: Any, fitted: bool, ctx: Dict[str, Any]) -> Dict[str, Any]:
    if est.handle_unknown not in ("error", "ignore"):
        _refuse_option(est, "handle_unknown", est.handle_unknown, "use 'error' or 'ignore'")
    for opt in ("min_frequency", "max_categories"):
        if getattr(est, opt, None) is not None:
            _refuse_option(est, opt, getattr(est, opt), "infrequent-category grouping is not supported; leave it None")
    categories = est.categories
    if isinstance(categories, str):
        if categories != "auto":
            _refuse_option(est, "categories", categories, "use 'auto' or a list of arrays")
        cats_param: Any = "auto"
    else:
        cats_param = [_categories(c) for c in categories]
    drop = est.drop
    if drop is None or (isinstance(drop, str) and drop in ("first", "if_binary")):
        drop_param: Any = drop
    elif isinstance(drop, str):
        _refuse_option(est, "drop", drop, "use None, 'first', 'if_binary' or one category per column")
    else:
        drop_param = [None if d is None else encode_category(d) for d in np.asarray(drop, dtype=object).tolist()]
    params = {"categories": cats_param, "handleUnknown": est.handle_unknown, "drop": drop_param}
    state = None
    if fitted:
        drop_idx = est.drop_idx_
        state = {
            "categories": [_categories(c) for c in est.categories_],
            "dropIdx": None if drop_idx is None else [None if d is None else int(d) for d in drop_idx.tolist()],
            **_common_state(est),
        }
    return _doc("OneHotEncoder", params, state)


def _function_transformer(est: Any, fitted: bool, ctx: Dict[str, Any]) -> Dict[str, Any]:
    func = est.func
    if func is None:
        name = "identity"
    else:
        name = getattr(func, "__name__", None)
        if not name or name == "<lambda>":
            raise ExportError(
                "FunctionTransformer(func=<lambda>) cannot be exported: its function is bound by name at "
                "load time, so pass a named function (def ratio(X): ...) and register the same name in wasmlearn."
            )
    input_names = _names_in(est) if fitted else ctx.get("columns")
    names_out = _function_names_out(est, input_names)
    params = {
        "name": name,
        "featureNamesOut": names_out,
        "kwArgs": None if est.kw_args is None else _json_value(est.kw_args, "FunctionTransformer.kw_args"),
    }
    state = None
    if fitted:
        if names_out is None:
            raise ExportError(
                f"FunctionTransformer(func={name}) has no feature_names_out, so the width and names of its "
                "output are unknown; pass feature_names_out=callable or 'one-to-one'."
            )
        state = {**_common_state(est), "featureNamesOut": names_out}
    return _doc("FunctionTransformer", params, state)


def _function_names_out(est: Any, input_names: Optional[Sequence[Any]]) -> Optional[List[str]]:
    fno = est.feature_names_out
    if fno is None:
        return None
    if isinstance(fno, (list, tuple, np.ndarray)):
        return [str(n) for n in fno]
    if isinstance(fno, str):
        if fno == "one-to-one":
            return None if input_names is None else [str(n) for n in input_names]
        return None
    if callable(fno):
        try:
            out = fno(est, None if input_names is None else np.asarray(input_names, dtype=object))
        except Exception:  # the callable may need real input names we do not have
            return None
        return [str(n) for n in np.asarray(out, dtype=object).ravel().tolist()]
    return None


def _logistic_regression(est: Any, fitted: bool, ctx: Dict[str, Any]) -> Dict[str, Any]:
    penalty = est.penalty
    if penalty is None or penalty == "none":
        penalty = "none"
    elif penalty != "l2":
        _refuse_option(est, "penalty", penalty, "use 'l2' or None")
    multi_class = est.multi_class
    if multi_class == "auto" and est.solver == "liblinear":
        multi_class = "ovr"  # what scikit-learn actually fits with liblinear
    if multi_class not in ("auto", "multinomial", "ovr"):
        _refuse_option(est, "multi_class", multi_class, "use 'auto', 'multinomial' or 'ovr'")
    params = {
        "penalty": penalty,
        "C": encode_number(float(est.C)),
        "fitIntercept": bool(est.fit_intercept),
        "maxIter": int(est.max_iter),
        "tol": encode_number(float(est.tol)),
        "multiClass": multi_class,
    }
    state = None
    if fitted:
        state = {
            "classes": _categories(est.classes_),
            "coef": _matrix(est.coef_),
            "intercept": _numbers(est.intercept_),
            "nIter": [int(x) for x in np.ravel(est.n_iter_)],
            **_common_state(est),
        }
    return _doc("LogisticRegression", params, state)


def _pipeline(est: Any, fitted: bool, ctx: Dict[str, Any]) -> Dict[str, Any]:
    steps = []
    for i, (name, step) in enumerate(est.steps):
        if step is None or step == "passthrough":
            steps.append([name, "passthrough"])
            continue
        # only the first step sees the pipeline's input columns
        child_ctx = {"columns": ctx.get("columns")} if i == 0 else {}
        steps.append([name, _estimator(step, fitted, child_ctx)])
    return _doc("Pipeline", {"steps": steps}, None)


def _column_transformer(est: Any, fitted: bool, ctx: Dict[str, Any]) -> Dict[str, Any]:
    if est.transformer_weights:
        _refuse_option(est, "transformer_weights", est.transformer_weights, "leave it None")
    names_in = _names_in(est) if fitted else None
    n_in = int(est.n_features_in_) if fitted else None

    def columns_of(name: str, spec: Any) -> List[Any]:
        if fitted:
            idx = getattr(est, "_transformer_to_input_indices", {}).get(name)
            if idx is None:
                idx = _column_indices(spec, names_in, n_in, name)
            idx = [int(i) for i in idx]
            return [names_in[i] for i in idx] if names_in is not None else idx
        return _unfitted_columns(spec, name)

    def entry(name: str, trans: Any, spec: Any, fitted_child: bool) -> List[Any]:
        cols = columns_of(name, spec)
        if trans is None or (isinstance(trans, str) and trans in ("drop", "passthrough")):
            return [name, "drop" if trans is None else trans, cols]
        ctx_cols = [c for c in cols] if cols and all(isinstance(c, str) for c in cols) else None
        if fitted_child and not _is_fitted(trans):
            # scikit-learn leaves a transformer with an empty column selection unfitted; it
            # produces no output, which "drop" expresses
            return [name, "drop", cols]
        return [name, _estimator(trans, fitted_child, {"columns": ctx_cols}), cols]

    # params: the user's list (unfitted children); columns resolved when fitted
    specs = est._columns if fitted and hasattr(est, "_columns") else [c for _, _, c in est.transformers]
    params_list = [entry(name, trans, spec, False) for (name, trans, _), spec in zip(est.transformers, specs)]
    remainder = est.remainder
    if isinstance(remainder, str):
        if remainder not in ("drop", "passthrough"):
            _refuse_option(est, "remainder", remainder, "use 'drop', 'passthrough' or a transformer")
        remainder_param: Any = remainder
    else:
        remainder_param = _estimator(remainder, False, {})
    params = {
        "transformers": params_list,
        "remainder": remainder_param,
        "verboseFeatureNamesOut": bool(est.verbose_feature_names_out),
    }
    state = None
    if fitted:
        fitted_list = []
        for name, trans, spec in est.transformers_:
            if name == "remainder" and isinstance(trans, str) and trans == "drop":
                continue  # scikit-learn appends a dropped remainder; the format leaves it out
            fitted_list.append(entry(name, trans, spec, True))
        state = {"transformers": fitted_list, **_common_state(est)}
    return _doc("ColumnTransformer", params, state)


def _column_indices(spec: Any, names_in: Optional[List[str]], n_in: int, where: str) -> List[int]:
    """Positions selected by a column specifier (names, positions, slice or boolean mask)."""
    if callable(spec):
        raise ExportError(f"ColumnTransformer entry {where!r}: a callable column selector needs fitted state")
    all_idx = list(range(n_in))
    if isinstance(spec, (str, numbers.Integral, np.integer)):
        spec = [spec]
    if isinstance(spec, slice):
        if isinstance(spec.start, str) or isinstance(spec.stop, str):
            if names_in is None:
                raise ExportError(f"ColumnTransformer entry {where!r}: string slice without column names")
            start = 0 if spec.start is None else names_in.index(spec.start)
            stop = n_in if spec.stop is None else names_in.index(spec.stop) + 1  # label slices include the end
            return all_idx[start:stop:spec.step]
        return all_idx[spec]
    arr = np.asarray(spec)
    if arr.dtype == bool:
        return [i for i, keep in enumerate(arr.tolist()) if keep]
    out = []
    for c in arr.tolist():
        if isinstance(c, str):
            if names_in is None or c not in names_in:
                raise ExportError(f"ColumnTransformer entry {where!r}: unknown column {c!r}")
            out.append(names_in.index(c))
        else:
            out.append(int(c) % n_in)
    return out


def _unfitted_columns(spec: Any, where: str) -> List[Any]:
    if isinstance(spec, (str, np.str_)):
        return [str(spec)]
    if isinstance(spec, (numbers.Integral, np.integer)) and not isinstance(spec, bool):
        return [int(spec)]
    if callable(spec) or isinstance(spec, slice):
        raise ExportError(
            f"ColumnTransformer entry {where!r}: column selector {spec!r} can only be written once fitted; "
            "pass a list of column names or positions."
        )
    arr = np.asarray(spec, dtype=object).ravel().tolist()
    if arr and all(isinstance(c, (bool, np.bool_)) for c in arr):
        return [i for i, keep in enumerate(arr) if keep]
    out = []
    for c in arr:
        if isinstance(c, (str, np.str_)):
            out.append(str(c))
        elif isinstance(c, (numbers.Integral, np.integer)):
            out.append(int(c))
        else:
            raise ExportError(f"ColumnTransformer entry {where!r}: cannot write column selector {c!r}")
    return out


_WRITERS = {
    "Pipeline": _pipeline,
    "ColumnTransformer": _column_transformer,
    "SimpleImputer": _simple_imputer,
    "StandardScaler": _standard_scaler,
    "OneHotEncoder": _one_hot_encoder,
    "FunctionTransformer": _function_transformer,
    "LogisticRegression": _logistic_regression,
}


def _estimator(est: Any, fitted: bool, ctx: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    name = _check_supported(est)
    return _WRITERS[name](est, fitted, ctx or {})


def estimator_document(estimator: Any, *, fitted: bool = True) -> Dict[str, Any]:
    """The estimator document (``{type, version, params, state}``) of one estimator."""
    _check_supported(estimator)
    if fitted and not _is_fitted(estimator):
        raise ExportError(f"{_class_name(estimator)} is not fitted yet; call fit before exporting it.")
    return _estimator(estimator, fitted)


def unfitted_document(estimator: Any) -> Dict[str, Any]:
    """The estimator document with ``state: null`` everywhere (params only).

    Works on fitted and unfitted estimators; wasmlearn builds the same (unfitted)
    pipeline from it, ready to be fitted."""
    return estimator_document(estimator, fitted=False)


# --------------------------------------------------------------------------- signature


def _dtype_type(dtype: Any, column: str) -> str:
    import pandas as pd

    if isinstance(dtype, pd.CategoricalDtype):
        return _dtype_type(dtype.categories.dtype, column) if dtype.categories.dtype.kind in "iufb" else "string"
    kind = np.dtype(dtype).kind if not hasattr(dtype, "kind") else dtype.kind
    if kind == "b":
        return "boolean"
    if kind in "iu":
        return "long"
    if kind == "f":
        return "double"
    if kind in "OSU" or str(dtype) == "string":
        return "string"
    raise ExportError(f"column {column!r} has dtype {dtype}; supported: float, int, bool, object/string")


def signature_from_frame(df: Any, columns: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """``{"inputs": [{name, type}, ...]}`` from a pandas DataFrame's dtypes:
    float → double, int → long, bool → boolean, object/string/category → string.
    ``columns`` restricts and orders the inputs (default: every column)."""
    names = list(df.columns) if columns is None else list(columns)
    missing = [c for c in names if c not in df.columns]
    if missing:
        raise ExportError(f"signature frame lacks the model's input columns {missing}")
    return {"inputs": [{"name": str(c), "type": _dtype_type(df[c].dtype, str(c))} for c in names]}


def _infer_signature(estimator: Any) -> Dict[str, Any]:
    """Inputs from featureNamesIn when no frame is given: a column is "string" when a
    first-stage imputer or encoder learned string values for it, else "double"."""
    n = getattr(estimator, "n_features_in_", None)
    if n is None:
        raise ExportError("cannot derive a signature: the estimator has no n_features_in_; pass signature=")
    names = _names_in(estimator) or [f"x{i}" for i in range(int(n))]
    string_cols = set()
    _collect_string_columns(estimator, list(range(int(n))), string_cols)
    return {"inputs": [{"name": nm, "type": "string" if i in string_cols else "double"} for i, nm in enumerate(names)]}


def _collect_string_columns(est: Any, positions: List[int], out: set) -> None:
    name = _class_name(est)
    if name == "Pipeline":
        first = next((s for _, s in est.steps if not _is_marker(s)), None)
        if first is not None:
            _collect_string_columns(first, positions, out)
    elif name == "ColumnTransformer":
        idx_map = getattr(est, "_transformer_to_input_indices", {})
        for tname, trans, _ in est.transformers_:
            idx = idx_map.get(tname, [])
            if isinstance(trans, str):
                continue
            _collect_string_columns(trans, [positions[i] for i in idx], out)
    elif name == "SimpleImputer":
        for pos, s in zip(positions, est.statistics_.tolist()):
            if isinstance(s, str):
                out.add(pos)
    elif name == "OneHotEncoder":
        for pos, cats in zip(positions, est.categories_):
            if any(isinstance(c, str) for c in cats.tolist()):
                out.add(pos)


def _signature(estimator: Any, signature: Any) -> Dict[str, Any]:
    if signature is None:
        sig = _infer_signature(estimator)
    elif hasattr(signature, "dtypes") and hasattr(signature, "columns"):
        names = _names_in(estimator)
        sig = signature_from_frame(signature, names)
    elif isinstance(signature, dict):
        sig = dict(signature)
    elif isinstance(signature, (list, tuple)):
        sig = {"inputs": list(signature)}
    else:
        raise ExportError(f"signature must be a DataFrame, a dict or a list of inputs, got {type(signature).__name__}")
    for i, inp in enumerate(sig.get("inputs", [])):
        if inp.get("type") not in ("double", "long", "string", "boolean"):
            raise ExportError(f"signature.inputs[{i}].type must be double, long, string or boolean, got {inp.get('type')!r}")
    classes = _final_classes(estimator)
    if classes is not None and "outputs" not in sig:
        sig["outputs"] = {"classes": classes}
    return sig


def _final_classes(est: Any) -> Optional[List[Any]]:
    if _class_name(est) == "Pipeline":
        last = est.steps[-1][1]
        return None if _is_marker(last) else _final_classes(last)
    classes = getattr(est, "classes_", None)
    return None if classes is None else _categories(classes)


# --------------------------------------------------------------------------- documents


def to_document(estimator: Any, *, signature: Any = None, metadata: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The wasmlearn model document (format version 1) of a FITTED estimator.

    ``signature``: the training DataFrame (types derived from its dtypes, restricted to
    the model's input columns), a ``{"inputs": [...]}`` dict, or a list of inputs;
    when omitted it is derived from ``feature_names_in_`` and the fitted categories.
    ``metadata``: free-form map; values are written as strings.

    Raises ExportError for an unfitted estimator or an unsupported class or option."""
    import sklearn

    doc = estimator_document(estimator, fitted=True)
    return {
        "format": FORMAT,
        "formatVersion": FORMAT_VERSION,
        "producer": {"name": PRODUCER_NAME, "version": PRODUCER_VERSION, "sklearn": sklearn.__version__},
        "signature": _signature(estimator, signature),
        "estimator": doc,
        "profile": None,
        "metadata": {str(k): str(v) for k, v in (metadata or {}).items()},
    }


def dumps(document: Dict[str, Any], **kw: Any) -> str:
    """JSON text of a document; refuses NaN/Infinity that slipped through as bare floats."""
    kw.setdefault("ensure_ascii", False)
    return json.dumps(document, allow_nan=False, **kw)


def export(estimator: Any, path: str, **kw: Any) -> Dict[str, Any]:
    """Writes ``to_document(estimator, **kw)`` to ``path`` (UTF-8 JSON); returns the document."""
    doc = to_document(estimator, **kw)
    with open(path, "w", encoding="utf-8") as f:
        f.write(dumps(doc, indent=1))
        f.write("\n")
    return doc
