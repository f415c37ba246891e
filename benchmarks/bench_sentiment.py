"""Measure the sentiment lexicon baseline and the trained SentimentModel (issue 6, item 1).

Targets: on a stratified 20% held-out split of the airline tweets (seed 0) the trained model
reaches accuracy >= 0.83 and macro-F1 >= 0.77, at least 25 points above the VADER lexicon on
the same rows; the shipped model scores >= 5,000 messages/s on one core; training (tuning
by 5-fold cross-validation included) takes < 60 s on 2 cores. Scoring is timed over all
14,485 tweets, median of ``--repeat`` runs, with BLAS/OpenMP limited to one thread.

Run from the repository root: ``.venv/bin/python benchmarks/bench_sentiment.py``.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_variable] = "1"  # before numpy is imported: scoring is measured on one core

import argparse  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import sklearn  # noqa: E402

from scrm_lab.datasets import load_dataset  # noqa: E402
from scrm_lab.listening import evaluate_sentiment, lexicon_sentiment  # noqa: E402


def _median_seconds(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--test-size", type=float, default=0.2)
    parser.add_argument("--cv", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    print(f"machine: {platform.machine()} {platform.processor() or ''}".rstrip())
    print(
        f"cpus: {os.cpu_count()}, python {platform.python_version()}, sklearn {sklearn.__version__}"
    )
    tweets = load_dataset("twitter_airline_sentiment")
    texts = tweets["text"].tolist()

    start = time.perf_counter()
    result = evaluate_sentiment(tweets, test_size=args.test_size, seed=args.seed, cv=args.cv)
    elapsed = time.perf_counter() - start
    print(f"split: {result.n_train} training, {result.n_test} held out (seed {args.seed})")
    print(f"chosen C: {result.model.C_}")
    cv_means = result.cv_scores.groupby("C")[["accuracy", "macro_f1"]].mean()
    print("cross-validation on the training part (mean over folds):")
    print(cv_means.to_string(float_format="{:.4f}".format))
    print("held-out metrics (accuracy with Wilson 95% CI):")
    print(result.metrics.to_string(index=False, float_format="{:.4f}".format))
    metrics = result.metrics.set_index("method")
    gap_accuracy = metrics.loc["model", "accuracy"] - metrics.loc["lexicon", "accuracy"]
    gap_f1 = metrics.loc["model", "macro_f1"] - metrics.loc["lexicon", "macro_f1"]
    print(f"model - lexicon: accuracy {gap_accuracy:+.4f}, macro-F1 {gap_f1:+.4f}")
    print("confusion (rows actual, columns predicted):")
    for method, counts in result.confusion.groupby("method"):
        table = counts.pivot(index="actual", columns="predicted", values="count")
        print(f"[{method}]\n{table.to_string()}")
    print(f"evaluation time (CV tuning + final fit + scoring, one process): {elapsed:.1f} s")

    model = result.model
    model.predict(texts[:100])  # warm-up
    seconds = _median_seconds(lambda: model.predict(texts), args.repeat)
    print(f"model scoring: {len(texts) / seconds:,.0f} messages/s ({seconds:.2f} s, median)")
    seconds = _median_seconds(lambda: model.predict_proba(texts), args.repeat)
    print(f"model predict_proba: {len(texts) / seconds:,.0f} messages/s")
    seconds = _median_seconds(lambda: lexicon_sentiment(texts), args.repeat)
    print(f"lexicon scoring: {len(texts) / seconds:,.0f} messages/s")


if __name__ == "__main__":
    main()
