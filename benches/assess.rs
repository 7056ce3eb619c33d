//! Bench: assess + project of a generated 3,000-county dataset with 5 observations each
//! (goal < 50 ms). Run with `cargo bench --bench assess`.

use litmon::assess::{assess, project, AssessConfig};
use litmon::data::{build, Input, Sources};
use litmon::model::Dataset;
use litmon::trend::{ModelKind, TrendConfig};

fn main() {
    divan::main();
}

/// Uniform draws on [0, 1) from a xorshift64 generator seeded with `state` (deterministic).
fn uniform(mut state: u64) -> impl FnMut() -> f64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Times `local_angular`'s fit of every literacy series of `ds`.
fn bench_local_fit(bencher: divan::Bencher, ds: &Dataset) {
    let cfg = TrendConfig::default();
    bencher.bench(|| {
        litmon::assess::fit_all(
            divan::black_box(ds),
            "literacy_rate",
            &cfg,
            ModelKind::LocalAngular,
        )
        .1
        .len()
    });
}

/// A deterministic synthetic hierarchy: 1 nation, 30 provinces, 300 prefectures,
/// 3,000 counties; each county has 5 survey values (2015–2023, with se) and a 2025 target.
fn synthetic(counties: usize) -> Dataset {
    let mut unif = uniform(0x2545_F491_4F6C_DD1D);
    let mut reg = String::from("id,name_zh,name_en,level,parent\n100000,全国,China,national,\n");
    let mut obs = String::from("jurisdiction,indicator,year,value,se,n,source\n");
    let mut plans = Vec::new();
    let provinces = 30;
    let prefs_per_prov = 10;
    let per_pref = counties.div_ceil(provinces * prefs_per_prov);
    let mut c = 0;
    for p in 0..provinces {
        let pid = format!("P{p:02}");
        reg.push_str(&format!("{pid},省{p},Province {p},province,100000\n"));
        for f in 0..prefs_per_prov {
            let fid = format!("{pid}F{f:02}");
            reg.push_str(&format!("{fid},市{p}-{f},,prefecture,{pid}\n"));
            for k in 0..per_pref {
                if c >= counties {
                    break;
                }
                c += 1;
                let cid = format!("{fid}C{k:03}");
                reg.push_str(&format!("{cid},县{c},,county,{fid}\n"));
                let level = -2.8 + 0.6 * unif();
                let slope = 0.08 + 0.06 * unif();
                for year in [2015, 2018, 2020, 2022, 2023] {
                    let y = level + slope * f64::from(year - 2015) + 0.05 * (unif() - 0.5);
                    let pct = 100.0 / (1.0 + (-y).exp());
                    obs.push_str(&format!(
                        "{cid},literacy_rate,{year},{pct:.3},{:.3},800,synthetic\n",
                        0.02 * pct
                    ));
                }
                plans.push(Input::new(
                    format!("{cid}.toml"),
                    format!(
                        "[plan]\njurisdiction = \"{cid}\"\ntitle_zh = \"方案\"\nperiod = [2021, 2025]\n\n[[indicator]]\nid = \"literacy_rate\"\nname_zh = \"公民具备科学素质的比例\"\nunit = \"pct\"\nkind = \"level\"\ntarget = {{ year = 2025, value = 12.0 }}\n"
                    ),
                ));
            }
        }
    }
    let sources = Sources {
        jurisdictions: vec![Input::new("jurisdictions.csv", reg)],
        observations: vec![Input::new("observations.csv", obs)],
        plans,
        notes: Vec::new(),
    };
    build(&sources).unwrap_or_else(|e| panic!("synthetic data invalid: {e}"))
}

/// The default model (`local_angular`) and, as the same-session reference, the former
/// default `logit_wls`.
#[divan::bench(sample_count = 20, args = [ModelKind::LocalAngular, ModelKind::LogitWls])]
fn assess_and_project_3000_counties(bencher: divan::Bencher, model: ModelKind) {
    let ds = synthetic(3000);
    let mut cfg = AssessConfig::new("literacy_rate");
    cfg.trend.model = model;
    bencher.bench(|| {
        let rows = assess(divan::black_box(&ds), &cfg);
        let proj = project(&ds, "literacy_rate", &cfg.trend, None);
        (rows.len(), proj.len())
    });
}

/// The trend fits alone (both models), without assessment rows.
#[divan::bench(sample_count = 20, args = [ModelKind::LocalAngular, ModelKind::LogitWls])]
fn fit_3000_counties(bencher: divan::Bencher, model: ModelKind) {
    let ds = synthetic(3000);
    let cfg = TrendConfig::default();
    bencher.bench(|| {
        litmon::assess::fit_all(divan::black_box(&ds), "literacy_rate", &cfg, model)
            .1
            .len()
    });
}

#[divan::bench(sample_count = 10)]
fn load_3000_county_dataset() -> usize {
    synthetic(3000).observations.len()
}

/// `local_angular` on the embedded panel (every series of the literacy rate; goal < 20 ms).
#[divan::bench(sample_count = 20)]
fn fit_embedded_panel(bencher: divan::Bencher) {
    let ds = litmon::data::load(&litmon::data::LoadOptions::default()).unwrap_or_else(|e| {
        panic!("embedded data: {e}");
    });
    bench_local_fit(bencher, &ds);
}

/// 2,000 counties with three values each (2016, 2018, 2020) directly below one province with
/// a series to 2022, itself below the nation: every county is carried from 2020 to 2022 with
/// the siblings' common deviation, one group of 4,000 intervals whose τ² is chosen by
/// leave-one-place-out cross-validation (2,000 held-out places × 17 grid values), and each
/// county's deviation estimated without its own intervals. (Restricted maximum likelihood,
/// used before, factored a 4,000 × 4,000 matrix per grid value.)
#[divan::bench(sample_count = 10)]
fn fit_2000_counties_below_one_province(bencher: divan::Bencher) {
    let mut unif = uniform(0x9E37_79B9_7F4A_7C15);
    let mut reg = String::from(
        "id,name_zh,name_en,level,parent\n100000,全国,China,national,\nP00,省,Province,province,100000\n",
    );
    let mut obs = String::from("jurisdiction,indicator,year,value,se,n,source\n");
    for (year, nat, prov) in [
        (2015, 6.2, 5.0),
        (2018, 8.5, 7.0),
        (2020, 10.6, 9.0),
        (2022, 12.9, 11.0),
    ] {
        obs.push_str(&format!("100000,literacy_rate,{year},{nat},,,synthetic\nP00,literacy_rate,{year},{prov},,,synthetic\n"));
    }
    for c in 0..2000 {
        reg.push_str(&format!("C{c:04},县{c},,county,P00\n"));
        let base = 4.0 + 8.0 * unif();
        for (k, year) in [2016, 2018, 2020].into_iter().enumerate() {
            let v = base + 2.0 * k as f64 + 2.0 * (unif() - 0.5);
            obs.push_str(&format!(
                "C{c:04},literacy_rate,{year},{v:.2},,,synthetic\n"
            ));
        }
    }
    let sources = Sources {
        jurisdictions: vec![Input::new("jurisdictions.csv", reg)],
        observations: vec![Input::new("observations.csv", obs)],
        plans: Vec::new(),
        notes: Vec::new(),
    };
    let ds = build(&sources).unwrap_or_else(|e| panic!("synthetic data invalid: {e}"));
    bench_local_fit(bencher, &ds);
}
