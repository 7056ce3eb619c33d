//! Bench: one interaction of `litmon serve` (issue 23) with the embedded data and a user's
//! workbook and plan (包头): (1) the whole page of all places, (2) the page of one place
//! (its evaluation table, dashboard, evaluation, trajectory and 2030-target charts, candidate
//! targets), (3) an upload (validating the embedded data plus the files again). Goal: each
//! < 200 ms median on the project machine. Run with `cargo bench --bench serve`.

use litmon::cli::serve::{page, State, Upload, View};
use litmon::model::Lang;

fn main() {
    divan::main();
}

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/serve");

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The embedded data plus 包头's workbook and plan.
fn state() -> State {
    let uploads = vec![
        Upload {
            name: "baotou.xlsx".into(),
            role: litmon::cli::serve::Role::Observations,
            bytes: read("baotou.xlsx"),
        },
        Upload {
            name: "baotou_plan.toml".into(),
            role: litmon::cli::serve::Role::Plan,
            bytes: read("baotou_plan.toml"),
        },
    ];
    State::with_uploads(uploads).unwrap_or_else(|e| panic!("fixtures: {e}"))
}

/// The page of every place (no place chosen).
#[divan::bench(sample_count = 10)]
fn page_all_places(bencher: divan::Bencher) {
    let s = state();
    let view = View::new(Lang::Zh);
    bencher.bench_local(|| page::render(&s, &view).map(|h| h.len()));
}

/// The page of 包头 (four charts drawn).
#[divan::bench(sample_count = 10)]
fn page_one_place(bencher: divan::Bencher) {
    let s = state();
    let mut view = View::new(Lang::Zh);
    view.place = Some("150200".into());
    bencher.bench_local(|| page::render(&s, &view).map(|h| h.len()));
}

/// Uploading the workbook again (the whole set is validated before it replaces the state).
#[divan::bench(sample_count = 10)]
fn upload_workbook(bencher: divan::Bencher) {
    let mut s = state();
    let bytes = read("baotou.xlsx");
    bencher.bench_local(|| s.add("baotou.xlsx", bytes.clone()).is_ok());
}
