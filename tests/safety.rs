//! Issue 12, "never lose a user's data": every reproduction of the issue as a case of the
//! bad-input battery — exit status 2 (with file and line where an input is at fault), the
//! protected files byte-identical, nothing written anywhere in the working directory —
//! and the round trips of what litmon writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{refused_in, tempdir, tree, PlanToml};
use crate::litmon;

/// A working directory holding copies of the fixtures the cases use.
fn workdir() -> tempfile::TempDir {
    let dir = tempdir();
    let w = dir.path();
    for (from, to) in [
        ("tests/fixtures/survey/microdata.csv", "m.csv"),
        ("tests/fixtures/survey/population.csv", "pop.csv"),
        ("tests/fixtures/survey/rake_province.csv", "rp.csv"),
        ("tests/fixtures/survey/rep_jkn_rscales.csv", "rs.csv"),
        ("tests/fixtures/sae/covariates.csv", "cov.csv"),
        ("tests/fixtures/obs/wuhai_2022.csv", "o.csv"),
    ] {
        std::fs::copy(from, w.join(to)).expect("copy fixture");
    }
    std::fs::write(w.join("d.toml"), "[design]\nweight = \"weight\"\n").expect("design");
    std::fs::create_dir(w.join("sub")).expect("sub");
    std::fs::create_dir(w.join("data")).expect("data");
    for f in ["jurisdictions.csv", "observations.csv"] {
        std::fs::copy(format!("tests/fixtures/worked/{f}"), w.join("data").join(f))
            .expect("copy worked");
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(w.join("m.csv"), w.join("link.csv")).expect("symlink");
        std::fs::hard_link(w.join("m.csv"), w.join("hard.csv")).expect("hard link");
    }
    dir
}

const EST: &[&str] = &[
    "estimate",
    "--microdata",
    "m.csv",
    "--strata",
    "stratum",
    "--psu",
    "psu",
    "--weight",
    "weight",
    "--score",
    "knowledge+method+spirit+application",
    "--lang",
    "en",
];

fn ok_in(dir: &Path, args: &[&str]) -> (String, String) {
    let out = litmon().current_dir(dir).args(args).output().expect("run");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{args:?}: {err}");
    (String::from_utf8_lossy(&out.stdout).into_owned(), err)
}

fn with(base: &[&str], extra: &[&'static str]) -> Vec<String> {
    base.iter().chain(extra).map(|s| s.to_string()).collect()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn no_command_overwrites_one_of_its_inputs() {
    let dir = workdir();
    let w = dir.path();
    let rep = [
        "--repweights",
        "repw",
        "--reptype",
        "jkn",
        "--rscales",
        "rs.csv",
        "-o",
        "rs.csv",
    ];
    let cases: Vec<Vec<String>> = vec![
        with(EST, &["-o", "m.csv"]),
        with(EST, &["-o", "sub/../m.csv"]),
        with(EST, &["-o", "./m.csv"]),
        with(EST, &["-o", "link.csv"]),
        with(EST, &["-o", "hard.csv"]),
        with(
            EST,
            &[
                "--poststrata",
                "province,urban",
                "--population",
                "pop.csv",
                "-o",
                "pop.csv",
            ],
        ),
        with(
            EST,
            &[
                "--rake",
                "province",
                "--rake-population",
                "rp.csv",
                "-o",
                "sub/../rp.csv",
            ],
        ),
        with(EST, &rep),
        with(EST, &["--design", "d.toml", "-o", "d.toml"]),
        with(
            &["sae", "--year", "2022", "--covariates", "cov.csv"],
            &["-o", "cov.csv"],
        ),
        with(&["assess", "--observations", "o.csv"], &["-o", "o.csv"]),
        with(
            &["assess", "--data", "data"],
            &["-o", "data/observations.csv"],
        ),
        with(
            &["project", "--data", "data"],
            &["-o", "sub/../data/jurisdictions.csv"],
        ),
        with(&["report", "--data", "data"], &["-o", "data"]),
        with(&["report", "--observations", "o.csv"], &["-o", "."]),
    ];
    for args in &cases {
        refused_in(w, &strs(args), &["input file"]);
    }
}

#[test]
fn ids_with_path_separators_or_control_characters_are_refused_at_load() {
    let dir = workdir();
    let w = dir.path();
    for (id, needle) in [
        ("../../../../victim", "path separators"),
        ("/tmp/victim", "path separators"),
        ("a</script>b", "path separators"),
        ("a\\b", "path separators"),
    ] {
        std::fs::write(
            w.join("data/jurisdictions.csv"),
            format!(
                "id,name_zh,name_en,level,parent\n100000,全国,China,national,\n\"{id}\",甲,A,province,100000\n"
            ),
        )
        .expect("registry");
        refused_in(
            w,
            &["assess", "--data", "data", "-o", "out.csv"],
            &["jurisdictions.csv:3", "column 1 (id)", needle],
        );
    }
    std::fs::write(
        w.join("data/jurisdictions.csv"),
        "id,name_zh,name_en,level,parent\n100000,全国,China,national,\n150000,内蒙古\u{1b}[2J,A,province,100000\n",
    )
    .expect("registry");
    refused_in(
        w,
        &["assess", "--data", "data", "--format", "table"],
        &["jurisdictions.csv:3", "column 2 (name_zh)", "U+001B"],
    );
    std::fs::write(
        w.join("data/jurisdictions.csv"),
        "id,name_zh,name_en,level,parent\n100000,全国,China,national,\n150000,\"内蒙\n古\",A,province,100000\n",
    )
    .expect("registry");
    refused_in(
        w,
        &["assess", "--data", "data"],
        &["jurisdictions.csv:3", "U+000A"],
    );
}

/// A registry of the nation and two provinces whose ids slug to the same file name, with
/// observations and a plan each.
fn two_province_data(w: &Path) -> PathBuf {
    let d = w.join("two");
    std::fs::create_dir_all(d.join("plans")).expect("dir");
    std::fs::write(
        d.join("jurisdictions.csv"),
        "id,name_zh,name_en,level,parent\n100000,全国,China,national,\nx:1,甲省,A,province,100000\nx*1,乙省,B,province,100000\n",
    )
    .expect("registry");
    std::fs::write(
        d.join("observations.csv"),
        "jurisdiction,indicator,year,value,se,n,source\nx:1,literacy_rate,2020,8.0,,,s\nx:1,literacy_rate,2022,9.5,,,s\nx*1,literacy_rate,2020,6.0,,,s\nx*1,literacy_rate,2022,6.5,,,s\n",
    )
    .expect("observations");
    for (k, id) in ["x:1", "x*1"].iter().enumerate() {
        std::fs::write(
            d.join("plans").join(format!("p{k}.toml")),
            PlanToml::new(id, &format!("方案{k}"))
                .literacy(None, (2025, 12.0))
                .text(),
        )
        .expect("plan");
    }
    d
}

#[test]
fn chart_file_names_are_safe_slugs_inside_the_output_directory() {
    let dir = tempdir();
    let w = dir.path();
    two_province_data(w);
    let before = tree(w);
    ok_in(
        w,
        &[
            "chart",
            "--data",
            "two",
            "--kind",
            "trajectory",
            "--jurisdiction",
            "x:1",
            "--jurisdiction",
            "x*1",
            "--format",
            "svg",
            "-o",
            "out",
        ],
    );
    let mut after = tree(w);
    for k in before.keys() {
        after.remove(k);
    }
    let names: Vec<&String> = after.keys().collect();
    // Code and name, made safe: `x:1` 甲省 → x_1_甲省.
    assert_eq!(names, ["out/", "out/x_1_乙省.svg", "out/x_1_甲省.svg"]);
}

#[test]
fn a_report_directory_is_replaced_whole_and_never_holds_stale_files() {
    let dir = tempdir();
    let w = dir.path();
    two_province_data(w);
    let listing = |d: &Path| -> Vec<String> { tree(d).into_keys().collect() };
    ok_in(w, &["report", "--data", "two", "-o", "rep"]);
    let full = listing(&w.join("rep"));
    assert!(
        full.contains(&"charts/trajectory-x_1.svg".to_string()),
        "{full:?}"
    );
    assert!(
        full.contains(&"charts/trajectory-x_1-2.svg".to_string()),
        "{full:?}"
    );
    // A narrower rerun leaves exactly the files of a fresh narrower run.
    ok_in(
        w,
        &[
            "report",
            "--data",
            "two",
            "--jurisdiction",
            "x:1",
            "-o",
            "rep",
        ],
    );
    ok_in(
        w,
        &[
            "report",
            "--data",
            "two",
            "--jurisdiction",
            "x:1",
            "-o",
            "fresh",
        ],
    );
    let narrow = listing(&w.join("rep"));
    assert_eq!(narrow, listing(&w.join("fresh")));
    assert!(!narrow.contains(&"charts/trajectory-x_1-2.svg".to_string()));
    // No temporary sibling is left behind.
    let mut top: Vec<String> = std::fs::read_dir(w)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["fresh", "rep", "two"]);
    // A directory holding the user's own files is never replaced.
    std::fs::write(w.join("rep/notes.txt"), "mine").expect("write");
    refused_in(
        w,
        &["report", "--data", "two", "-o", "rep"],
        &["notes.txt", "new or empty directory"],
    );
}

#[cfg(unix)]
#[test]
fn special_files_are_written_in_place_or_refused() {
    use std::os::unix::fs::FileTypeExt;
    let dir = workdir();
    let w = dir.path();
    // A symlink to a character device stays a symlink, and the device a device.
    std::os::unix::fs::symlink("/dev/null", w.join("null")).expect("symlink");
    ok_in(w, &["assess", "--format", "csv", "-o", "null"]);
    assert!(std::fs::symlink_metadata(w.join("null"))
        .expect("meta")
        .is_symlink());
    // -o /dev/stdout writes to standard output.
    let (out, _) = ok_in(w, &["assess", "--format", "csv", "-o", "/dev/stdout"]);
    assert!(out.starts_with("jurisdiction,name_zh,"), "{out}");
    // A FIFO is written, not replaced.
    let fifo = w.join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read fifo"))
        };
        ok_in(w, &["assess", "--format", "csv", "-o", "pipe"]);
        let text = reader.join().expect("reader");
        assert!(text.starts_with("jurisdiction,name_zh,"), "{text}");
        assert!(std::fs::symlink_metadata(&fifo)
            .expect("meta")
            .file_type()
            .is_fifo());
    }
    // A directory, a path under a file and a dangling link are refused.
    refused_in(w, &["assess", "-o", "sub"], &["sub", "is a directory"]);
    refused_in(
        w,
        &["assess", "-o", "o.csv/x.csv"],
        &["is a file, not a directory"],
    );
    std::os::unix::fs::symlink(w.join("nowhere/x"), w.join("dangling")).expect("symlink");
    refused_in(w, &["assess", "-o", "dangling"], &["does not exist"]);
}

