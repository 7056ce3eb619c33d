//! The embedded data through 2025 and the whole NBS registry (issue 19 items 1, 2, 8; issue
//! 20 items 7, 8): figures, registry size, name resolution, suggestions, the no-plan hint
//! and plan loading at scale.

use std::path::Path;

use crate::common::{parse_csv, refused_in, tempdir, PlanToml, Row};
use crate::litmon;
use litmon::model::{suggestion_rank, Jurisdiction, Level};

/// Runs `litmon ARGS` in `dir`; asserts success; returns (stdout, stderr).
fn ok_in(dir: &Path, args: &[&str]) -> (Vec<u8>, String) {
    let out = litmon()
        .current_dir(dir)
        .env_remove("COLUMNS")
        .args(args)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{args:?}: {err}");
    (out.stdout, err)
}

/// A 包头 (150200) plan: 15 % by 2025.
fn baotou_plan() -> String {
    PlanToml::new(
        "150200",
        "包头市全民科学素质行动规划纲要实施方案（2021—2025年）",
    )
    .literacy(None, (2025, 15.0))
    .text()
}

#[test]
fn export_holds_the_2024_and_2025_figures_and_the_whole_registry_and_reads_back() {
    let dir = tempdir();
    let w = dir.path();
    ok_in(w, &["data", "export", "-o", "ex"]);
    let obs = std::fs::read(w.join("ex/observations.csv")).expect("observations");
    let (_, rows) = parse_csv(&obs);
    let value = |id: &str, year: &str| -> Option<String> {
        rows.iter()
            .find(|r| r["jurisdiction"] == id && r["year"] == year)
            .map(|r| r["value"].clone())
    };
    // shared/data: national.csv 2024 = 15.37 (14th survey), 2025 = 16.74; provinces.csv
    // 湖北 2025 = 16.8; cities.csv 海淀区 2023 = 36.2; extra.csv 河北 2023 = 13.10.
    assert_eq!(value("100000", "2024").as_deref(), Some("15.37"));
    assert_eq!(value("100000", "2025").as_deref(), Some("16.74"));
    assert_eq!(value("420000", "2025").as_deref(), Some("16.8"));
    assert_eq!(value("110108", "2023").as_deref(), Some("36.2"));
    assert_eq!(value("130000", "2023").as_deref(), Some("13.1"));
    let national_2024 = rows
        .iter()
        .find(|r| r["jurisdiction"] == "100000" && r["year"] == "2024")
        .expect("2024");
    assert!(
        national_2024["cite"].contains("第十四次"),
        "{national_2024:?}"
    );

    let reg = std::fs::read(w.join("ex/jurisdictions.csv")).expect("registry");
    let (header, js) = parse_csv(&reg);
    assert!(header.contains(&"full_name_zh".to_string()), "{header:?}");
    // divisions.csv: 31 + 333 + 2,975 units, the nation, and the three 重庆 groupings.
    assert_eq!(js.len(), 31 + 333 + 2975 + 1 + 3);
    let count = |level: &str| js.iter().filter(|r| r["level"] == level).count();
    assert_eq!(count("province"), 31);
    assert_eq!(count("prefecture"), 333 + 3);
    assert_eq!(count("county"), 2975);
    let zones = js.iter().filter(|r| r["statistical_zone"] == "yes").count();
    assert_eq!(zones, 124);
    // The former rows keep their ids and short names; new ones follow the convention.
    let named = |id: &str| -> (String, String) {
        let r: &Row = js.iter().find(|r| r["id"] == id).expect(id);
        (r["name_zh"].clone(), r["full_name_zh"].clone())
    };
    assert_eq!(named("150300"), ("乌海".into(), "乌海市".into()));
    assert_eq!(named("150000"), ("内蒙古".into(), "内蒙古自治区".into()));
    assert_eq!(named("140922").0, "五台县");
    assert_eq!(named("150200"), ("包头".into(), "包头市".into()));
    // 吉林市 and 海南藏族自治州 keep their full names: 吉林 and 海南 are provinces.
    assert_eq!(named("220200").0, "吉林市");
    assert_eq!(named("632500").0, "海南藏族自治州");
    assert_eq!(named("532900").0, "大理");

    // Read back: the exported folder exports to the same bytes.
    ok_in(w, &["data", "export", "--data", "ex", "-o", "ex2"]);
    for f in ["jurisdictions.csv", "observations.csv"] {
        assert_eq!(
            std::fs::read(w.join("ex").join(f)).expect("first"),
            std::fs::read(w.join("ex2").join(f)).expect("second"),
            "{f}"
        );
    }
    // A user registry in the old five-column layout still loads.
    std::fs::create_dir(w.join("old")).expect("dir");
    std::fs::write(
        w.join("old/jurisdictions.csv"),
        "id,name_zh,name_en,level,parent\n100000,全国,China,national,\n150000,内蒙古,Inner Mongolia,province,100000\n",
    )
    .expect("registry");
    ok_in(w, &["data", "export", "--data", "old", "-o", "ex3"]);
}

