//! The output tables of `litmon estimate`: the estimate table (percent) and the
//! observations.csv rows of `--to-observations`.

use crate::output::record::RecordError;
use crate::output::tables::ObservationRecord;
use crate::output::Table;
use crate::survey::estimator::DomainRow;

/// One row of the `estimate` table (est, se, lo, hi in percent); its fields, in order, are
/// the columns of the contract.
#[derive(serde::Serialize, Default)]
struct EstimateRecord<'a> {
    domain: &'a str,
    n: u64,
    sum_weights: f64,
    est: f64,
    se: f64,
    lo: f64,
    hi: f64,
    deff: f64,
    n_eff: Option<f64>,
    df: f64,
    reliability: &'a str,
}

/// Largest effective sample size written; larger values come from a variance that is
/// rounding noise.
const MAX_N_EFF: f64 = 1e15;

/// The estimate table (est, se, lo, hi in percent).
pub fn estimate_table(rows: &[DomainRow]) -> Result<Table, RecordError> {
    let records: Vec<EstimateRecord> = rows
        .iter()
        .map(|r| {
            let e = &r.estimate;
            EstimateRecord {
                domain: &r.domain,
                n: e.n,
                sum_weights: e.sum_weights,
                est: 100.0 * e.p,
                se: 100.0 * e.se(),
                lo: 100.0 * r.interval.lo,
                hi: 100.0 * r.interval.hi,
                deff: e.deff,
                // Empty where V̂ is rounding noise: n_eff beyond 1e15 (10^5 times the world's
                // population) can only come from a variance of about machine epsilon.
                n_eff: Some(e.n_eff).filter(|n| *n <= MAX_N_EFF),
                df: e.df,
                reliability: r.reliability.as_str(),
            }
        })
        .collect();
    Table::from_records(&records)
}

/// observations.csv rows (`jurisdiction,indicator,year,value,se,n,source`) for the headline
/// outcome of every domain with an estimate; the total is omitted; crossed domains join their
/// values with `;`. With `place` (the jurisdiction the whole file samples), the one row is the
/// total's, under that jurisdiction.
pub fn observations_table(
    rows: &[DomainRow],
    year: i32,
    source: &str,
    place: Option<&str>,
) -> Result<Table, RecordError> {
    let records: Vec<ObservationRecord<u64>> = rows
        .iter()
        .filter(|r| match place {
            Some(_) => r.values.is_empty(),
            None => !r.values.is_empty(),
        })
        .filter(|r| r.outcome.is_empty() && r.estimate.p.is_finite())
        .map(|r| ObservationRecord {
            jurisdiction: place.map_or_else(|| r.values.join(";").into(), Into::into),
            indicator: crate::model::LITERACY_RATE,
            year,
            value: 100.0 * r.estimate.p,
            se: Some(100.0 * r.estimate.se()),
            n: Some(r.estimate.n),
            source: source.into(),
        })
        .collect();
    Table::from_records(&records)
}
