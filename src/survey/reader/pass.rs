//! The pass itself: the stream cut into blocks of whole records, summed on all cores, and
//! merged in file order ([`accumulate`]).

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};

use super::accumulated::Accumulated;
use super::block::{accumulate_block, Partial, Plan, Scratch};
use super::columns::{parse_header, Columns};
use super::merge::Merger;
use super::plan::ReadPlan;
use super::split;
use crate::error::{Error, Result};

/// Reads `reader` (a CSV with a header row; `read.file` names it in errors) in one pass,
/// summing what `read` asks for ([`ReadPlan`]). Errors name the file, line and column; the
/// error reported is the first a row-by-row reader would meet.
///
/// The stream is cut into blocks of whole records (`split::BLOCK_BYTES`, 4 MiB) that are
/// parsed and summed on all cores, then merged in file order: strata, PSUs and domains keep
/// their order of first appearance, and each cell's sum adds the blocks' partial sums in
/// order, so the result does not depend on the number of cores (a file of one block sums row
/// by row). With replicate weights each domain keeps its replicate-weight rows merged by
/// direction (memory O(domains × R × distinct rows), [`crate::survey::replicate::RepRows`]).
pub fn accumulate<R: Read>(reader: R, read: &ReadPlan<'_>) -> Result<Accumulated> {
    accumulate_in_blocks(
        reader,
        read,
        split::BLOCK_BYTES,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    )
}

/// [`accumulate`] with blocks of `block_bytes` on `workers` threads (one: no thread).
fn accumulate_in_blocks<R: Read>(
    reader: R,
    read: &ReadPlan<'_>,
    block_bytes: usize,
    workers: usize,
) -> Result<Accumulated> {
    let file = read.file;
    let io_err = |source: std::io::Error| Error::Io {
        path: file.to_string(),
        source,
    };
    let mut splitter = split::Splitter::new(reader, block_bytes);
    let header = splitter.header().map_err(io_err)?;
    let headers = parse_header(&header, file)?;
    let cols = Columns::resolve(&headers, read)?;
    let plan = Plan {
        n_fields: headers.len(),
        n_outcomes: read.scoring.n_outcomes(),
        n_rep: cols.reps.len(),
        replicated: read.rep_prefix.is_some(),
        scoring: read.scoring,
        cols,
    };
    let first_line = 1 + split::line_feeds(&header);
    let mut merger = Merger::new(file, &headers, &plan, read.by, first_line);
    let n_tables = read.by.len() + 1;
    if workers < 2 {
        let mut scratch = Scratch::new(&plan);
        while let Some(block) = splitter.next_block().map_err(io_err)? {
            let partial = accumulate_block(&plan, &block, n_tables, &mut scratch);
            merger.add(partial, &block)?;
        }
        return merger.finish();
    }
    let cancel = AtomicBool::new(false);
    let (job_tx, job_rx) = mpsc::channel::<(u64, split::Block)>();
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<(u64, split::Block, Partial)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let (job_rx, plan, cancel) = (&job_rx, &plan, &cancel);
            scope.spawn(move || {
                let mut scratch = Scratch::new(plan);
                loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, block)) = job else { return };
                    if cancel.load(Ordering::Relaxed) {
                        return;
                    }
                    let partial = accumulate_block(plan, &block, n_tables, &mut scratch);
                    if done_tx.send((seq, block, partial)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let result = feed_and_merge(
            &mut splitter,
            &mut merger,
            &job_tx,
            &done_rx,
            workers + 2,
            io_err,
        );
        if result.is_err() {
            cancel.store(true, Ordering::Relaxed);
        }
        drop(job_tx);
        result
    })?;
    merger.finish()
}