#[test]
fn observations_csv_is_read_strictly() {
    let dir = workdir();
    let w = dir.path();
    let h = "jurisdiction,indicator,year,value,se,n,source\n";
    std::fs::write(
        w.join("quote.csv"),
        format!("{h}150300,literacy_rate,2021,9.5,,,a\n150300,literacy_rate,2022,9.8,,,\"unclosed\n150000,literacy_rate,2022,9.0,,,c\n"),
    )
    .expect("write");
    refused_in(
        w,
        &["assess", "--observations", "quote.csv"],
        &["quote.csv:3", "never closed"],
    );
    std::fs::write(
        w.join("long.csv"),
        format!("{h}150300,literacy_rate,2022,9.8,,,a,extra\n"),
    )
    .expect("write");
    refused_in(
        w,
        &["assess", "--observations", "long.csv"],
        &["long.csv:2, column 8", "8 fields but the header has 7"],
    );
    // Trailing empty fields are no data and are accepted.
    std::fs::write(
        w.join("trailing.csv"),
        format!("{h}150300,literacy_rate,2022,9.8,,,a,,\n"),
    )
    .expect("write");
    ok_in(w, &["assess", "--observations", "trailing.csv"]);
    // Old Mac line ends: errors still name their line.
    std::fs::write(
        w.join("cr.csv"),
        format!("{h}150300,literacy_rate,2021,9.5,,,a\r150300,literacy_rate,2022,abc,,,b\r")
            .replace('\n', "\r"),
    )
    .expect("write");
    refused_in(
        w,
        &["assess", "--observations", "cr.csv"],
        &["cr.csv:3, column 4 (value)", "\"abc\""],
    );
    // A semicolon-separated file is named as such.
    std::fs::write(
        w.join("semi.csv"),
        "jurisdiction;year;value\n150300;2022;9.8\n",
    )
    .expect("write");
    refused_in(
        w,
        &["assess", "--observations", "semi.csv"],
        &["semi.csv:1", "semicolon-separated"],
    );
}

#[test]
fn ambiguous_names_and_conflicting_plans_are_errors() {
    let dir = workdir();
    let w = dir.path();
    let d = w.join("cy");
    std::fs::create_dir(&d).expect("dir");
    std::fs::write(
        d.join("jurisdictions.csv"),
        "id,name_zh,name_en,level,parent\n100000,全国,China,national,\n110000,北京市,Beijing,province,100000\n210000,辽宁省,Liaoning,province,100000\n211300,朝阳市,Chaoyang,prefecture,210000\n110105,朝阳区,Chaoyang District,county,110000\n211303,朝阳区,Chaoyang District,county,211300\n",
    )
    .expect("registry");
    std::fs::write(
        d.join("observations.csv"),
        "jurisdiction,year,value\n110105,2022,20.1\n朝阳区,2022,9.1\n",
    )
    .expect("observations");
    refused_in(
        w,
        &["assess", "--data", "cy"],
        &[
            "observations.csv:3",
            "ambiguous",
            "110105",
            "211303",
            "write the code",
        ],
    );
    std::fs::write(
        d.join("observations.csv"),
        "jurisdiction,year,value\n110105,2022,20.1\n",
    )
    .expect("observations");
    refused_in(
        w,
        &[
            "chart",
            "--data",
            "cy",
            "--kind",
            "dashboard",
            "--parent",
            "朝阳区",
            "-o",
            "x.svg",
        ],
        &["--parent", "ambiguous", "110105", "211303"],
    );
    // Two user plans for one jurisdiction with different 2025 targets.
    let plan = |v: f64| {
        PlanToml::new("150300", "乌海")
            .literacy(None, (2025, v))
            .text()
    };
    std::fs::write(w.join("a.toml"), plan(12.0)).expect("plan");
    std::fs::write(w.join("b.toml"), plan(13.0)).expect("plan");
    refused_in(
        w,
        &["assess", "--plans", "a.toml", "--plans", "b.toml"],
        &["b.toml:12", "conflicting plans", "a.toml:12", "12", "13"],
    );
    // One user plan correcting the embedded default is a note, not an error.
    let (_, err) = ok_in(
        w,
        &[
            "assess", "--lang", "en", "--plans", "b.toml", "--format", "csv",
        ],
    );
    assert!(
        err.contains("note: b.toml overrides literacy_rate of 150300 (2021–2025)"),
        "{err}"
    );
}

#[test]
fn control_characters_in_plans_and_toml_comments_are_named() {
    let dir = workdir();
    let w = dir.path();
    std::fs::write(
        w.join("esc.toml"),
        "[plan]\njurisdiction = \"150300\"\ntitle_zh = \"乌海\\u001b[2J\"\nperiod = [2021, 2025]\n",
    )
    .expect("plan");
    refused_in(
        w,
        &["assess", "--plans", "esc.toml"],
        &["esc.toml:3", "plan.title_zh", "U+001B"],
    );
    std::fs::write(
        w.join("comment.toml"),
        "# a comment with a bell \u{7}\n[plan]\njurisdiction = \"150300\"\n",
    )
    .expect("plan");
    let err = refused_in(
        w,
        &["assess", "--plans", "comment.toml"],
        &["comment.toml:1"],
    );
    let reason = err.split("comment.toml:1").nth(1).unwrap_or("");
    assert!(
        reason.trim_start_matches([',', ':', ' ']).len() > 20,
        "{err}"
    );
}

