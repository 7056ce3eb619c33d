#!/usr/bin/env Rscript
# trend_reference.R -- golden reference values for litmon's trend-model unit tests.
#
# Run from the repository root (/work/main):
#
#     Rscript scripts/reference/trend_reference.R
#
# Writes tests/fixtures/reference/trend_wls.csv with columns `case,quantity,value`
# (one number per row, printed with sprintf("%.17g") so the values round-trip
# exactly to IEEE doubles). The Rust tests read that CSV; they never need R.
#
# Requires R with the recommended `stats` package and `metafor` (case D).
#
# Conventions shared by every case:
#   * p are percentages; the model works on the logit scale, y = qlogis(p / 100);
#   * year is centred as x = year - 2023;
#   * "percent scale" values are plogis(.) * 100.
#
# Cases:
#   A  national series, weighted least squares with all weights 1 (i.e. OLS)
#   B  same data, recency weights w = 0.5^((2023 - year) / 5)
#   C  short series (3 points, 1 residual df), weights 1
#   D  meta-regression with absolute (known) sampling variances, metafor::rma
#   E  plain distribution-function checks (qt, qnorm, pnorm, pt)

suppressPackageStartupMessages(library(metafor))

out_dir  <- file.path("tests", "fixtures", "reference")
out_file <- file.path(out_dir, "trend_wls.csv")
if (!dir.exists(out_dir)) {
  stop("run this script from the repository root (expected ", out_dir, ")")
}

# Accumulate rows as (case, quantity, value) and format at the end.
rows <- list()
add <- function(case, quantity, value) {
  value <- unname(value)
  stopifnot(length(value) == 1L, is.numeric(value), is.finite(value))
  rows[[length(rows) + 1L]] <<- data.frame(
    case = case, quantity = quantity, value = sprintf("%.17g", value),
    stringsAsFactors = FALSE
  )
}

# ---------------------------------------------------------------------------
# Cases A, B, C: weighted least squares on the logit scale with lm().
# ---------------------------------------------------------------------------
wls_case <- function(case, years, p, w, target) {
  d <- data.frame(x = years - 2023, y = qlogis(p / 100), w = w)
  fit <- lm(y ~ x, data = d, weights = w)

  V     <- vcov(fit)                 # sigma^2 * (X' W X)^{-1}
  sigma <- summary(fit)$sigma        # residual standard error (weighted)
  dfr   <- df.residual(fit)

  add(case, "intercept",           coef(fit)[["(Intercept)"]])
  add(case, "slope",               coef(fit)[["x"]])
  add(case, "se_intercept",        sqrt(V[1, 1]))
  add(case, "se_slope",            sqrt(V[2, 2]))
  add(case, "cov_intercept_slope", V[1, 2])
  add(case, "sigma",               sigma)
  add(case, "df_resid",            dfr)

  fit_2025 <- NA_real_
  se_2025  <- NA_real_
  for (yr in c(2024, 2025)) {
    nd <- data.frame(x = yr - 2023)
    # Prediction intervals for a new observation. The new observation's weight
    # is left at R's default of 1, so the prediction variance is
    # se_fit^2 + sigma^2. suppressWarnings() silences R's note
    # "Assuming constant prediction variance even though model fit is weighted",
    # which describes exactly the behaviour we want.
    p80 <- suppressWarnings(predict(fit, nd, se.fit = TRUE,
                                    interval = "prediction", level = 0.80))
    p95 <- suppressWarnings(predict(fit, nd, se.fit = TRUE,
                                    interval = "prediction", level = 0.95))
    f  <- p95$fit[1, "fit"]
    se <- p95$se.fit[[1]]
    stopifnot(isTRUE(all.equal(f, p80$fit[1, "fit"])))

    add(case, paste0("fit_", yr),    f)
    add(case, paste0("se_fit_", yr), se)
    add(case, paste0("lo80_", yr),   plogis(p80$fit[1, "lwr"]) * 100)
    add(case, paste0("hi80_", yr),   plogis(p80$fit[1, "upr"]) * 100)
    add(case, paste0("lo95_", yr),   plogis(p95$fit[1, "lwr"]) * 100)
    add(case, paste0("hi95_", yr),   plogis(p95$fit[1, "upr"]) * 100)
    add(case, paste0("median_", yr), plogis(f) * 100)

    if (yr == 2025) { fit_2025 <- f; se_2025 <- se }
  }

  # Probability that a new 2025 observation reaches the target (on the logit
  # scale), using the Student-t predictive distribution.
  p_reach <- 1 - pt((qlogis(target / 100) - fit_2025) / sqrt(se_2025^2 + sigma^2),
                    dfr)
  add(case, "p_reach_2025", p_reach)
}

years_ab <- c(2015, 2018, 2020, 2022, 2023)
p_ab     <- c(6.20, 8.47, 10.56, 12.93, 14.14)

