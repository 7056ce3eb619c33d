#!/usr/bin/env Rscript
# survey_rep_reference.R -- golden values for litmon's replicate-weight variance
# (`litmon estimate --repweights`), as R survey 4.1 `svrepdesign`.
#
# Run from the repository root:  Rscript scripts/reference/survey_rep_reference.R
#
# Writes, under tests/fixtures/survey/ (SYNTHETIC, seeded; not real data):
#   rep_<type>.csv      id, weight (full-sample), county, literate, repw1..repwR
#                       (the replicate analysis weights of as.svrepdesign(design, type))
#   rep_jkn_rscales.csv one rscale per replicate (no header), for --rscales
#   rep_expected.csv    type, mse, domain, est, se, df, deff (proportions; %.17g; deff is
#                       svymean(deff = TRUE): SRS without replacement on the domain's rows)
# The design (JK1: the same PSUs without strata): 6 strata with exactly 2 PSUs each (so BRR applies), 5-9 rows per PSU.
# The expected values come from re-reading each file with svrepdesign(type = ...,
# repweights = "repw[0-9]+", combined.weights = TRUE, ...) and svymean / svyby(svymean).
suppressMessages(library(survey))
set.seed(20261124)
rows <- list()
for (h in 1:6) for (j in 1:2) {
  m <- sample(5:9, 1)
  rows[[length(rows) + 1]] <- data.frame(
    stratum = paste0("S", h), psu = paste0("P", h, j),
    weight = round(runif(m, 20, 120), 2),
    county = sample(c("C1", "C2", "C3"), m, replace = TRUE),
    literate = rbinom(m, 1, 0.4 + 0.05 * h))
}
d <- do.call(rbind, rows)
d$id <- seq_len(nrow(d))
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, data = d, nest = TRUE)
# JK1 needs an unstratified design: the same PSUs, no strata.
des1 <- svydesign(ids = ~psu, weights = ~weight, data = d)
out <- "tests/fixtures/survey"
fmt <- function(x) sprintf("%.17g", x)
res <- list()
for (type in c("JK1", "JKn", "BRR", "Fay", "bootstrap")) {
  set.seed(7)
  rep <- if (type == "Fay") as.svrepdesign(des, type = "Fay", fay.rho = 0.5)
         else if (type == "bootstrap") as.svrepdesign(des, type = "bootstrap", replicates = 20)
         else if (type == "JK1") as.svrepdesign(des1, type = "JK1")
         else as.svrepdesign(des, type = type)
  w <- weights(rep, "analysis")
  colnames(w) <- paste0("repw", seq_len(ncol(w)))
  f <- data.frame(id = d$id, weight = d$weight, county = d$county, literate = d$literate, w)
  name <- tolower(type)
  write.csv(f, file.path(out, paste0("rep_", name, ".csv")), row.names = FALSE, quote = FALSE)
  rscales <- NULL
  if (type == "JKn") {
    rscales <- rep$rscales
    writeLines(fmt(rscales), file.path(out, "rep_jkn_rscales.csv"))
  }
  for (mse in c(FALSE, TRUE)) {
    r2 <- svrepdesign(data = f, repweights = "repw[0-9]+", weights = ~weight,
                      type = type, combined.weights = TRUE, mse = mse,
                      rho = if (type == "Fay") 0.5 else NULL, rscales = rscales)
    m <- svymean(~literate, r2, deff = TRUE)
    res[[length(res) + 1]] <- data.frame(type = name, mse = mse, domain = "total",
      est = fmt(coef(m)), se = fmt(SE(m)), df = degf(r2), deff = fmt(deff(m)))
    b <- svyby(~literate, ~county, r2, svymean, deff = TRUE)
    for (i in seq_len(nrow(b))) {
      cty <- as.character(b$county[i])
      res[[length(res) + 1]] <- data.frame(type = name, mse = mse,
        domain = paste0("county=", cty), est = fmt(b$literate[i]), se = fmt(b$se[i]),
        df = degf(subset(r2, county == cty)), deff = fmt(deff(b)[i]))
    }
  }
}
write.csv(do.call(rbind, res), file.path(out, "rep_expected.csv"), row.names = FALSE, quote = FALSE)