/// Sends blocks to the workers (at most `in_flight` at a time) and merges their sums in file
/// order as they come back.
fn feed_and_merge<R: Read>(
    splitter: &mut split::Splitter<R>,
    merger: &mut Merger<'_>,
    job_tx: &mpsc::Sender<(u64, split::Block)>,
    done_rx: &mpsc::Receiver<(u64, split::Block, Partial)>,
    in_flight: usize,
    io_err: impl Fn(std::io::Error) -> Error,
) -> Result<()> {
    let mut waiting: BTreeMap<u64, (split::Block, Partial)> = BTreeMap::new();
    let (mut sent, mut merged) = (0u64, 0u64);
    let mut more = true;
    while more || merged < sent {
        if more && sent - merged < in_flight as u64 {
            match splitter.next_block().map_err(&io_err)? {
                Some(block) => {
                    job_tx
                        .send((sent, block))
                        .map_err(|_| worker_gone(merger.file))?;
                    sent += 1;
                }
                None => more = false,
            }
            continue;
        }
        let (seq, block, partial) = done_rx.recv().map_err(|_| worker_gone(merger.file))?;
        waiting.insert(seq, (block, partial));
        while let Some((block, partial)) = waiting.remove(&merged) {
            merger.add(partial, &block)?;
            splitter.recycle(block.bytes);
            merged += 1;
        }
    }
    Ok(())
}