#[test]
fn csv_outputs_neutralise_formulas_and_keep_numbers_exact() {
    let dir = workdir();
    let w = dir.path();
    let d = w.join("inj");
    std::fs::create_dir_all(d.join("plans")).expect("dir");
    std::fs::write(
        d.join("jurisdictions.csv"),
        "id,name_zh,name_en,level,parent\n100000,全国,China,national,\n150000,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",A,province,100000\n",
    )
    .expect("registry");
    std::fs::write(
        d.join("observations.csv"),
        "jurisdiction,year,value,se\n150000,2020,8.5,0.3\n150000,2022,9.123456789012345,0.5\n",
    )
    .expect("obs");
    std::fs::write(
        d.join("plans/p.toml"),
        "[plan]\njurisdiction = \"150000\"\ntitle_zh = \"方案\"\nperiod = [2021, 2025]\n\n[[indicator]]\nid = \"literacy_rate\"\nname_zh = \"比例\"\nunit = \"pct\"\nkind = \"level\"\ndirection = \"increase\"\ntarget = { year = 2025, value = 12.0 }\n",
    )
    .expect("plan");
    let (csv, _) = ok_in(w, &["assess", "--data", "inj", "--format", "csv"]);
    assert!(
        csv.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","),
        "{csv}"
    );
    assert!(!csv.contains(",\"=HYPERLINK"), "{csv}");
    // Numbers keep every digit (no rounding to 10 decimals): the latest value is the
    // input's 9.123456789012345 to a few ulps (assess rescales it).
    let latest: f64 = csv
        .lines()
        .nth(1)
        .and_then(|l| l.split(",literacy_rate,2020,8.5,2022,").nth(1))
        .and_then(|r| r.split(',').next())
        .and_then(|v| v.parse().ok())
        .expect("latest");
    assert!((latest - 9.123456789012345).abs() < 1e-14, "{latest}");
}

#[test]
fn io_errors_exit_2_and_print_the_os_text_once() {
    let dir = workdir();
    let w = dir.path();
    let err = refused_in(w, &["assess", "--observations", "sub"], &["sub"]);
    assert!(!err.contains("panicked"));
    let err = refused_in(
        w,
        &["assess", "--observations", "missing.csv"],
        &["missing.csv"],
    );
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("loop2", w.join("loop1")).expect("symlink");
        std::os::unix::fs::symlink("loop1", w.join("loop2")).expect("symlink");
        refused_in(w, &["assess", "--observations", "loop1"], &["loop1"]);
        refused_in(w, &["assess", "-o", "loop1"], &["loop1"]);
        // sysfs never takes a new regular file, not even from root: permission denied (EACCES)
        // is an output problem of the user's choosing, exit 2, and the OS text appears once.
        let err = refused_in(
            w,
            &["assess", "--format", "csv", "-o", "/sys/litmon-test.csv"],
            &["/sys/litmon-test.csv"],
        );
        assert_eq!(err.matches("os error").count(), 1, "{err}");
        assert!(!Path::new("/sys/litmon-test.csv").exists());
    }
}

#[test]
fn registry_levels_bound_the_parent_chain() {
    let dir = workdir();
    let w = dir.path();
    std::fs::write(
        w.join("data/jurisdictions.csv"),
        "id,name_zh,name_en,level,parent\n100000,全国,China,national,\n150000,内蒙古,A,province,100000\n150300,乌海,B,county,150000\n150301,海勃湾,C,county,150300\n",
    )
    .expect("registry");
    refused_in(
        w,
        &["assess", "--data", "data"],
        &[
            "jurisdictions.csv:5",
            "150301 is a county whose parent 150300 is a county",
        ],
    );
    // A chain 30,000 deep is refused at its second link, without walking it.
    let mut reg = String::from(
        "id,name_zh,name_en,level,parent\n100000,全国,China,national,\nc0,c0,,county,100000\n",
    );
    for i in 1..30_000 {
        reg.push_str(&format!("c{i},c{i},,county,c{}\n", i - 1));
    }
    std::fs::write(w.join("data/jurisdictions.csv"), reg).expect("registry");
    refused_in(
        w,
        &["assess", "--data", "data"],
        &["jurisdictions.csv:4", "is a county"],
    );
}

#[test]
fn oversized_inputs_are_refused_with_a_clear_message() {
    let dir = workdir();
    let w = dir.path();
    // An endless stream of NULs stops at its first bytes; a file over the cap is refused
    // from its size (a sparse file: nothing is read).
    #[cfg(target_os = "linux")]
    refused_in(
        w,
        &["assess", "--observations", "/dev/zero"],
        &["/dev/zero:1", "NUL character"],
    );
    let big = std::fs::File::create(w.join("big.csv")).expect("create");
    big.set_len(300 << 20).expect("sparse");
    drop(big);
    refused_in(
        w,
        &["assess", "--observations", "big.csv"],
        &["big.csv", "larger than 256 MB"],
    );
    // An xlsx whose one part expands past the cap (a ZIP bomb in miniature).
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/worksheets/sheet1.xml", opts)
        .expect("zip");
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..70 {
        std::io::Write::write_all(&mut zip, &chunk).expect("zip");
    }
    let bytes = zip.finish().expect("zip").into_inner();
    assert!(bytes.len() < 1 << 20);
    std::fs::write(w.join("bomb.xlsx"), bytes).expect("write");
    refused_in(
        w,
        &["assess", "--observations", "bomb.xlsx"],
        &["bomb.xlsx", "expands to more than 64 MB"],
    );
    // Thousands of unknown columns: one summarising warning, not thousands.
    let mut header = String::from("jurisdiction,year,value");
    let mut row = String::from("150300,2022,9.8");
    for i in 0..5000 {
        header.push_str(&format!(",extra{i}"));
        row.push(',');
    }
    std::fs::write(w.join("wide.csv"), format!("{header}\n{row}\n")).expect("write");
    let (_, err) = ok_in(
        w,
        &[
            "assess",
            "--lang",
            "en",
            "--observations",
            "wide.csv",
            "--format",
            "csv",
        ],
    );
    assert!(err.contains("5000 unknown columns are ignored"), "{err}");
    assert!(err.len() < 2000, "{} bytes of warnings", err.len());
    // A huge cell is echoed cut short.
    let cell = "x".repeat(1_000_000);
    std::fs::write(
        w.join("huge.csv"),
        format!("jurisdiction,year,value\n150300,2022,{cell}\n"),
    )
    .expect("write");
    let err = refused_in(
        w,
        &["assess", "--observations", "huge.csv"],
        &["huge.csv:2", "(1000000 characters)"],
    );
    assert!(err.len() < 1000, "{} bytes", err.len());
}

