#!/usr/bin/env Rscript
# survey_reference.R -- golden values for litmon's survey estimator (`litmon estimate`).
#
# Run from the repository root (/work/main) with R >= 4.2 and survey 4.1:
#
#     Rscript scripts/reference/survey_reference.R
#
# Writes, under tests/fixtures/survey/:
#   microdata.csv  a small SYNTHETIC stratified cluster sample (made here, seeded; not real data)
#   expected.csv   R survey results, one row per (scenario, table, domain)
#   population.csv population counts by province x urban (made up) for the poststrat scenario
#
# The Rust tests only read these files; they never need R.
#
# Design of microdata.csv (on purpose full of edge cases):
#   stratum S1..S7, PSU ids repeated across strata (nest = TRUE), weight, fpc (PSUs in the
#   stratum's population), province, county, urban, four score parts
#   (knowledge 0-40, method/spirit/application 0-20) and a precomputed 0/1 `literate`
#   (= score total >= 70); prov_code is the province's GB/T 2260 code (for the pipeline test).
#   S4 has one PSU (lonely); S6 is self-representing (fpc = number of sampled PSUs);
#   some rows have weight 0; county C90 is all illiterate (p = 0), C91 all literate (p = 1),
#   C92 lies in one PSU (domain df = 0), C93 has only zero weights (empty domain).
#
# Scenarios (options(survey.lonely.psu = ...)):
#   adjust_fpc  svydesign(ids=~psu, strata=~stratum, weights=~weight, fpc=~fpc, nest=TRUE), "adjust"
#   adjust      same without fpc, "adjust"
#   certainty   without fpc, "certainty"
#   remove      without fpc, "remove"
#   poststrat   adjust_fpc, then postStratify(des, ~province + urban, population.csv)
#               (a calibrated subset keeps every row, so n_rows is the whole sample there)
# Tables: total, province, county, county x urban (domain strings as litmon writes them).
#
# Columns of expected.csv (proportions, not percent; %.17g so doubles round-trip):
#   est, se            svymean (equal to svyby(~literate, ~dom, des, svymean))
#   deff               svymean(deff = TRUE) (SRS without replacement)
#   df                 degf() of the domain's subset design
#   n_rows, n, sum_w   rows in the domain, rows with nonzero weight, sum of weights
#   logit_*, xlogit_*, beta_*, asin_*   svyciprop(method = ...) at level 0.95
#                      (with df = 1, R's logit gives [0, NaN]: confint.svyglm turns the t level into
#                      a Normal level 1 - 2 pnorm(qt(0.025, 1)), which rounds to 1; litmon gives the
#                      t interval, equal to xlogit)
#   logit90_*          svyciprop(method = "logit", level = 0.90)
#   wilson_*, cp_*     not in R survey: Wilson and Clopper-Pearson on n_eff = p(1-p)/se^2,
#                      computed here from svymean's p and se with R's qt/qbeta:
#                      Wilson with z = qt(0.975, df); Clopper-Pearson = qbeta on n_eff.

suppressPackageStartupMessages(library(survey))
stopifnot(packageVersion("survey") >= "4.1")

out_dir <- file.path("tests", "fixtures", "survey")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

set.seed(20251123)
npsu   <- c(S1 = 4, S2 = 3, S3 = 5, S4 = 1, S5 = 2, S6 = 3, S7 = 4)
fpcpop <- c(S1 = 40, S2 = 30, S3 = 50, S4 = 10, S5 = 4, S6 = 3, S7 = 25)
prov   <- c(S1 = "P1", S2 = "P1", S3 = "P2", S4 = "P2", S5 = "P3", S6 = "P3", S7 = "P3")
rows <- list()
for (s in names(npsu)) {
  for (j in seq_len(npsu[[s]])) {
    m <- sample(12:25, 1)
    base_w <- round(runif(1, 200, 900), 1)
    counties <- paste0("C", sprintf("%02d", match(s, names(npsu)) * 10 + 1:2))
    rows[[length(rows) + 1]] <- data.frame(
      stratum = s, psu = j, weight = round(base_w * runif(m, 0.6, 1.4), 3),
      fpc = fpcpop[[s]], province = prov[[s]],
      county = sample(counties, m, replace = TRUE),
      urban = sample(0:1, m, replace = TRUE),
      knowledge = round(runif(m, 10, 40)), method = round(runif(m, 4, 20)),
      spirit = round(runif(m, 4, 20)), application = round(runif(m, 4, 20)),
      stringsAsFactors = FALSE)
  }
}
d <- do.call(rbind, rows)
# Edge cases.
d$weight[c(5, 50, 51)] <- 0                                       # zero weights
i90 <- c(which(d$stratum == "S3" & d$psu == 1)[1:4], which(d$stratum == "S3" & d$psu == 2)[1:4])
d$county[i90] <- "C90"                                            # p = 0, df = 1
d[i90, c("knowledge", "method", "spirit", "application")] <- list(10, 5, 5, 5)
i91 <- c(which(d$stratum == "S1" & d$psu == 2)[1:3], which(d$stratum == "S1" & d$psu == 3)[1:3])
d$county[i91] <- "C91"                                            # p = 1, df = 1
d[i91, c("knowledge", "method", "spirit", "application")] <- list(38, 19, 18, 17)
i92 <- which(d$stratum == "S2" & d$psu == 3)[1:9]; d$county[i92] <- "C92"  # one PSU
d$knowledge[i92] <- c(40, 10, 40, 10, 40, 10, 40, 10, 40)
i93 <- which(d$stratum == "S5")[1:3];  d$county[i93] <- "C93"; d$weight[i93] <- 0  # empty
d$prov_code <- c(P1 = "140000", P2 = "150000", P3 = "640000")[d$province]  # GB/T 2260
d$literate <- as.integer(d$knowledge + d$method + d$spirit + d$application >= 70)
write.csv(d, file.path(out_dir, "microdata.csv"), row.names = FALSE, quote = FALSE)