#[test]
fn baotou_by_short_name_full_name_and_code_is_one_place() {
    let dir = tempdir();
    let w = dir.path();
    // Without a plan: exit 0, an empty table, and a note on how to add the plan.
    let (out, err) = ok_in(
        w,
        &[
            "assess",
            "--jurisdiction",
            "包头",
            "--format",
            "csv",
            "--lang",
            "en",
        ],
    );
    assert_eq!(parse_csv(&out).1.len(), 0);
    assert!(
        err.contains("150200 包头 has no plan target for literacy_rate") && err.contains("--plans"),
        "{err}"
    );
    std::fs::write(w.join("baotou.toml"), baotou_plan()).expect("plan");
    let assess = |key: &str| {
        let (out, _) = ok_in(
            w,
            &[
                "assess",
                "--plans",
                "baotou.toml",
                "--jurisdiction",
                key,
                "--format",
                "csv",
            ],
        );
        out
    };
    let by_short = assess("包头");
    let (_, rows) = parse_csv(&by_short);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["jurisdiction"], "150200");
    assert_eq!(rows[0]["name_zh"], "包头");
    assert_eq!(assess("包头市"), by_short);
    assert_eq!(assess("150200"), by_short);
    assert_eq!(assess("内蒙古/包头"), by_short);
}

#[test]
fn a_repeated_name_is_ambiguous_and_parent_slash_name_picks_one() {
    let dir = tempdir();
    let w = dir.path();
    let err = refused_in(
        w,
        &["assess", "--jurisdiction", "朝阳区"],
        &[
            "ambiguous jurisdiction name \"朝阳区\"",
            "110105 朝阳区 (county in 北京)",
            "220104 朝阳区 (county in 长春)",
            "write the code or parent/name",
        ],
    );
    assert!(!err.contains("closest"), "{err}");
    for key in [
        "长春/朝阳区",
        "长春市/朝阳区",
        "220100/朝阳区",
        "吉林/朝阳区",
    ] {
        let (_, err) = ok_in(
            w,
            &[
                "assess",
                "--jurisdiction",
                key,
                "--format",
                "csv",
                "--lang",
                "en",
            ],
        );
        assert!(err.contains("220104 朝阳区 has no plan"), "{key}: {err}");
    }
    let (_, err) = ok_in(
        w,
        &["assess", "--jurisdiction", "北京/朝阳区", "--lang", "en"],
    );
    assert!(err.contains("110105 朝阳区 has no plan"), "{err}");
    // A short county name: 海淀 is 海淀区.
    let (_, err) = ok_in(w, &["assess", "--jurisdiction", "海淀", "--lang", "en"]);
    assert!(err.contains("110108 海淀区 has no plan"), "{err}");
    refused_in(
        w,
        &["assess", "--jurisdiction", "上海/朝阳区"],
        &[
            "no jurisdiction named \"朝阳区\" under \"上海\"",
            "--jurisdictions F",
        ],
    );
}

#[test]
fn statistical_zones_by_code_or_full_name_only() {
    let dir = tempdir();
    let w = dir.path();
    for key in ["140971", "五台山风景名胜区"] {
        let (_, err) = ok_in(w, &["assess", "--jurisdiction", key, "--lang", "en"]);
        assert!(
            err.contains("140971 五台山风景名胜区 has no plan"),
            "{key}: {err}"
        );
    }
    refused_in(
        w,
        &["assess", "--jurisdiction", "五台山风景名胜"],
        &[
            "unknown jurisdiction \"五台山风景名胜\"",
            "closest: 140971 五台山风景名胜区",
        ],
    );
}