/// 419 prefectures of one national survey, from under 1 % to over 40 %: estimate
/// `--to-observations` then assess with a registry and plans gives every prefecture a
/// status (the fraction check compares a value only with its own series).
#[test]
fn national_survey_pipeline_gives_every_prefecture_a_status() {
    let dir = tempdir();
    let w = dir.path();
    let mut micro = String::from("stratum,psu,weight,pref,score\n");
    for p in 0..419u32 {
        // Literate shares from 1/150 to 65/150.
        let literate = 1 + (p * 64) / 418;
        for i in 0..150u32 {
            let psu = i % 2;
            let score = if i < literate { 80 } else { 40 };
            micro.push_str(&format!("S{p},{psu},{},P{p:03},{score}\n", 100 + i % 7));
        }
    }
    std::fs::write(w.join("m.csv"), micro).expect("microdata");
    // The registry that knows the prefectures, given to estimate too: its observations rows
    // are checked against it (--to-observations writes only rows the loader reads).
    let d = w.join("nat");
    std::fs::create_dir_all(d.join("plans")).expect("dir");
    let mut reg = String::from("id,name_zh,name_en,level,parent\n100000,全国,China,national,\n");
    for p in 0..419 {
        reg.push_str(&format!("P{p:03},地区{p},,prefecture,100000\n"));
        std::fs::write(
            d.join("plans").join(format!("P{p:03}.toml")),
            format!(
                "[plan]\njurisdiction = \"P{p:03}\"\ntitle_zh = \"方案\"\nperiod = [2021, 2025]\n\n[[indicator]]\nid = \"literacy_rate\"\nname_zh = \"比例\"\nunit = \"pct\"\nkind = \"level\"\ndirection = \"increase\"\ntarget = {{ year = 2025, value = 45.0 }}\n"
            ),
        )
        .expect("plan");
    }
    std::fs::write(d.join("jurisdictions.csv"), reg).expect("registry");
    ok_in(
        w,
        &[
            "estimate",
            "--data",
            "nat",
            "--microdata",
            "m.csv",
            "--strata",
            "stratum",
            "--psu",
            "psu",
            "--weight",
            "weight",
            "--score",
            "score",
            "--by",
            "pref",
            "--to-observations",
            "2022",
            "-o",
            "est.csv",
        ],
    );
    let (csv, _) = ok_in(
        w,
        &[
            "assess",
            "--data",
            "nat",
            "--observations",
            "est.csv",
            "--format",
            "csv",
        ],
    );
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let status = rdr
        .headers()
        .expect("header")
        .iter()
        .position(|h| h == "status")
        .expect("status column");
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 419);
    assert!(rows.iter().all(|r| !r[status].is_empty()));
    let latest: Vec<f64> = rows
        .iter()
        .map(|r| r[6].parse::<f64>().expect("latest"))
        .collect();
    assert!(latest.iter().any(|&v| v < 1.0) && latest.iter().any(|&v| v > 40.0));
}

/// `estimate` CSV output agrees with R `survey` (tests/fixtures/survey/expected.csv,
/// scenario adjust_fpc) at 1e-12 relative for every domain, the smallest included (an
/// estimate of 0, which R gives as rounding noise of 1e-15, within 1e-12 points).
#[test]
fn estimate_csv_agrees_with_r_at_1e_12() {
    let out = litmon()
        .args([
            "estimate",
            "--microdata",
            "tests/fixtures/survey/microdata.csv",
            "--strata",
            "stratum",
            "--psu",
            "psu",
            "--weight",
            "weight",
            "--fpc",
            "fpc",
            "--score",
            "knowledge+method+spirit+application",
            "--lonely-psu",
            "adjust",
            "--by",
            "province",
            "--by",
            "county",
            "--by",
            "county,urban",
            "--format",
            "csv",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut ours: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let mut rdr = csv::Reader::from_reader(out.stdout.as_slice());
    for r in rdr.records() {
        let r = r.expect("row");
        let num = |i: usize| r[i].parse::<f64>().unwrap_or(f64::NAN);
        ours.insert(r[0].to_string(), (num(3), num(4)));
    }
    let mut rdr = csv::Reader::from_path("tests/fixtures/survey/expected.csv").expect("fixture");
    let mut compared = 0;
    for r in rdr.records() {
        let r = r.expect("row");
        if &r[0] != "adjust_fpc" {
            continue;
        }
        let (est, se) = ours
            .get(&r[2])
            .unwrap_or_else(|| panic!("no domain {}", &r[2]));
        for (mine, theirs) in [(*est, &r[6]), (*se, &r[7])] {
            let theirs = 100.0 * theirs.parse::<f64>().expect("R value");
            // Relative 1e-12; R's rounding noise around an estimate of 0 (1e-15) within
            // 1e-12 percentage points.
            let tol = (1e-12 * theirs.abs()).max(1e-12);
            assert!(
                (mine - theirs).abs() <= tol || (mine == 0.0 && theirs == 0.0),
                "{}: {mine} vs R {theirs}",
                &r[2]
            );
        }
        compared += 1;
    }
    assert_eq!(compared, 55);
}

mod round_trip {
    use litmon::data::{build, Input, Sources};
    use litmon::output::{Cell, Table};
    use proptest::prelude::*;

    /// Ids a registry accepts: no path separators, no control characters, no
    /// surrounding spaces; formula-like starts (`=`, `-`, `+`, `@`) included.
    fn id() -> impl Strategy<Value = String> {
        "[=+@a-zA-Z0-9 ,\"'乌海市;:-]{1,10}"
            .prop_filter("trimmed", |s| s.trim() == s && !s.is_empty())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// A registry and observations written by litmon's CSV writer load back with
        /// every id and every value (0–100) exactly as written.
        #[test]
        fn observations_written_by_litmon_load_back(
            rows in proptest::collection::btree_map(id(), (0.0f64..=100.0, proptest::option::of(0.0f64..=50.0)), 1..12)
        ) {
            let mut reg = Table::new(vec!["id", "name_zh", "name_en", "level", "parent"]);
            reg.rows.push(vec![Cell::text("100000"), Cell::text("全国"), Cell::Empty, Cell::text("national"), Cell::Empty]);
            let mut obs = Table::new(vec!["jurisdiction", "indicator", "year", "value", "se", "n", "source"]);
            for (k, (id, (v, se))) in rows.iter().enumerate() {
                if id == "100000" { continue; }
                reg.rows.push(vec![Cell::text(id), Cell::text(format!("名{k}")), Cell::Empty, Cell::text("prefecture"), Cell::text("100000")]);
                obs.rows.push(vec![Cell::text(id), Cell::text("literacy_rate"), Cell::Int(2022), Cell::Num(*v), Cell::opt_num(*se), Cell::Int(300), Cell::text("=litmon estimate")]);
            }
            prop_assume!(!obs.rows.is_empty());
            let text = |t: &Table| String::from_utf8(t.to_csv()).expect("utf-8");
            let sources = Sources {
                jurisdictions: vec![Input::new("j.csv", text(&reg))],
                observations: vec![Input::new("o.csv", text(&obs))],
                plans: Vec::new(),
                notes: Vec::new(),
            };
            let ds = build(&sources).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(ds.observations.len(), obs.rows.len());
            for o in &ds.observations {
                let (v, se) = rows.get(&o.jurisdiction).expect("id read back");
                // Written to 15 significant digits (issue 22), read back exactly as written.
                let s15 = litmon::model::format::significant_15;
                prop_assert_eq!(o.value.to_bits(), s15(*v).to_bits());
                prop_assert_eq!(o.se.map(f64::to_bits), se.map(|x| s15(x).to_bits()));
                prop_assert_eq!(&o.source, "=litmon estimate");
            }
        }
    }
}

/// A workbook of observation sheets: (name, rows, hidden, active); `date_value` formats
/// the value cells as dates.
fn workbook(sheets: &[(&str, &[[&str; 3]], bool, bool)], date_value: bool) -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows, hidden, active) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).expect("name");
        for (c, h) in ["jurisdiction", "year", "value"].iter().enumerate() {
            sheet.write_string(0, c as u16, *h).expect("header");
        }
        for (r, row) in rows.iter().enumerate() {
            let r = r as u32 + 1;
            sheet.write_string(r, 0, row[0]).expect("id");
            sheet
                .write_number(r, 1, row[1].parse::<f64>().expect("year"))
                .expect("year");
            let v = row[2].parse::<f64>().expect("value");
            if date_value {
                sheet
                    .write_number_with_format(r, 2, v, &date)
                    .expect("value");
            } else {
                sheet.write_number(r, 2, v).expect("value");
            }
        }
        if *hidden {
            sheet.set_hidden(true);
        }
        if *active {
            sheet.set_active(true);
        }
    }
    book.save_to_buffer().expect("xlsx")
}