wls_case("A", years_ab, p_ab, w = rep(1, 5), target = 15)
wls_case("B", years_ab, p_ab, w = 0.5^((2023 - years_ab) / 5), target = 15)
wls_case("C", c(2020, 2022, 2023), c(9.0, 9.8, 10.9), w = rep(1, 3), target = 12)

# ---------------------------------------------------------------------------
# Case D: meta-regression with known sampling variances (metafor::rma).
# ---------------------------------------------------------------------------
years_d <- c(2018, 2020, 2022, 2023)
p_d     <- c(8.47, 10.56, 12.93, 14.14)
se_d    <- c(0.30, 0.25, 0.20, 0.20)      # standard errors, percentage points
x_d     <- years_d - 2023
pp      <- p_d / 100
yi      <- qlogis(pp)
# Delta method: d logit(p)/dp = 1 / (p (1 - p)), so var(logit) = var(p) / (p (1-p))^2.
vi      <- (se_d / 100)^2 / (pp * (1 - pp))^2

res <- rma(yi, vi, mods = ~ x_d, method = "DL")   # DerSimonian-Laird tau^2, z tests

add("D", "tau2",         res$tau2)
add("D", "intercept",    coef(res)[["intrcpt"]])
add("D", "slope",        coef(res)[["x_d"]])
add("D", "se_intercept", res$se[1])
add("D", "se_slope",     res$se[2])

pr95 <- predict(res, newmods = 2025 - 2023)             # default level = 95
pr80 <- predict(res, newmods = 2025 - 2023, level = 80)
pred_2025 <- pr95$pred[1]
se_2025   <- pr95$se[1]                                 # se of the fitted mean
add("D", "pred_2025",    pred_2025)
add("D", "se_2025",      se_2025)
add("D", "pi_lb_2025",   pr95$pi.lb[1])                 # logit scale
add("D", "pi_ub_2025",   pr95$pi.ub[1])
add("D", "p_reach_2025", 1 - pnorm((qlogis(0.15) - pred_2025) / sqrt(se_2025^2 + res$tau2)))
add("D", "pi80_lb_2025", pr80$pi.lb[1])
add("D", "pi80_ub_2025", pr80$pi.ub[1])

# Same model with REML tau^2 -- for information only.
res_reml <- rma(yi, vi, mods = ~ x_d, method = "REML")
add("D", "tau2_reml", res_reml$tau2)

# ---------------------------------------------------------------------------
# Case F: as D but with small standard errors and a wobbly series, so that the
# DerSimonian-Laird tau^2 is positive (exercises the tau^2 > 0 path).
# ---------------------------------------------------------------------------
years_f <- c(2015, 2018, 2020, 2022, 2023)
p_f     <- c(6.20, 8.47, 10.10, 12.93, 13.60)
se_f    <- c(0.05, 0.05, 0.05, 0.05, 0.05)
x_f     <- years_f - 2023
pf      <- p_f / 100
yi_f    <- qlogis(pf)
vi_f    <- (se_f / 100)^2 / (pf * (1 - pf))^2
res_f   <- rma(yi_f, vi_f, mods = ~ x_f, method = "DL")
add("F", "tau2",         res_f$tau2)
add("F", "intercept",    coef(res_f)[["intrcpt"]])
add("F", "slope",        coef(res_f)[["x_f"]])
add("F", "se_intercept", res_f$se[1])
add("F", "se_slope",     res_f$se[2])
pf95 <- predict(res_f, newmods = 2025 - 2023)
pf80 <- predict(res_f, newmods = 2025 - 2023, level = 80)
add("F", "pred_2025",    pf95$pred[1])
add("F", "se_2025",      pf95$se[1])
add("F", "pi_lb_2025",   pf95$pi.lb[1])
add("F", "pi_ub_2025",   pf95$pi.ub[1])
add("F", "pi80_lb_2025", pf80$pi.lb[1])
add("F", "pi80_ub_2025", pf80$pi.ub[1])
add("F", "p_reach_2025", 1 - pnorm((qlogis(0.15) - pf95$pred[1]) / sqrt(pf95$se[1]^2 + res_f$tau2)))

# ---------------------------------------------------------------------------
# Case E: distribution-function checks.
# ---------------------------------------------------------------------------
add("E", "qt_0.9_df1",   qt(0.9, 1))
add("E", "qt_0.975_df1", qt(0.975, 1))
add("E", "qt_0.9_df3",   qt(0.9, 3))
add("E", "qt_0.975_df3", qt(0.975, 3))
add("E", "qnorm_0.9",    qnorm(0.9))
add("E", "qnorm_0.975",  qnorm(0.975))
add("E", "pnorm_-0.5",   pnorm(-0.5))
add("E", "pt_-0.5_df3",  pt(-0.5, 3))

# ---------------------------------------------------------------------------
out <- do.call(rbind, rows)
write.csv(out, out_file, row.names = FALSE, quote = FALSE)
cat("wrote", nrow(out), "rows to", out_file, "\n")