#[test]
fn suggestions_rank_containment_and_shared_characters_before_edit_distance() {
    // The cases, in a registry without 银川 and 呼和浩特 (the embedded one has them).
    let dir = tempdir();
    let w = dir.path();
    std::fs::create_dir(w.join("d")).expect("dir");
    std::fs::write(
        w.join("d/jurisdictions.csv"),
        "id,name_zh,name_en,level,parent\n100000,全国,China,national,\n150000,内蒙古,Inner Mongolia,province,100000\n510000,四川,Sichuan,province,100000\n500000,重庆,Chongqing,province,100000\n500000-zhucheng,重庆主城都市区,,prefecture,500000\n640000,宁夏,Ningxia,province,100000\n640200,石嘴山,Shizuishan,prefecture,640000\n",
    )
    .expect("registry");
    let err = refused_in(
        w,
        &["assess", "--data", "d", "--jurisdiction", "银川市"],
        &["unknown jurisdiction \"银川市\"", "--jurisdictions F"],
    );
    assert!(!err.contains("四川"), "{err}");
    let err = refused_in(
        w,
        &["assess", "--data", "d", "--jurisdiction", "呼和浩特市"],
        &["unknown jurisdiction \"呼和浩特市\""],
    );
    assert!(!err.contains("重庆主城都市区"), "{err}");
    // In the embedded registry both are known.
    for (key, id) in [("银川市", "640100 银川"), ("呼和浩特市", "150100 呼和浩特")] {
        let (_, err) = ok_in(w, &["assess", "--jurisdiction", key]);
        assert!(err.contains(id), "{key}: {err}");
    }
    // Ranks, from the rule in `suggestion_rank`: containment (tier 3) before shared
    // characters (tier 2); one shared character is no resemblance.
    let j = |id: &str, name: &str| Jurisdiction::new(id, name, Level::Prefecture, Some("1"));
    assert_eq!(
        suggestion_rank("鄂尔多", &j("150600", "鄂尔多斯")).map(|r| r.0),
        Some(3)
    );
    // 乌兰浩特 shares 浩 and 特 with 呼和浩特: Dice 2·2/(4 + 4) = 0.5.
    assert_eq!(
        suggestion_rank("呼和浩特", &j("152201", "乌兰浩特")),
        Some((2, 0.5))
    );
    assert_eq!(suggestion_rank("银川", &j("510000", "四川")), None);
    assert_eq!(
        suggestion_rank("呼和浩特市", &j("x", "重庆主城都市区")),
        None
    );
    // A code one digit off is tier 1 (1 − 1/10); same province only, tier 0.
    assert_eq!(
        suggestion_rank("150310", &j("150300", "乌海")),
        Some((1, 0.9))
    );
    assert_eq!(
        suggestion_rank("159999", &j("150300", "乌海")).map(|r| r.0),
        Some(0)
    );
    assert_eq!(suggestion_rank("999999", &j("150300", "乌海")), None);
}

#[test]
fn many_unknown_rows_and_a_huge_cell_are_refused_with_the_first_twenty_shown() {
    let dir = tempdir();
    let w = dir.path();
    let mut csv = String::from("jurisdiction,year,value\n");
    for i in 0..5000 {
        csv.push_str(&format!("x{i},2022,10\n"));
    }
    std::fs::write(w.join("bad.csv"), csv).expect("write");
    let err = refused_in(
        w,
        &["assess", "--observations", "bad.csv"],
        &["bad.csv:2", "unknown jurisdiction \"x0\"", "and 4980 more"],
    );
    assert!(err.len() < 20_000, "{} bytes", err.len());
    std::fs::write(
        w.join("huge.csv"),
        format!(
            "jurisdiction,year,value\n{},2022,10\n",
            "包".repeat(200_000)
        ),
    )
    .expect("write");
    refused_in(
        w,
        &["assess", "--observations", "huge.csv"],
        &["huge.csv:2", "(200000 characters)"],
    );
}

#[test]
fn a_plan_of_800_indicators_loads() {
    let dir = tempdir();
    let w = dir.path();
    let mut plan = String::from(
        "[plan]\njurisdiction = \"包头\"\ntitle_zh = \"包头\"\nperiod = [2021, 2025]\n",
    );
    for i in 0..800 {
        plan.push_str(&format!(
            "\n[[indicator]]\nid = \"sub_{i}\"\nname_zh = \"指标{i}\"\nunit = \"count\"\nkind = \"annual\"\ntarget = {{ year = 2025, value = {} }}\nnote = \"n\"\n",
            i + 1
        ));
    }
    std::fs::write(w.join("big.toml"), &plan).expect("write");
    let (out, _) = ok_in(w, &["data", "export", "--plans", "big.toml", "-o", "ex"]);
    assert!(out.is_empty());
    let exported = std::fs::read_dir(w.join("ex/plans"))
        .expect("plans")
        .filter_map(|e| e.ok())
        .map(|e| std::fs::read_to_string(e.path()).expect("plan"))
        .find(|t| t.contains("sub_799"))
        .expect("the big plan is exported");
    assert_eq!(exported.matches("[[indicator]]").count(), 800);
    // A control character in an 801st indicator is refused at its line.
    let bad = plan.clone()
        + "\n[[indicator]]\nid = \"sub_x\"\nname_zh = \"坏\\u001b\"\nunit = \"count\"\nkind = \"annual\"\ntarget = { year = 2025, value = 1 }\n";
    std::fs::write(w.join("bad.toml"), &bad).expect("write");
    let line = bad
        .lines()
        .position(|l| l.starts_with("name_zh = \"坏"))
        .expect("line")
        + 1;
    refused_in(
        w,
        &["assess", "--plans", "bad.toml"],
        &[&format!("bad.toml:{line}"), "U+001B"],
    );
}