#[test]
fn xlsx_reads_the_active_visible_sheet_and_refuses_date_values() {
    let dir = workdir();
    let w = dir.path();
    // A hidden first sheet (a lookup table, say) and the visible, active data sheet.
    let bytes = workbook(
        &[
            ("lookup", &[["150300", "2022", "55"]], true, false),
            ("data", &[["150300", "2022", "10.9"]], false, true),
        ],
        false,
    );
    std::fs::write(w.join("two.xlsx"), bytes).expect("write");
    let (csv, _) = ok_in(
        w,
        &["assess", "--observations", "two.xlsx", "--format", "csv"],
    );
    let row = csv
        .lines()
        .find(|l| l.starts_with("150300,"))
        .expect("乌海 row");
    assert!(row.contains(",2022,10.9,"), "{row}");
    // With two visible sheets the active one is read, not the first.
    let bytes = workbook(
        &[
            ("old", &[["150300", "2022", "55"]], false, false),
            ("data", &[["150300", "2022", "10.9"]], false, true),
        ],
        false,
    );
    std::fs::write(w.join("active.xlsx"), bytes).expect("write");
    let (csv, _) = ok_in(
        w,
        &["assess", "--observations", "active.xlsx", "--format", "csv"],
    );
    assert!(csv.contains(",2022,10.9,"), "{csv}");
    // A value cell formatted as a date is refused, not read as its serial number.
    let bytes = workbook(
        &[("data", &[["150300", "2022", "10.9"]], false, true)],
        true,
    );
    std::fs::write(w.join("date.xlsx"), bytes).expect("write");
    refused_in(
        w,
        &["assess", "--observations", "date.xlsx"],
        &["date.xlsx:2", "column 3 (value)", "date-formatted"],
    );
}

#[test]
fn the_terminal_view_never_passes_escape_sequences() {
    use litmon::output::{Cell, Format, Table};
    let mut t = Table::new(vec!["domain", "est"]);
    t.rows
        .push(vec![Cell::text("C\u{1b}[2J\u{7}1"), Cell::Num(1.5)]);
    let out = String::from_utf8(t.render(Format::Table).expect("render")).expect("utf-8");
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    assert!(out.contains("C\u{FFFD}[2J\u{FFFD}1"), "{out}");
}

#[test]
fn survey_numbers_that_cannot_be_true_are_refused() {
    let dir = workdir();
    let w = dir.path();
    let head = "stratum,psu,weight,score\n";
    let base = "S1,1,10,80\nS1,2,12,40\nS2,3,11,75\nS2,4,9,30\n";
    let args = [
        "estimate",
        "--microdata",
        "x.csv",
        "--strata",
        "stratum",
        "--psu",
        "psu",
        "--weight",
        "weight",
        "--score",
        "score",
    ];
    for (row, needles) in [
        (
            "S2,4,9,NaN\n",
            &["x.csv:6", "column 4 (score)", "finite score"][..],
        ),
        ("S2,4,9,inf\n", &["x.csv:6", "finite score"][..]),
        (
            "S2,4,1e308,50\n",
            &["x.csv:5", "weights sum past", "(weight 1e308)"][..],
        ),
    ] {
        let text = if row.contains("1e308") {
            format!("{head}S1,1,1e308,80\nS1,2,12,40\nS2,3,11,75\n{row}")
        } else {
            format!("{head}{base}{row}")
        };
        std::fs::write(w.join("x.csv"), text).expect("write");
        refused_in(w, &args, needles);
    }
    // Raking margins of two different populations.
    std::fs::write(w.join("urban.csv"), "urban,Freq\n0,100000\n1,200000\n").expect("write");
    let out = litmon()
        .current_dir(w)
        .args(EST)
        .args([
            "--rake",
            "province",
            "--rake-population",
            "rp.csv",
            "--rake",
            "urban",
            "--rake-population",
            "urban.csv",
        ])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("urban.csv") && err.contains("do not describe one population"),
        "{err}"
    );
    assert!(err.contains("300000") && err.contains("rp.csv"), "{err}");
}