fn worker_gone(file: &str) -> Error {
    Error::Io {
        path: file.to_string(),
        source: std::io::Error::other("a reading thread stopped unexpectedly"),
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::design::DesignSpec;
    use crate::survey::scoring::ScoringRule;

    fn read(
        text: &str,
        design: &DesignSpec,
        scoring: &ScoringRule,
        by: &[Vec<String>],
        rep: Option<&str>,
        block: usize,
        workers: usize,
    ) -> Result<Accumulated> {
        let plan = ReadPlan {
            file: "m.csv",
            design,
            scoring,
            by,
            post: &[],
            rep_prefix: rep,
        };
        accumulate_in_blocks(text.as_bytes(), &plan, block, workers)
    }

    fn design() -> DesignSpec {
        DesignSpec {
            strata: Some("stratum".into()),
            psu: Some("psu".into()),
            weight: "weight".into(),
            fpc: Some("fpc".into()),
        }
    }

    fn fixture(name: &str) -> String {
        let path = format!(
            "{}/tests/fixtures/survey/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() <= 1e-12 * x.abs().max(1.0), "{x} vs {y}");
        }
    }

    /// Cut into many small blocks (on one thread or several), the file gives the strata, PSUs,
    /// domains and cells of one block read row by row, in the same order, with the same sums
    /// up to the order of addition.
    fn same(a: &Accumulated, b: &Accumulated) {
        assert_eq!(a.rows, b.rows);
        assert_eq!(a.psu_stratum, b.psu_stratum);
        assert_eq!(a.strata.len(), b.strata.len());
        for (x, y) in a.strata.iter().zip(&b.strata) {
            assert_eq!((&x.name, x.n_psu), (&y.name, y.n_psu));
            assert_eq!(x.fpc_factor, y.fpc_factor);
        }
        assert_eq!(a.tables.len(), b.tables.len());
        for (x, y) in a.tables.iter().zip(&b.tables) {
            assert_eq!(x.domains, y.domains);
            assert_eq!(x.cell_domain, y.cell_domain);
            assert_eq!(x.cell_psu, y.cell_psu);
            assert_eq!(x.cell_rows, y.cell_rows);
            assert_eq!(x.cell_nonzero, y.cell_nonzero);
            assert_eq!(x.cell_y, y.cell_y);
            close(&x.cell_w, &y.cell_w);
            close(&x.cell_wy, &y.cell_wy);
            close(&x.rep_w, &y.rep_w);
            close(&x.rep_wy, &y.rep_wy);
            assert_eq!(x.rep_rows.len(), y.rep_rows.len());
            for (a, b) in x.rep_rows.iter().zip(&y.rep_rows) {
                assert_eq!(a.len(), b.len());
            }
        }
    }

    #[test]
    fn blocks_merge_to_the_row_by_row_result() {
        let text = fixture("microdata.csv");
        let by = vec![
            vec!["county".to_string()],
            vec!["province".to_string(), "urban".to_string()],
        ];
        let s = ScoringRule::default();
        let whole = read(&text, &design(), &s, &by, None, 1 << 30, 1).expect("whole");
        assert_eq!(whole.rows, 409);
        for (block, workers) in [(97, 1), (97, 3), (1000, 2), (1, 2)] {
            let cut = read(&text, &design(), &s, &by, None, block, workers).expect("cut");
            same(&whole, &cut);
        }
        // CRLF line ends, a blank line and a quoted field: the same sums.
        let crlf = text.replace('\n', "\r\n").replacen("S1,", "\"S1\",", 1);
        let crlf = crlf.replacen("\r\n", "\r\n\r\n", 3);
        for (block, workers) in [(1 << 30, 1), (97, 2)] {
            let cut = read(&crlf, &design(), &s, &by, None, block, workers).expect("crlf");
            same(&whole, &cut);
        }
        let rep = fixture("rep_brr.csv");
        let d = DesignSpec {
            strata: None,
            psu: None,
            weight: "weight".into(),
            fpc: None,
        };
        let s = ScoringRule::Indicator {
            column: "literate".into(),
        };
        let by = vec![vec!["county".to_string()]];
        let whole = read(&rep, &d, &s, &by, Some("repw"), 1 << 30, 1).expect("whole");
        assert_eq!(whole.rep_columns.len(), 8);
        let cut = read(&rep, &d, &s, &by, Some("repw"), 64, 2).expect("cut");
        same(&whole, &cut);
        // Without PSUs every row is its own PSU, across blocks too.
        let d = DesignSpec {
            strata: Some("stratum".into()),
            psu: None,
            weight: "weight".into(),
            fpc: None,
        };
        let s = ScoringRule::default();
        let whole = read(&text, &d, &s, &[], None, 1 << 30, 1).expect("whole");
        assert_eq!(whole.psu_stratum.len(), 409);
        same(&whole, &read(&text, &d, &s, &[], None, 50, 2).expect("cut"));
    }

    /// The first problem in file order is reported, with its file line, however the file is
    /// cut: the lines below are counted by hand (the header is line 1).
    #[test]
    fn the_first_problem_is_found_wherever_the_blocks_are_cut() {
        let head = "stratum,psu,weight,fpc,knowledge,method,spirit,application\n";
        let ok = "S1,1,10,40,30,20,10,10\n";
        let case = |body: &str, needle: &str| {
            let text = format!("{head}{body}");
            for (block, workers) in [(1 << 30, 1), (7, 1), (30, 2), (64, 3)] {
                let e = read(
                    &text,
                    &design(),
                    &ScoringRule::default(),
                    &[],
                    None,
                    block,
                    workers,
                )
                .expect_err(needle)
                .to_string();
                assert!(e.contains(needle), "block {block}: {e} lacks {needle}");
            }
        };
        // Line 5: a weight that is not a number, after 3 good rows.
        case(
            &format!("{ok}{ok}{ok}S1,2,x,40,1,1,1,1\n{ok}"),
            "m.csv:5, column 3 (weight)",
        );
        // Line 6: the stratum's fpc changes from 40 (first read on line 2).
        case(
            &format!("{ok}{ok}{ok}{ok}S1,3,10,41,1,1,1,1\n"),
            "m.csv:6, column 4 (fpc): fpc must be constant within stratum \"S1\": 40 on line 2, found 41",
        );
        // Line 4: a row one field short, before a bad weight on line 5.
        case(
            &format!("{ok}{ok}S1,2,10,40,1,1,1\nS1,2,x,40,1,1,1,1\n"),
            "m.csv:4: expected 8 fields",
        );
        // The weights overflow on line 4 (1e308 each: the third passes 1.8e308).
        let big = "S1,1,1e308,40,30,20,10,10\n";
        case(
            &format!("{ok}{big}{big}{ok}"),
            "m.csv:4, column 3 (weight): the weights sum past",
        );
        // CRLF lines keep their numbers (line 4), quoted or not.
        let crlf = format!("{ok}{ok}S1,2,-1,40,1,1,1,1\n").replace('\n', "\r\n");
        case(&crlf, "m.csv:4, column 3 (weight)");
        case(
            &crlf.replacen("S1", "\"S1\"", 2),
            "m.csv:4, column 3 (weight)",
        );
    }
}