g17 <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))

one_domain <- function(sub, scen, table, domain) {
  w <- weights(sub)
  base <- data.frame(scenario = scen, table = table, domain = domain,
                     n_rows = nrow(sub), n = sum(w != 0), sum_w = g17(sum(w)))
  if (sum(w) == 0) return(NULL)
  m <- svymean(~literate, sub, deff = TRUE)
  p <- unname(coef(m)); se <- unname(SE(m)); df <- degf(sub)
  ci <- function(method, level = 0.95) {
    r <- tryCatch(suppressWarnings(attr(svyciprop(~literate, sub, method = method, level = level), "ci")),
                  error = function(e) c(NA, NA))
    unname(r)
  }
  lg <- ci("logit"); xl <- ci("xlogit"); be <- ci("beta"); as <- ci("asin"); l9 <- ci("logit", 0.90)
  neff <- p * (1 - p) / se^2
  z <- qt(0.975, df)
  wil_c <- (p + z^2 / (2 * neff)) / (1 + z^2 / neff)
  wil_h <- z / (1 + z^2 / neff) * sqrt(p * (1 - p) / neff + z^2 / (4 * neff^2))
  cp <- c(qbeta(0.025, neff * p, neff * (1 - p) + 1), qbeta(0.975, neff * p + 1, neff * (1 - p)))
  cbind(base, data.frame(
    est = g17(p), se = g17(se), deff = g17(unname(deff(m))), df = df,
    logit_lo = g17(lg[1]), logit_hi = g17(lg[2]), xlogit_lo = g17(xl[1]), xlogit_hi = g17(xl[2]),
    beta_lo = g17(be[1]), beta_hi = g17(be[2]), asin_lo = g17(as[1]), asin_hi = g17(as[2]),
    logit90_lo = g17(l9[1]), logit90_hi = g17(l9[2]),
    wilson_lo = g17(wil_c - wil_h), wilson_hi = g17(wil_c + wil_h),
    cp_lo = g17(cp[1]), cp_hi = g17(cp[2])))
}

# Post-stratification cells: province x urban, with made-up population counts.
pop <- expand.grid(province = c("P1", "P2", "P3"), urban = 0:1, stringsAsFactors = FALSE)
pop$Freq <- c(61000, 52000, 90500, 43000, 30500, 71000)
write.csv(pop, file.path(out_dir, "population.csv"), row.names = FALSE, quote = FALSE)

scenario <- function(scen, lonely, fpc, post = FALSE) {
  options(survey.lonely.psu = lonely)
  des <- if (fpc) svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, fpc = ~fpc,
                            nest = TRUE, data = d)
         else svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, nest = TRUE, data = d)
  if (post) des <- postStratify(des, ~province + urban, pop)
  out <- list(one_domain(des, scen, "total", "total"))
  # Cross-check: svyby gives the same est and se as the per-domain subsets.
  by_c <- svyby(~literate, ~county, subset(des, county != "C93"), svymean)
  for (v in sort(unique(d$province)))
    out[[length(out) + 1]] <- one_domain(subset(des, province == v), scen, "province", paste0("province=", v))
  for (v in sort(unique(d$county))) {
    sub <- subset(des, county == v)
    r <- one_domain(sub, scen, "county", paste0("county=", v))
    if (!is.null(r) && v != "C93") {
      stopifnot(isTRUE(all.equal(as.numeric(r$est), unname(coef(by_c)[v]), tolerance = 1e-12)))
    }
    out[[length(out) + 1]] <- r
  }
  for (v in sort(unique(d$county))) for (u in 0:1) {
    if (!any(d$county == v & d$urban == u)) next
    out[[length(out) + 1]] <- one_domain(subset(des, county == v & urban == u), scen,
                                         "county_urban", paste0("county=", v, ";urban=", u))
  }
  do.call(rbind, out)
}

res <- rbind(scenario("adjust_fpc", "adjust", TRUE), scenario("adjust", "adjust", FALSE),
             scenario("certainty", "certainty", FALSE), scenario("remove", "remove", FALSE),
             scenario("poststrat", "adjust", TRUE, post = TRUE))
write.csv(res, file.path(out_dir, "expected.csv"), row.names = FALSE, quote = FALSE, na = "")
cat("wrote", nrow(res), "rows\n")