/// Near 0 % the delta-method root MSE of a Fay–Herriot EBLUP tends to 0: a warning says
/// it is a lower bound.
#[test]
fn sae_at_the_edge_of_0_percent_warns_about_its_rmse() {
    let dir = tempdir();
    let w = dir.path();
    let direct = std::fs::read_to_string("tests/fixtures/sae/direct_2022.csv").expect("fixture");
    let mut lines = direct.lines();
    let mut text = format!("{}\n", lines.next().expect("header"));
    let mut edge = String::new();
    for (k, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        // Every area at 0.3 % with n = 400: the EBLUPs stay near 0.
        text.push_str(&format!("{},literacy_rate,2022,0.3,,400,s\n", cells[0]));
        if k == 0 {
            edge = cells[0].to_string();
        }
    }
    std::fs::write(w.join("direct.csv"), text).expect("write");
    let root = std::env::current_dir().expect("cwd");
    let out = crate::common::litmon_en()
        .current_dir(w)
        .arg("--data")
        .arg(root.join("tests/fixtures/sae/data"))
        .args([
            "--observations",
            "direct.csv",
            "sae",
            "--year",
            "2022",
            "--covariates",
        ])
        .arg(root.join("tests/fixtures/sae/covariates.csv"))
        .args(["--format", "csv"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("within 0.5 points of 0 % or 100 %"), "{err}");
    assert!(err.contains(&edge) && err.contains("lower bound"), "{err}");
}

/// A formula whose value was never calculated (a workbook written by a script) is named,
/// not read as an empty cell.
#[test]
fn xlsx_formulas_without_a_saved_value_are_named() {
    let dir = workdir();
    let w = dir.path();
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row><row r="2"><c r="A2"><v>150300</v></c><c r="B2"><v>2022</v></c><c r="C2"><f>A9*2</f></c></row></sheetData></worksheet>"#;
    let strings = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>jurisdiction</t></si><si><t>year</t></si><si><t>value</t></si></sst>"#;
    std::fs::write(w.join("f.xlsx"), crate::io::packed_workbook(sheet, strings)).expect("write");
    refused_in(
        w,
        &["assess", "--observations", "f.xlsx"],
        &["f.xlsx", "cell C2 holds a formula without a saved value"],
    );
    // With its cached value the same formula reads as that value.
    let sheet = sheet.replace("<f>A9*2</f>", "<f>A9*2</f><v>10.9</v>");
    std::fs::write(
        w.join("g.xlsx"),
        crate::io::packed_workbook(&sheet, strings),
    )
    .expect("write");
    let (csv, _) = ok_in(
        w,
        &["assess", "--observations", "g.xlsx", "--format", "csv"],
    );
    assert!(csv.contains(",2022,10.9,"), "{csv}");
}

/// Found by fuzzing (fuzz/regressions/microdata_loader/): a domain whose Clopper–Pearson
/// bound needs qbeta(0.025, 1.01, 7.4e6) made `estimate` run for minutes. The quantiles of
/// such Beta distributions come from the bounded solver and still invert the CDF.
#[test]
fn clopper_pearson_with_a_huge_effective_n_finishes() {
    use litmon::survey::ci::qbeta;
    use statrs::distribution::{Beta, ContinuousCDF};
    for (q, a, b) in [
        (0.025, 1.0104881853139565, 7_399_610.887_356_59),
        (0.975, 2.0104881853139565, 7_399_609.887_356_59),
        (0.025, 50.0, 2e5),
        (0.975, 2e5, 50.0),
    ] {
        let x = qbeta(q, a, b);
        let p = Beta::new(a, b).expect("beta").cdf(x);
        assert!(
            (p - q).abs() < 1e-9 * q.max(1e-3),
            "qbeta({q}, {a}, {b}) = {x}: cdf {p}"
        );
    }
    // The fuzzed file holds bytes that are not UTF-8 and control characters in `--by`
    // values (column urban), errors since issue 20; each such byte is replaced by `1` so the
    // estimate still runs into the interval that once hung.
    let dir = tempdir();
    let fixed: Vec<u8> = std::fs::read("fuzz/regressions/microdata_loader/hang-inv_beta_reg.csv")
        .expect("fixture")
        .into_iter()
        .map(|b| {
            if (0x20..0x80).contains(&b) || b == b'\n' || b == b'\r' {
                b
            } else {
                b'1'
            }
        })
        .collect();
    let file = dir.path().join("hang.csv");
    std::fs::write(&file, fixed).expect("write");
    let out = litmon()
        .args([
            "estimate",
            "--microdata",
            file.to_str().expect("utf-8 path"),
            "--strata",
            "stratum",
            "--psu",
            "psu",
            "--weight",
            "weight",
            "--fpc",
            "fpc",
            "--by",
            "county",
            "--by",
            "county,urban",
            "--lonely-psu",
            "adjust",
            "--format",
            "csv",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Issue 20, item 1: a report replaces only what a report wrote — a user's file inside
/// `charts/` or `tables/` (with or without an earlier report there), or a report file edited
/// since, is named and nothing is deleted.
#[test]
fn a_report_never_deletes_a_file_it_did_not_write() {
    let dir = tempdir();
    let w = dir.path();
    two_province_data(w);
    std::fs::create_dir_all(w.join("d/charts")).expect("dir");
    std::fs::create_dir_all(w.join("d/tables")).expect("dir");
    std::fs::write(w.join("d/charts/thesis.png"), "x").expect("write");
    std::fs::write(w.join("d/tables/budget.xlsx"), "y").expect("write");
    refused_in(
        w,
        &["report", "--data", "two", "-o", "d"],
        &["charts/thesis.png", "did not write"],
    );
    ok_in(w, &["report", "--data", "two", "-o", "rep"]);
    std::fs::write(w.join("rep/tables/mine.csv"), "a,b\n").expect("write");
    refused_in(
        w,
        &["report", "--data", "two", "-o", "rep"],
        &["tables/mine.csv", "did not write"],
    );
    std::fs::remove_file(w.join("rep/tables/mine.csv")).expect("remove");
    let mut md = std::fs::read(w.join("rep/report.md")).expect("read");
    md.extend_from_slice(b"\nmy notes\n");
    std::fs::write(w.join("rep/report.md"), md).expect("write");
    refused_in(
        w,
        &["report", "--data", "two", "-o", "rep"],
        &["report.md", "changed since"],
    );
}

/// Issue 20, item 2: a chart file name litmon makes up is never followed through a symlink.
#[cfg(unix)]
#[test]
fn made_up_chart_names_are_never_followed_through_a_symlink() {
    let dir = tempdir();
    let w = dir.path();
    two_province_data(w);
    std::fs::create_dir(w.join("out")).expect("dir");
    std::fs::write(w.join("victim.svg"), "precious").expect("write");
    std::os::unix::fs::symlink("../victim.svg", w.join("out/x_1_甲省.svg")).expect("symlink");
    refused_in(
        w,
        &[
            "chart",
            "--data",
            "two",
            "--kind",
            "trajectory",
            "--jurisdiction",
            "x:1",
            "--jurisdiction",
            "x*1",
            "--format",
            "svg",
            "-o",
            "out/",
        ],
        &["x_1_甲省.svg", "symbolic link"],
    );
}

/// Issue 20, item 3: `report -o .` (or an ancestor of the working directory) is refused, so
/// the shell is never left in a deleted directory.
#[test]
fn a_report_never_replaces_the_working_directory() {
    let dir = tempdir();
    let w = dir.path();
    std::fs::create_dir(w.join("e")).expect("dir");
    let e = w.join("e");
    refused_in(&e, &["report", "-o", "."], &["current directory"]);
    refused_in(&e, &["report", "-o", ".."], &["current directory"]);
    assert!(e.is_dir());
}

/// Issue 20, item 4: new files and directories follow the umask; a replaced file keeps its
/// mode.
#[cfg(unix)]
#[test]
fn outputs_honour_the_umask_and_keep_an_existing_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = workdir();
    let w = dir.path();
    let bin = assert_cmd::cargo::cargo_bin("litmon");
    let run = |umask: &str, args: &[&str]| {
        let st = std::process::Command::new("sh")
            .current_dir(w)
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
            .arg(&bin)
            .args(args)
            .output()
            .expect("run");
        assert!(
            st.status.success(),
            "{}",
            String::from_utf8_lossy(&st.stderr)
        );
    };
    let mode = |p: &str| {
        std::fs::metadata(w.join(p))
            .expect("meta")
            .permissions()
            .mode()
            & 0o777
    };
    run("027", &["assess", "--format", "csv", "-o", "a.csv"]);
    assert_eq!(mode("a.csv"), 0o640); // 0666 & !0027
    std::fs::set_permissions(w.join("a.csv"), std::fs::Permissions::from_mode(0o600))
        .expect("chmod");
    run("022", &["assess", "--format", "csv", "-o", "a.csv"]);
    assert_eq!(mode("a.csv"), 0o600);
    run(
        "077",
        &[
            "chart",
            "--kind",
            "trajectory",
            "--jurisdiction",
            "乌海",
            "--format",
            "svg",
            "-o",
            "c/",
        ],
    );
    assert_eq!(mode("c"), 0o700); // 0777 & !0077
    let made: Vec<_> = std::fs::read_dir(w.join("c")).expect("list").collect();
    assert_eq!(made.len(), 1);
    let p = made[0].as_ref().expect("entry").path();
    assert_eq!(
        std::fs::metadata(p).expect("meta").permissions().mode() & 0o777,
        0o600
    );
}

/// Issue 20, item 6: one overlong line is refused with its line before memory runs out
/// (microdata is streamed; tables are read whole). 17 MiB keeps the test fast; the 100 MB
/// case is measured by scripts/resource_cases.py.
#[test]
fn an_overlong_line_is_refused_with_its_line() {
    let dir = workdir();
    let w = dir.path();
    let mut bytes = b"jurisdiction,year,value\n150300,2022,9.8\n".to_vec();
    bytes.extend(std::iter::repeat_n(b',', 17 << 20));
    bytes.push(b'\n');
    std::fs::write(w.join("commas.csv"), &bytes).expect("write");
    refused_in(
        w,
        &["assess", "--observations", "commas.csv"],
        &["commas.csv:3", "longer than 16 MiB"],
    );
    let mut micro = std::fs::read(w.join("m.csv")).expect("m.csv");
    micro.extend(std::iter::repeat_n(b',', 17 << 20));
    micro.push(b'\n');
    std::fs::write(w.join("mc.csv"), &micro).expect("write");
    let lines = 1 + std::fs::read(w.join("m.csv"))
        .expect("m.csv")
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    let mut args: Vec<String> = with(EST, &[]);
    args[2] = "mc.csv".into();
    refused_in(
        w,
        &strs(&args),
        &[&format!("line {lines}"), "longer than 16 MiB"],
    );
}

/// Issue 20, item 6: `--by` with one domain per row stops at 200,000 domains with a message;
/// the terminal view shows at most 5,000 rows with a note.
#[test]
fn domains_and_terminal_rows_are_capped() {
    use std::fmt::Write as _;
    let dir = tempdir();
    let w = dir.path();
    let mut text = String::from("id,weight,dom,literate\n");
    for i in 0..200_100 {
        let _ = writeln!(text, "{i},1,d{i},{}", i % 2);
    }
    std::fs::write(w.join("many.csv"), text).expect("write");
    refused_in(
        w,
        &[
            "estimate",
            "--microdata",
            "many.csv",
            "--weight",
            "weight",
            "--indicator-column",
            "literate",
            "--by",
            "dom",
            "--format",
            "csv",
        ],
        &["more than 200000 domains"],
    );
    let mut t = litmon::output::Table::new(vec!["domain"]);
    for i in 0..5_003 {
        t.rows
            .push(vec![litmon::output::Cell::text(format!("d{i}"))]);
    }
    t.lang = litmon::model::Lang::En;
    let shown = t.to_terminal_width(80);
    assert!(shown.contains("d4999") && !shown.contains("d5000"));
    assert!(shown.contains("first 5000 of 5003 rows shown"), "{shown}");
}

/// Issue 20, item 6: `project --to 2100` over thousands of places is refused before any fit
/// (2,700 places × 78 years = 210,600 rows > 200,000).
#[test]
fn a_projection_too_large_to_hold_is_refused() {
    use std::fmt::Write as _;
    let dir = tempdir();
    let w = dir.path();
    let d = w.join("big");
    std::fs::create_dir_all(&d).expect("dir");
    let mut reg = String::from("id,name_zh,name_en,level,parent\n100000,全国,China,national,\n");
    let mut obs = String::from("jurisdiction,indicator,year,value,se,n,source\n");
    for k in 0..2_700 {
        let _ = writeln!(reg, "9{k:05},地{k},J{k},province,100000");
        let _ = writeln!(obs, "9{k:05},literacy_rate,2020,{},,,s", 8 + k % 7);
        let _ = writeln!(obs, "9{k:05},literacy_rate,2022,{},,,s", 9 + k % 5);
    }
    std::fs::write(d.join("jurisdictions.csv"), reg).expect("write");
    std::fs::write(d.join("observations.csv"), obs).expect("write");
    refused_in(
        w,
        &[
            "project", "--data", "big", "--to", "2100", "--format", "csv",
        ],
        &["210600 rows", "2700 jurisdictions", "--to"],
    );
}

/// Issue 20, item 9: a FIFO named `*.toml` in a plans directory is skipped with a note, not
/// opened (which would block forever).
#[cfg(unix)]
#[test]
fn a_fifo_in_a_plans_directory_is_skipped_with_a_note() {
    let dir = tempdir();
    let w = dir.path();
    std::fs::create_dir(w.join("pl")).expect("dir");
    let made = std::process::Command::new("mkfifo")
        .arg(w.join("pl/x.toml"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    let out = crate::common::litmon_en()
        .current_dir(w)
        .args(["assess", "--plans", "pl", "--format", "csv"])
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("x.toml: skipped, not a regular file"), "{err}");
}

/// Microdata of `m.csv`'s layout with `rows` extra lines appended.
fn microdata_with(w: &Path, name: &str, extra: &[u8]) {
    let mut b = std::fs::read(w.join("m.csv")).expect("m.csv");
    b.extend_from_slice(extra);
    std::fs::write(w.join(name), b).expect("write");
}

/// Issue 20, item 11: a decode never changes bytes in silence — invalid or GBK bytes in a
/// UTF-8 microdata file (after the 64 KiB the encoding is chosen from), control characters
/// in a `--by` value, and a GBK line in a UTF-8 observations file are errors naming the line.
#[test]
fn mixed_encodings_and_control_characters_are_named() {
    let dir = workdir();
    let w = dir.path();
    let m = std::fs::read_to_string(w.join("m.csv")).expect("m.csv");
    let n = m.lines().count();
    let row = m.lines().nth(1).expect("row").to_string();
    // UTF-8 Chinese province names for more than 64 KiB, then one GBK line.
    let mut text = m.clone();
    let mut line = n;
    while text.len() < 70_000 {
        text.push_str(&row.replacen("P1", "内蒙古", 1));
        text.push('\n');
        line += 1;
    }
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(row.replacen("P1", "乌海", 1).as_bytes());
    let gbk_row = {
        let mut r = Vec::new();
        for (i, part) in row.split(',').enumerate() {
            if i > 0 {
                r.push(b',');
            }
            if part == "P1" {
                r.extend_from_slice(b"\xce\xda\xba\xa3"); // 乌海 in GBK
            } else {
                r.extend_from_slice(part.as_bytes());
            }
        }
        r
    };
    bytes.push(b'\n');
    bytes.extend_from_slice(&gbk_row);
    bytes.push(b'\n');
    std::fs::write(w.join("mixed.csv"), &bytes).expect("write");
    let mut args = with(EST, &["--by", "province"]);
    args[2] = "mixed.csv".into();
    refused_in(
        w,
        &strs(&args),
        &[
            &format!("mixed.csv:{}", line + 2),
            "not UTF-8",
            "mixes encodings",
        ],
    );
    // An escape character in a --by value.
    microdata_with(w, "esc.csv", row.replacen("P1", "P\u{1b}[2J", 1).as_bytes());
    let mut args = with(EST, &["--by", "province"]);
    args[2] = "esc.csv".into();
    refused_in(w, &strs(&args), &[&format!("esc.csv:{}", n + 1), "U+001B"]);
    // Observations: one GBK line after 64 KiB of UTF-8.
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/bad/obs_mixed_utf8_gbk.csv"
        ),
        w.join("om.csv"),
    )
    .expect("copy");
    refused_in(
        w,
        &["assess", "--observations", "om.csv"],
        &["om.csv:3", "line 2 holds UTF-8", "mixes encodings"],
    );
}

/// Issue 20, item 13: microdata that would be misread is refused with file, line and column.
#[test]
fn microdata_that_would_be_misread_is_refused() {
    let dir = workdir();
    let w = dir.path();
    let m = std::fs::read_to_string(w.join("m.csv")).expect("m.csv");
    let n = m.lines().count();
    let row = m.lines().nth(1).expect("row").to_string();
    // Header: stratum,psu,weight,fpc,province,county,urban,knowledge,method,spirit,application,…
    let set = |col: usize, value: &str| -> String {
        let mut f: Vec<&str> = row.split(',').collect();
        f[col] = value;
        f.join(",") + "\n"
    };
    microdata_with(w, "nopsu.csv", set(1, "").as_bytes());
    let mut args = with(EST, &[]);
    args[2] = "nopsu.csv".into();
    refused_in(
        w,
        &strs(&args),
        &[&format!("nopsu.csv:{}", n + 1), "PSU is empty"],
    );
    microdata_with(w, "nostratum.csv", set(0, " ").as_bytes());
    args[2] = "nostratum.csv".into();
    refused_in(
        w,
        &strs(&args),
        &[&format!("nostratum.csv:{}", n + 1), "stratum is empty"],
    );
    for (name, v) in [("huge.csv", "280000"), ("neg.csv", "-28")] {
        microdata_with(w, name, set(7, v).as_bytes());
        args[2] = name.into();
        refused_in(
            w,
            &strs(&args),
            &[&format!("{name}:{}", n + 1), "score from 0 to 100"],
        );
    }
    // Two columns named weight.
    let twice = m.replacen("application", "weight", 1);
    std::fs::write(w.join("twice.csv"), twice).expect("write");
    args[2] = "twice.csv".into();
    refused_in(w, &strs(&args), &["twice.csv:1", "\"weight\" 2 times"]);
    // Thresholds that are not numbers in design.toml, and a repeated --levels.
    std::fs::write(
        w.join("inf.toml"),
        "[design]\nweight = \"weight\"\n[scoring]\ncolumns = [\"knowledge\"]\nthreshold = inf\n",
    )
    .expect("write");
    refused_in(
        w,
        &["estimate", "--microdata", "m.csv", "--design", "inf.toml"],
        &["inf.toml", "scoring.threshold", "finite"],
    );
    std::fs::write(
        w.join("nan.toml"),
        "[design]\nweight = \"weight\"\n[scoring]\nmiller = [[\"knowledge\", nan]]\n",
    )
    .expect("write");
    refused_in(
        w,
        &["estimate", "--microdata", "m.csv", "--design", "nan.toml"],
        &["nan.toml", "scoring.miller", "finite"],
    );
    refused_in(
        w,
        &strs(&with(EST, &["--levels", "55,55"])),
        &["--levels", "55 is given twice"],
    );
}

/// An XLSX workbook whose sheet stores row 2 twice (rust_xlsxwriter never does: the sheet XML
/// is edited).
fn workbook_with_row_twice() -> Vec<u8> {
    use std::io::{Read, Write};
    let bytes = workbook(
        &[(
            "data",
            &[["150300", "2022", "10.9"], ["150300", "2020", "9.0"]],
            false,
            true,
        )],
        false,
    );
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("entry");
        let name = f.name().to_string();
        let mut part = String::new();
        f.read_to_string(&mut part).expect("read");
        if name == "xl/worksheets/sheet1.xml" {
            let start = part.find("<row r=\"2\"").expect("row 2");
            let end = part[start..].find("</row>").expect("end") + start + 6;
            let row = part[start..end].replace("10.9", "55");
            part.insert_str(end, &row);
        }
        zout.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("zip");
        zout.write_all(part.as_bytes()).expect("zip");
    }
    zout.finish().expect("zip").into_inner()
}

/// Issue 20, item 15: a row stored twice in an XLSX sheet is an error; a text too long for an
/// Excel cell is refused on output, never cut.
#[test]
fn xlsx_rows_stored_twice_and_overlong_cells_are_errors() {
    let dir = workdir();
    let w = dir.path();
    std::fs::write(w.join("twice.xlsx"), workbook_with_row_twice()).expect("write");
    refused_in(
        w,
        &["assess", "--observations", "twice.xlsx"],
        &["twice.xlsx:2", "row 2 is stored twice"],
    );
    let mut t = litmon::output::Table::new(vec!["source"]);
    t.rows
        .push(vec![litmon::output::Cell::text("长".repeat(40_000))]);
    let err = t.to_xlsx().expect_err("too long for a cell");
    assert!(err.is_bad_input(), "{err}");
    assert!(
        err.to_string().contains("40000 characters") && err.to_string().contains("row 2"),
        "{err}"
    );
}

/// Issue 20, item 16: a closed standard output is an error, an empty table says why, and a
/// repeated --probability or a place named three ways gives one row or chart.
#[cfg(target_os = "linux")]
#[test]
fn odd_outputs_are_never_silent() {
    let dir = tempdir();
    let w = dir.path();
    let bin = assert_cmd::cargo::cargo_bin("litmon");
    let closed = std::process::Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" assess --lang en >&-")
        .arg(&bin)
        .output()
        .expect("run");
    assert_eq!(closed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&closed.stderr).contains("standard output is closed"));
    // > /dev/null is not closed.
    let null = std::process::Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" assess > /dev/null")
        .arg(&bin)
        .output()
        .expect("run");
    assert!(null.status.success());
    for (args, why) in [
        (&["project", "--to", "2000"][..], "--to 2000 is not after"),
        (
            &["targets", "--year", "2000"][..],
            "--year 2000 is not after",
        ),
        (
            &["assess", "--jurisdiction", "乌海", "--level", "province"][..],
            "no row passes the filter",
        ),
    ] {
        let args = [args, &["--lang", "en"][..]].concat();
        let (_, err) = ok_in(w, &args);
        assert!(
            err.contains("the table has no rows") && err.contains(why),
            "{err}"
        );
    }
    let (csv, _) = ok_in(
        w,
        &[
            "targets",
            "--year",
            "2030",
            "--probability",
            "0.5",
            "--probability",
            "0.5",
            "--jurisdiction",
            "乌海",
            "--format",
            "csv",
        ],
    );
    assert_eq!(csv.lines().count(), 2, "{csv}");
    ok_in(
        w,
        &[
            "chart",
            "--kind",
            "trajectory",
            "--jurisdiction",
            "乌海",
            "--jurisdiction",
            "150300",
            "--jurisdiction",
            "乌海市",
            "--format",
            "svg",
            "-o",
            "ch/",
        ],
    );
    assert_eq!(std::fs::read_dir(w.join("ch")).expect("ch").count(), 1);
}

