#!/usr/bin/env Rscript
# survey_rake_reference.R -- golden values for `litmon estimate --rake` (R survey::rake).
#
# Run from the repository root after survey_reference.R (it reads the synthetic fixture):
#
#     Rscript scripts/reference/survey_rake_reference.R
#
# Writes, under tests/fixtures/survey/:
#   rake_microdata.csv microdata.csv without its weight-0 rows (see below)
#   rake_province.csv, rake_urban.csv  population margins (made up): province,Freq / urban,Freq
#   rake_expected.csv  table,domain,est,se (proportions, %.17g) of svymean on
#                      rake(des, list(~province, ~urban), margins) with R's default control
#                      (maxit = 10, epsilon = 1); des = svydesign(ids=~psu, strata=~stratum,
#                      weights=~weight, fpc=~fpc, nest=TRUE), lonely PSU "adjust".
# Rows with weight 0 are dropped before raking: R's raking variance divides by the raked
# weight (x / psw in svyrecvar), which is NaN for a zero weight.
suppressPackageStartupMessages(library(survey))
stopifnot(packageVersion("survey") >= "4.1")
out_dir <- file.path("tests", "fixtures", "survey")
d <- read.csv(file.path(out_dir, "microdata.csv"), colClasses = c(county = "character"))
d <- d[d$weight > 0, ]
write.csv(d, file.path(out_dir, "rake_microdata.csv"), row.names = FALSE, quote = FALSE)
options(survey.lonely.psu = "adjust")
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, fpc = ~fpc, nest = TRUE, data = d)
pp <- data.frame(province = c("P1", "P2", "P3"), Freq = c(150000, 98000, 121000))
pu <- data.frame(urban = c(0L, 1L), Freq = c(201000, 168000))
write.csv(pp, file.path(out_dir, "rake_province.csv"), row.names = FALSE, quote = FALSE)
write.csv(pu, file.path(out_dir, "rake_urban.csv"), row.names = FALSE, quote = FALSE)
rk <- rake(des, list(~province, ~urban), list(pp, pu))
g17 <- function(x) sprintf("%.17g", x)
one <- function(sub, table, domain) {
  m <- svymean(~literate, sub)
  data.frame(table = table, domain = domain, est = g17(coef(m)[[1]]), se = g17(SE(m)[[1]]))
}
out <- list(one(rk, "total", "total"))
for (v in sort(unique(d$province)))
  out[[length(out) + 1]] <- one(subset(rk, province == v), "province", paste0("province=", v))
for (v in sort(unique(d$county)))
  out[[length(out) + 1]] <- one(subset(rk, county == v), "county", paste0("county=", v))
write.csv(do.call(rbind, out), file.path(out_dir, "rake_expected.csv"), row.names = FALSE, quote = FALSE)
