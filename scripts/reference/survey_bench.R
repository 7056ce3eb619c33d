#!/usr/bin/env Rscript
# survey_bench.R -- the R survey side of litmon's speed comparison (not a test fixture).
#
#   cargo run --release --example synth_survey -- --rows 300000 --seed 1 -o /tmp/s300k.csv
#   Rscript scripts/reference/survey_bench.R /tmp/s300k.csv /tmp/r_out.csv
#
# Times the same job as `litmon estimate --by province --by prefecture --by county`
# (read CSV, score >= 70, design, svymean total + svyby for the three domain levels with SEs),
# and writes domain,est,se (proportions) so the numbers can be compared with litmon's.
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
options(survey.lonely.psu = "adjust")
t0 <- proc.time()[["elapsed"]]
d <- read.csv(args[1], colClasses = c(province = "character", prefecture = "character",
                                      county = "character", psu = "character"))
d$literate <- as.integer(d$knowledge + d$method + d$spirit + d$application >= 70)
des <- svydesign(ids = ~psu, strata = ~prefecture, weights = ~weight, fpc = ~fpc,
                 nest = TRUE, data = d)
tot <- svymean(~literate, des)
out <- data.frame(domain = "total", est = coef(tot)[[1]], se = SE(tot)[[1]])
for (v in c("province", "prefecture", "county")) {
  t1 <- proc.time()[["elapsed"]]
  b <- svyby(~literate, as.formula(paste0("~", v)), des, svymean)
  out <- rbind(out, data.frame(domain = paste0(v, "=", b[[v]]), est = b$literate, se = SE(b)))
  cat(sprintf("%s: %.1f s\n", v, proc.time()[["elapsed"]] - t1))
}
cat(sprintf("R survey total: %.1f s\n", proc.time()[["elapsed"]] - t0))
write.csv(out, args[2], row.names = FALSE, quote = FALSE)