/// Issue 20, item 17: `data export` messages speak of the dataset, and a dangling symlink as
/// `-o` is named as such (not "File exists").
#[cfg(unix)]
#[test]
fn data_export_messages_name_what_is_wrong() {
    let dir = workdir();
    let w = dir.path();
    refused_in(
        w,
        &["data", "export", "--data", "data", "-o", "data"],
        &["write the dataset elsewhere"],
    );
    std::os::unix::fs::symlink(w.join("nowhere"), w.join("dangling")).expect("symlink");
    refused_in(
        w,
        &["data", "export", "-o", "dangling"],
        &["symbolic link to a path that does not exist"],
    );
}

/// Issue 20, items 16 and 17 (round three, the rest): `--to-observations` refuses domains the
/// loader could not read before writing anything; `--sheet` for CSV inputs and a `--data`
/// folder without observations are warned about; messages say what is wrong (an unclosed
/// quote at the end of microdata, an empty microdata file, a covariate too large to compute
/// with); a negative `--threshold` reaches litmon's own checks.
#[test]
fn round_three_outputs_and_messages_say_what_is_wrong() {
    let dir = workdir();
    let w = dir.path();
    let adjust = ["--lonely-psu", "adjust", "--to-observations", "2022"];
    let mut args = with(EST, &adjust);
    args.extend(["--by", "province", "-o", "obs.csv"].map(String::from));
    refused_in(
        w,
        &strs(&args),
        &["--by value \"P1\" is not a jurisdiction", "(3 such values)"],
    );
    let mut args = with(EST, &adjust);
    args.extend(["--by", "prov_code,urban", "-o", "obs.csv"].map(String::from));
    refused_in(
        w,
        &strs(&args),
        &["the domain \"140000;0\" crosses 2 columns"],
    );
    // One column of codes is written, and reads back.
    let mut args = with(EST, &adjust);
    args.extend(["--by", "prov_code", "-o", "obs.csv"].map(String::from));
    ok_in(w, &strs(&args));
    ok_in(w, &["assess", "--observations", "obs.csv"]);

    let (_, err) = ok_in(
        w,
        &[
            "assess",
            "--observations",
            "o.csv",
            "--sheet",
            "观测",
            "--lang",
            "en",
        ],
    );
    assert!(
        err.contains("--sheet \"观测\" is ignored: no input file is a workbook"),
        "{err}"
    );
    std::fs::remove_file(w.join("data/observations.csv")).expect("rm");
    let (_, err) = ok_in(w, &["assess", "--data", "data", "--lang", "en"]);
    assert!(err.contains("holds no observations.csv"), "{err}");

    // A quote opened on the last line and never closed: the line, not a field count.
    let m = std::fs::read_to_string(w.join("m.csv")).expect("m.csv");
    let last = m.lines().count() + 1;
    std::fs::write(
        w.join("q.csv"),
        format!("{m}\"S1,1,502.02,40,P1,C11,0,28,15,11,5,140000,0\n"),
    )
    .expect("write");
    let mut args = with(EST, &["--lonely-psu", "adjust"]);
    args[2] = "q.csv".into();
    let err = refused_in(w, &strs(&args), &[&format!("q.csv:{last}"), "never closed"]);
    assert!(!err.contains("fields"), "{err}");
    std::fs::write(w.join("empty.csv"), "").expect("write");
    let mut args = with(EST, &[]);
    args[2] = "empty.csv".into();
    let err = refused_in(w, &strs(&args), &["empty.csv:1", "the file is empty"]);
    assert!(!err.contains("jurisdiction,indicator"), "{err}");

    let cov = std::fs::read_to_string(w.join("cov.csv")).expect("cov");
    std::fs::write(
        w.join("cov_big.csv"),
        cov.replacen("0.33939999999999998", "1e300", 1),
    )
    .expect("write");
    let sae = |cov: &str| {
        crate::common::litmon_en()
            .current_dir(w)
            .args(["--data"])
            .arg(std::fs::canonicalize("tests/fixtures/sae/data").expect("sae data"))
            .arg("--observations")
            .arg(std::fs::canonicalize("tests/fixtures/sae/direct_2022.csv").expect("direct"))
            .args(["sae", "--year", "2022", "--covariates", cov])
            .output()
            .expect("run")
    };
    assert!(sae("cov.csv").status.success());
    let out = sae("cov_big.csv");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("too large to compute with (largest value 1e300)")
            && !err.contains("collinear"),
        "{err}"
    );

    // -1 is a value, not a flag: every score passes it (estimate 100 %).
    let mut args = with(
        EST,
        &[
            "--lonely-psu",
            "adjust",
            "--format",
            "csv",
            "--threshold",
            "-1",
        ],
    );
    args.extend(["--by", "province"].map(String::from));
    let (csv, _) = ok_in(w, &strs(&args));
    let total = csv.lines().nth(1).expect("total row");
    assert!(
        total.starts_with("total,403,") && total.contains(",100,0,"),
        "{csv}"
    );
    refused_in(
        w,
        &["targets", "--year", "2030", "--probability", "-0.5"],
        &[
            "--probability: expected a probability strictly between 0 and 1",
            "found -0.5",
        ],
    );
}
