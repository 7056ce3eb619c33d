"""Reference Fay-Herriot EBLUPs and MSEs from Python samplics (EblupAreaModel).

Run from the repository root:  python scripts/reference/sae_reference.py
(pip install samplics; tested with samplics 0.6.x)

Writes tests/fixtures/sae/reference_input.csv (30 synthetic areas on the arcsine scale:
direct estimate y = asin(sqrt(p)), sampling variance psi = 1/(4 n), one covariate x) once,
and tests/fixtures/sae/reference_expected.csv with samplics' sigma2_u, beta, EBLUP and MSE for
REML and the Fay-Herriot moment method (and ML for information). samplics works on whatever
scale it is given, so it is fed the arcsine-scale values and variances and the comparison
with litmon's core is exact. Fisher scoring is run to tol 1e-13 so that both converge to the
same root.
"""

import os

import numpy as np
import pandas as pd
from samplics.sae import EblupAreaModel
from samplics.utils.types import FitMethod

HERE = os.path.join("tests", "fixtures", "sae")
INPUT = os.path.join(HERE, "reference_input.csv")
EXPECTED = os.path.join(HERE, "reference_expected.csv")


def make_input() -> pd.DataFrame:
    rng = np.random.default_rng(20260101)
    m = 30
    x = np.round(rng.uniform(0.2, 0.8, m), 4)  # e.g. urban share
    n = rng.integers(80, 600, m)
    theta = np.arcsin(np.sqrt(0.04 + 0.10 * x)) + rng.normal(0.0, 0.05, m)
    psi = 1.0 / (4.0 * n)
    y = theta + rng.normal(0.0, np.sqrt(psi))
    return pd.DataFrame(
        {
            "area": [f"A{d + 1:02d}" for d in range(m)],
            "y": np.round(y, 8),
            "psi": psi,
            "x": x,
            "n": n,
        }
    )


def main() -> None:
    if not os.path.exists(INPUT):
        make_input().to_csv(INPUT, index=False, float_format="%.17g")
    df = pd.read_csv(INPUT)
    rows = []
    for name, method in [("reml", FitMethod.reml), ("fh", FitMethod.fh), ("ml", FitMethod.ml)]:
        model = EblupAreaModel(method=method)
        model.fit(
            yhat=df["y"].to_numpy(),
            X=df[["x"]].to_numpy(),
            area=df["area"].to_numpy(),
            error_std=np.sqrt(df["psi"].to_numpy()),
            intercept=True,
            tol=1e-13,
            maxiter=1000,
        )
        model.predict(X=df[["x"]].to_numpy(), area=df["area"].to_numpy(), intercept=True)
        sigma2 = float(np.ravel(model.re_std)[0]) ** 2
        for a in df["area"]:
            rows.append(
                {
                    "method": name,
                    "area": a,
                    "eblup": float(model.area_est[a]),
                    "mse": float(model.area_mse[a]),
                    "sigma2_u": sigma2,
                    "beta0": float(model.fixed_effects[0]),
                    "beta1": float(model.fixed_effects[1]),
                }
            )
    pd.DataFrame(rows).to_csv(EXPECTED, index=False, float_format="%.17g")
    print(f"wrote {EXPECTED}")


if __name__ == "__main__":
    main()
