"""The learned same-incident decision: a logistic regression on the linker's pair features.

The weights come from tools/build_link_model.py (FA-KES dev pairs, fold A); resources.py
loads them from eventwire/data/link_model.json. A pair merges when its probability reaches
the threshold; within `margin` of it, only when two features agree fully as well, so a
decision is never carried by a rounding-sized difference.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

# The pair features of stages.link, in the model's order.
FEATURES = ("date", "place", "type", "weapon", "actors", "deaths", "text", "rare")
STRONG = ("date", "place", "type", "weapon", "deaths", "text")


@dataclass(frozen=True)
class LinkModel:
    features: Sequence[str]
    weights: Sequence[float]
    bias: float
    threshold: float
    margin: float = 0.02

    def probability(self, f: dict) -> float:
        z = self.bias + sum(w * float(f.get(k, 0.0)) for k, w in zip(self.features, self.weights))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def merges(self, f: dict) -> bool:
        p = self.probability(f)
        if p < self.threshold:
            return False
        return p >= self.threshold + self.margin or sum(f.get(k) == 1.0 for k in STRONG) >= 2

    def to_json(self) -> dict:
        return {"features": list(self.features), "weights": [round(w, 6) for w in self.weights],
                "bias": round(self.bias, 6), "threshold": self.threshold, "margin": self.margin}

    @classmethod
    def from_json(cls, data: dict) -> "LinkModel":
        return cls(tuple(data["features"]), tuple(data["weights"]), data["bias"],
                   data["threshold"], data.get("margin", 0.02))


def fit_logistic(xs: list[list[float]], ys: list[float], l2: float, steps: int = 50,
                 prior: Sequence[float] | None = None, prior_bias: float | None = None
                 ) -> tuple[list[float], float]:
    """L2-penalised logistic regression by Newton's method.

    `prior`, `prior_bias`: the model the penalty pulls towards (default: weights 0, the bias
    free): with few pairs of a kind the fit stays near it, and the data moves a weight only
    as far as it has evidence to."""
    n = len(xs[0]) + 1
    centre = [prior_bias or 0.0] + list(prior if prior is not None else [0.0] * (n - 1))
    if prior_bias is None:  # start at the prior, its scores centred on the data (no saturation)
        centre[0] = -sum(c * sum(x[i] for x in xs) / len(xs) for i, c in enumerate(centre[1:]))
    beta = list(centre)
    rows = [[1.0] + list(x) for x in xs]
    for _ in range(steps):
        grad = [0.0] * n
        hess = [[0.0] * n for _ in range(n)]
        for row, y in zip(rows, ys):
            z = sum(b * v for b, v in zip(beta, row))
            p = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
            for i in range(n):
                grad[i] += (p - y) * row[i]
                for j in range(n):
                    hess[i][j] += p * (1 - p) * row[i] * row[j]
        for i in range(0 if prior_bias is not None else 1, n):
            grad[i] += l2 * (beta[i] - centre[i])
            hess[i][i] += l2
        step = _solve(hess, grad)
        beta = [b - s for b, s in zip(beta, step)]
        if max(abs(s) for s in step) < 1e-9:
            break
    return beta[1:], beta[0]


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the system is small and positive definite)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[piv] = m[piv], m[c]
        for r in range(c + 1, n):
            k = m[r][c] / m[c][c]
            for j in range(c, n + 1):
                m[r][j] -= k * m[c][j]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][j] * x[j] for j in range(r + 1, n))) / m[r][r]
    return x
