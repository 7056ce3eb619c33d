//! What a trend model is, in words, for the methods section of the report: the model's
//! name, its equations and the hyperparameters of the fit that produced the numbers
//! (settings, variance components estimated from the panel, and how much each level's slopes
//! were pooled). The text is produced from the same settings and the same fits as the
//! projections, so that the methods cannot describe a model other than the one used.
//!
//! The equations restate the doc comments of [`super::local`] (`local_angular`),
//! [`super::models::fit_logit`] (`logit_wls`) and [`super::models::fit_benchmark`] (the
//! benchmarks); the numbers come from [`super::local::estimate_noise`],
//! [`super::pool::ResidualPrior::pool`] and the fits themselves. No IO.

use std::collections::HashMap;

use super::angular::Prepared;
use super::fit::Series;
use super::hierarchy::Hierarchy;
use super::local::{
    default_sample_size, imputed_sampling_var, national_sample, LocalConfig, COUNTY_UNITS,
    FULL_COVERAGE_YEAR, NATIONAL_SAMPLES, PREFECTURE_UNITS, PROVINCE_UNITS, SLOPE_BETWEEN_FLOOR,
    SURVEY_ERA_START,
};
use super::models::{benchmark_residual, residual_variance, LogitConfig, ModelKind, TrendFit};
use super::pool::{PriorSource, ResidualPrior};
use crate::model::Level;

/// A trend model described for readers.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelDescription {
    /// The model's id, as in the `model` column and `--model` (e.g. `local_angular`).
    pub name: &'static str,
    /// The model's name in words, with its id (e.g. 「局部水平—层级斜率模型（local_angular）」).
    pub title: String,
    /// The model's equations in words, one sentence each.
    pub equations: Vec<String>,
    /// The hyperparameters of this fit: settings, estimated variance components, pooling.
    pub hyperparameters: Vec<String>,
    /// How the slopes of each administrative level were obtained (series, own slopes,
    /// mean weight of the own slope γ, where the borrowed slope came from).
    pub pooling: Vec<String>,
}

/// How the fits of one administrative level were pooled.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct LevelPooling {
    series: usize,
    fitted: usize,
    own_slope: usize,
    one_point: usize,
    gamma_sum: f64,
    gamma_n: usize,
    from_ancestor: usize,
    from_peers: usize,
}

fn level_word(l: Option<Level>, zh: bool) -> &'static str {
    match (l, zh) {
        (Some(Level::National), true) => "全国",
        (Some(Level::Province), true) => "省级",
        (Some(Level::Prefecture), true) => "地级",
        (Some(Level::County), true) => "县级",
        (None, true) => "其他",
        (Some(Level::National), false) => "national",
        (Some(Level::Province), false) => "provincial",
        (Some(Level::Prefecture), false) => "prefecture-level",
        (Some(Level::County), false) => "county-level",
        (None, false) => "other",
    }
}

/// A number in a short scientific or fixed form (variances span many orders of magnitude).
fn num(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if x.abs() >= 0.01 && x.abs() < 1000.0 {
        format!("{x:.4}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        format!("{x:.2e}")
    }
}

/// Per level (national, province, prefecture, county): series, fits, own slopes, the mean
/// γ and where borrowed slopes came from; `series` and `fits` aligned as from
/// [`super::panel::fit_panel`].
fn pooling_by_level(
    series: &[Series],
    fits: &[Option<TrendFit>],
) -> Vec<(Option<Level>, LevelPooling)> {
    let order = [
        Some(Level::National),
        Some(Level::Province),
        Some(Level::Prefecture),
        Some(Level::County),
        None,
    ];
    let mut by: HashMap<Option<Level>, LevelPooling> = HashMap::new();
    for (s, f) in series.iter().zip(fits) {
        let e = by.entry(s.level).or_default();
        e.series += 1;
        let Some(f) = f else { continue };
        e.fitted += 1;
        if f.own_slope.is_some() {
            e.own_slope += 1;
        }
        if f.n_obs == 1 {
            e.one_point += 1;
        }
        if let Some(g) = f.shrink_weight {
            e.gamma_sum += g;
            e.gamma_n += 1;
        }
        match &f.prior_source {
            Some(PriorSource::Peers { .. }) => e.from_peers += 1,
            Some(_) => e.from_ancestor += 1,
            None => {}
        }
    }
    order
        .into_iter()
        .filter_map(|l| by.get(&l).map(|p| (l, *p)))
        .collect()
}

fn pooling_lines(rows: &[(Option<Level>, LevelPooling)], zh: bool) -> Vec<String> {
    rows.iter()
        .map(|(l, p)| {
            let gamma = (p.gamma_n > 0).then(|| p.gamma_sum / p.gamma_n as f64);
            let lw = level_word(*l, zh);
            if zh {
                let mut s = format!(
                    "{lw}：{}个序列，{}个可拟合，其中{}个有自身斜率、{}个仅一个调查值",
                    p.series, p.fitted, p.own_slope, p.one_point
                );
                if let Some(g) = gamma {
                    s.push_str(&format!(
                        "；{}个斜率借自上级、{}个借自同级地区，自身斜率权重γ平均为{g:.2}",
                        p.from_ancestor, p.from_peers
                    ));
                } else {
                    s.push_str("；斜率不向其他地区收缩");
                }
                s.push('。');
                s
            } else {
                let mut s = format!(
                    "{lw}: {} series, {} fitted, {} with a slope of their own, {} with a single survey value",
                    p.series, p.fitted, p.own_slope, p.one_point
                );
                if let Some(g) = gamma {
                    s.push_str(&format!(
                        "; {} slopes borrowed from an ancestor and {} from peers, mean weight of the own slope γ = {g:.2}",
                        p.from_ancestor, p.from_peers
                    ));
                } else {
                    s.push_str("; slopes are not shrunk toward other jurisdictions");
                }
                s.push('.');
                s
            }
        })
        .collect()
}

/// How each administrative level's slopes were obtained, in words: the `pooling` lines of
/// every model's description, from the panel's `series` and their `fits` (aligned).
pub(crate) fn pooling(series: &[Series], fits: &[Option<TrendFit>], zh: bool) -> Vec<String> {
    pooling_lines(&pooling_by_level(series, fits), zh)
}

/// `local_angular` ([`super::panel::LocalAngular`]) with settings `l`, fitted to `series` on
/// `hierarchy`: window w, tail df, calibration factor κ, the moment estimates q, σ_b², σ_d²
/// of [`super::local::estimate_noise`] and their calibrated values κq, κσ_b², κσ_d², the
/// imputed sampling variances 1/(4n) of each level.
pub(crate) fn describe_local(
    l: &LocalConfig,
    series: &[Series],
    hierarchy: &Hierarchy,
    pooling: Vec<String>,
    zh: bool,
) -> ModelDescription {
    let model = ModelKind::LocalAngular;
    let t = |a: String, b: String| if zh { a } else { b };

    let prep = Prepared::new(series, hierarchy, l.scale, l.transfer);
    let noise = super::noise::noise_of(&prep, l.scale);
    let k = l.noise_scale;
    let era = super::local::SURVEY_ERA_START;
    let (tau2, n_iv) = period_tau2(l, &prep, &noise);
    let sb2 = (k * noise.slope_between).max(SLOPE_BETWEEN_FLOOR);
    let sd2 = k * noise.slope_dispersion.max(noise.slope_between);
    let k0 = l.root_scale;
    let w = num(l.window);
    let df = num(l.df);
    let hl = num(super::local::RESOLVED_HALF_LIFE);
    let join = |v: &[f64]| v.iter().map(|x| num(*x)).collect::<Vec<_>>().join(", ");
    let dfs = join(&super::local::TAIL_DFS);
    ModelDescription {
        name: model.name(),
        title: t(
            "局部水平—层级斜率模型（local_angular，角度尺度）".into(),
            "Local level with a slope pooled down the hierarchy (local_angular, angular scale)".into(),
        ),
        equations: vec![
            t(
                "尺度：θ=asin(√p)，p为比例；比例的抽样方差在此尺度上约为1/(4n)，与p无关。".into(),
                "Scale: θ = asin(√p) on proportions p; there a proportion's sampling variance is about 1/(4n) whatever p.".into(),
            ),
            t(
                "观测：y_i=μ(t_i)+ε_i，ε_i~N(0,v_i)；v_i由公布的标准误按delta方法换算，未公布时按所在级别（全国、省、地、县）在当年全国调查中的典型样本量取1/(4n)；没有数值视为精确。".into(),
                "Observation: y_i = μ(t_i) + ε_i, ε_i ~ N(0, v_i); v_i from the published standard error (delta method), else 1/(4n) with the typical sample n of its level (nation, province, prefecture, county) in that year's national survey; no figure is an exact anchor.".into(),
            ),
            t(
                "水平：μ(t+Δ)=μ(t)+Δ·β_j+η，η~N(0,q_j·Δ)，q_j=q̃₀+(m_j−1)·q̃：面板顶端的水平噪声q̃₀（其下各地共有）加上每多一级一份偏差噪声，m_j为本地与其斜率来源之间的层级数（至少1）。".into(),
                "Level: μ(t+Δ) = μ(t) + Δ·β_j + η, η ~ N(0, q_j·Δ), q_j = q̃₀ + (m_j − 1)·q̃: the top series' level noise q̃₀ (shared by every place below) plus one unit of deviation noise per further step, m_j the hierarchy steps between the jurisdiction and the origin of its slope (at least 1).".into(),
            ),
            t(
                format!("斜率（经验贝叶斯）：β_j=r·β_a+γ·d，β_a为有数据的最近上级的斜率，r把它换算到本地的水平（见下文传导尺度），d为本地近{w}年斜率与上级同期变化（同样换算）之差，γ=P(slab|d)·σ̃_b²/(σ̃_b²+s²)，方差r²V_a+L·σ̃_d²+P·γ_s·s²+P(1−P)(γ_s·d)²（γ_s=σ̃_b²/(σ̃_b²+s²)；没有自身斜率时为r²V_a+L·(σ̃_d²+π·σ̃_b²)；见下文自身斜率的先验）；没有上级数据时取本地近{w}年的平均变化。"),
                format!("Slope (empirical Bayes): β_j = r·β_a + γ·d, with β_a the slope of the nearest ancestor with data, r carrying it to the jurisdiction's level (the transfer scale below), d the gap between the own slope over the last {w} years and the ancestor's change over the same years (carried alike), γ = P(slab | d)·σ̃_b²/(σ̃_b² + s²), variance r²V_a + L·σ̃_d² + P·γ_s·s² + P(1 − P)(γ_s·d)² (γ_s = σ̃_b²/(σ̃_b² + s²); without an own slope r²V_a + L·(σ̃_d² + π·σ̃_b²); the own-slope prior below); without an ancestor series, the own change over the last {w} years."),
            ),
            t(
                "数据时效：本地最新值早于有数据的最近上级的最新值时，沿上级此后的实际变化（按传导尺度换算到本地水平）推进到上级最新年份，中间各年沿上级的实际路径；加上同一上级下其他地区在这些年相对上级的共同偏离（逐年估计：各地区相邻两值之间的偏离之和，年度偏离为随机游走；这些地区数值覆盖的年份之外取0；计入其方差）和本地偏差斜率，并计入这些年的偏差方差和水平噪声；最新值比全部数据的最新年份早5年以上时，不作预测和候选目标（与评估的数据不足规则相同）。".into(),
                "Data age: a jurisdiction whose latest value is older than its nearest ancestor's with data follows the ancestor's realised change since then (carried to its level on the transfer scale) up to the ancestor's latest year, the years in between on the ancestor's path, plus the common deviation from that path of the other places below it over those years (year by year: each of their intervals between two values sums its years' deviations, which follow a random walk; 0 outside the years their values span; with its variance) and its own deviation slope, with those years' deviation variance and level noise added; a latest value more than 5 years older than the latest data is neither projected nor given candidate targets (the assessment's insufficient-data rule).".into(),
            ),
            t(
                "水平估计：Schmidt–Kalman滤波（斜率作为考虑参数，不由本地数据重新估计），最新值越精确，预测越贴近最新值。".into(),
                "Level estimate: a Schmidt–Kalman filter (the slope is a consider parameter, not re-estimated from the jurisdiction's own points); the more precise the latest value, the closer the forecast starts to it.".into(),
            ),
            t(
                format!("预测：h年后均值μ+βh+a·h²；模型部分2hC+h²V+q_j·h服从自由度为{df}的t分布，水平估计方差P（抽样误差）服从正态分布，两者按Welch–Satterthwaite有效自由度合成一个t分布，再以p=sin²θ换回比例；预测区间针对将来公布的调查值，正态部分再加上该次调查的抽样方差v_new（最新值有公布的标准误时取其抽样方差，否则按现行全国调查设计计）；达标概率P=1−F((θ*−μ_T)/σ_T)针对真实水平，不含v_new。"),
                format!("Prediction h years ahead: mean μ + βh + a·h²; the model part 2hC + h²V + q_j·h is Student t with {df} df, the level's variance P (sampling error) Normal, combined into one t with the Welch–Satterthwaite effective degrees of freedom, back-transformed by p = sin²θ; the prediction intervals are for the value a future survey will publish, so their Normal part adds that survey's sampling variance v_new (the latest value's when it has a published standard error, else that of the current national survey design); the probability of reaching the target P = 1 − F((θ* − μ_T)/σ_T) is for the true level, without v_new."),
            ),
        ],
        hyperparameters: vec![
            t(
                format!("设定：斜率窗口w={w}年（一个规划期，事先固定）；t分布自由度{df}；方差分量校准系数κ={}（没有上级数据的序列——面板顶端，其斜率为自身漂移——单独校准：κ₀={}）；加速修正a={}（角度尺度每年²，h年后的均值加a·h²）。后几项在滚动起点回测中选定，只用起点之前已揭晓的预测（半衰期{hl}年加权）：a为全部这些预测的误差对预测年数平方的最小二乘系数；κ与自由度只用{era}年及以后起点的预测（当前调查时期：{era}年起全国调查样本约7万至30万，此前不足1万）——κ与κ₀分别使两组预测的80%区间覆盖80%（某组不足5个时用合并的κ），自由度取95%区间覆盖最接近95%的（{dfs}中）。", num(k), num(k0), num(l.accel)),
                format!("Settings: slope window w = {w} years (one plan period, fixed beforehand); {df} df for the Student t; calibration factor of the variance components κ = {} (the series without an ancestor series — the top of the panel, whose slope is its own drift — calibrated on their own: κ₀ = {}); acceleration correction a = {} (angular scale per year²; the mean h years ahead adds a·h²). All but the window are chosen inside the rolling-origin backtest from the forecasts resolved before each origin only (weighted with a half-life of {hl} years): a is the least-squares coefficient of all their errors on the squared horizon; κ and the df come from the forecasts made from {era} on only (the current survey era: national samples of about 70,000 to 300,000 since {era}, under 10,000 before) — κ and κ₀ make the 80% intervals of their groups cover 80% (the pooled κ for a group with fewer than 5), the df (of {dfs}) is the one whose 95% intervals cover nearest 95%.", num(k), num(k0), num(l.accel)),
            ),
            t(
                format!(
                    "方差分量（本次数据的矩估计，{}个偏差、{}对相邻偏差）：水平噪声q={}，持久斜率差异σ_b²={}，区间斜率离散σ_d²={}；校准后q̃=κq={}，σ̃_d²=κ·max(σ_d²,σ_b²)={}，自身斜率先验的平板方差σ̃_b²=max(κσ_b²,下限)={}（角度尺度，每年）。",
                    noise.n_deviations, noise.n_pairs,
                    num(noise.level_var), num(noise.slope_between), num(noise.slope_dispersion),
                    num(k * noise.level_var), num(sd2), num(sb2)
                ),
                format!(
                    "Variance components (moment estimates on these data, {} deviations, {} consecutive pairs): level noise q = {}, persistent slope difference σ_b² = {}, interval slope dispersion σ_d² = {}; calibrated q̃ = κq = {}, σ̃_d² = κ·max(σ_d², σ_b²) = {}, and the slab variance of the own-slope prior σ̃_b² = max(κσ_b², floor) = {} (angular scale, per year).",
                    noise.n_deviations, noise.n_pairs,
                    num(noise.level_var), num(noise.slope_between), num(noise.slope_dispersion),
                    num(k * noise.level_var), num(sd2), num(sb2)
                ),
            ),
            t(
                format!("同一上级下地区的共同偏离：年度偏离随机游走的年变化方差τ²={tau2}（角度尺度；由{era}年以来的{n_iv}个区间逐一留出一个地区交叉验证选定：以其余地区预测被留出地区的偏离，取预测对数密度最大者，在10⁻⁸至10⁻⁴之间取值）。"),
                format!("Common deviation of the places below one ancestor: variance of the yearly change of its random walk τ² = {tau2} (angular scale; chosen by leave-one-place-out cross-validation on the {n_iv} intervals since {era}: each place's deviations predicted from the others', the largest log predictive density, searched between 10⁻⁸ and 10⁻⁴)."),
            ),
            transfer_text(&noise, zh),
            slab_text(l, &prep, &noise, zh),
            sampling_text(zh),
        ],
        pooling,
    }
}

/// The hyperparameter line of the transfer scale ([`super::transfer`]): λ̂ and its intervals.
fn transfer_text(noise: &super::noise::NoiseEstimate, zh: bool) -> String {
    let lambda = num(noise.transfer);
    let (n, min) = (
        noise.transfer_intervals,
        super::transfer::MIN_TRANSFER_INTERVALS,
    );
    let how = match (zh, n >= min) {
        (true, true) => format!("由{n}个区间估计：在0、0.05、…、2中取使下式最小者——上级覆盖的每个区间，本地变化与换算后的上级变化之差的平方除以该区间四个调查值的抽样方差，求和"),
        (true, false) => format!("区间少于{min}个（{n}个），取1（按模型尺度传导）"),
        (false, true) => format!("estimated on {n} intervals: of 0, 0.05, …, 2 the value that minimises the sum, over every interval an ancestor covers, of the squared gap between the place's change and the carried ancestor change divided by the sampling variance of the interval's four values"),
        (false, false) => format!("fewer than {min} intervals ({n}): 1, changes carried on the model scale"),
    };
    if zh {
        format!("传导尺度：上级的变化按g_λ尺度（g′_λ(p)=(p(1−p))^(−λ/2)；λ=0为百分点，1为角度尺度，2为logit）传给下级，在角度尺度上乘以r=(sin2θ_上级/sin2θ_本地)^(1−λ)（取区间中点的水平）；λ={lambda}，{how}。")
    } else {
        format!("Transfer scale: an ancestor's change carries to a place below on the scale g_λ (g′_λ(p) = (p(1−p))^(−λ/2); λ = 0 percentage points, 1 angular, 2 logits), on the angular scale times r = (sin 2θ_ancestor / sin 2θ_place)^(1−λ) (at the interval's midpoint levels); λ = {lambda}, {how}.")
    }
}

/// The hyperparameter line of the own-slope prior ([`super::slab`]): the slab's floor and the
/// estimated slab weight π below the top series.
fn slab_text(
    l: &LocalConfig,
    prep: &Prepared,
    noise: &super::noise::NoiseEstimate,
    zh: bool,
) -> String {
    let k = l.noise_scale;
    let unit = super::sampling::unit_var(l.scale);
    let slab = (k * noise.slope_between).max(unit * SLOPE_BETWEEN_FLOOR);
    let era = super::local::SURVEY_ERA_START;
    let devs = super::slab::first_tier(prep, k * noise.level_var, era);
    let pi = num(super::slab::slab_weight(&devs, slab));
    let (floor, sd) = (num(SLOPE_BETWEEN_FLOOR), num(SLOPE_BETWEEN_FLOOR.sqrt()));
    let min = super::slab::MIN_SLAB_INTERVALS;
    let n = devs.len();
    if zh {
        format!("自身斜率的先验（尖峰—平板先验，spike-and-slab）：持久斜率差异以概率π取自N(0,σ̃_b²)（平板），否则为0（尖峰）；σ̃_b²的下限{floor}（校准后尺度，标准差{sd}/年，约为15%水平上每年0.2个百分点；矩估计只基于少数相邻偏差对，常为0）。自身斜率权重γ=P(slab|d)·σ̃_b²/(σ̃_b²+s²)：显著的偏离（如下降许多个标准误）保留，一两个标准误的偏离大多不保留。面板顶端之下一级（各省相对全国）π={pi}，由{era}年以来的{n}个区间按最大似然估计；更下级区间太少，无从估计，取π=1（七年间两个地级调查值的城市约保留三分之一的自身斜率）；顶端之下一级少于{min}个区间时同样取1。")
    } else {
        format!("Own-slope prior (spike and slab): the persistent slope difference is drawn from N(0, σ̃_b²) (the slab) with probability π, else it is 0; σ̃_b² ≥ {floor} (calibrated scale, an sd of {sd} a year, about 0.2 percentage points a year at a level of 15%; the moment estimate rests on a few pairs of consecutive deviations and is often 0). The own-slope weight is γ = P(slab | d)·σ̃_b²/(σ̃_b² + s²): a deviation of many standard errors (a decline, say) is kept, one of one or two mostly not. One tier below the top series (the provinces against the nation) π = {pi}, by maximum likelihood on the {n} intervals since {era}; further down, with too few intervals to estimate it, π = 1 (a city with two prefecture-sample values seven years apart keeps about a third of its own slope), as below the top with fewer than {min}.")
    }
}

/// The hyperparameter line of the imputed sampling variances (the table of
/// [`super::sampling::default_sample_size`]): the current design and the 2010–2019 one.
fn sampling_text(zh: bool) -> String {
    // The current design (the latest published count) and the 2010–2019 one.
    let (now, then) = (i32::MAX, SURVEY_ERA_START);
    let n_nat = national_sample(now);
    let n_pref = default_sample_size(Level::Prefecture, now);
    let n_county = default_sample_size(Level::County, now);
    let n_prov = default_sample_size(Level::Province, now);
    let n_prov_then = default_sample_size(Level::Province, then);
    let v_nat = imputed_sampling_var(Level::National, now);
    let v_prov = imputed_sampling_var(Level::Province, now);
    let v_prov_then = imputed_sampling_var(Level::Province, then);
    let v_pref = imputed_sampling_var(Level::Prefecture, now);
    let v_county = imputed_sampling_var(Level::County, now);
    let counts = |zh: bool| {
        NATIONAL_SAMPLES
            .iter()
            .map(|(y, n)| {
                if zh {
                    format!("{y}年{n:.0}")
                } else {
                    format!("{y}: {n:.0}")
                }
            })
            .collect::<Vec<_>>()
            .join(if zh { "、" } else { ", " })
    };
    if zh {
        format!("未公布标准误时的抽样方差：1/(4n)，n为当年全国调查（公布的有效样本量{}；取当年或之前最近一次）分摊到该级单位的样本：现行设计下全国1/(4×{n_nat:.0})={}，省级1/(4×{n_prov:.0})={}，地级1/(4×{n_pref:.0})={}，县级1/(4×{n_county:.0})={}（{PROVINCE_UNITS:.0}个省级、{PREFECTURE_UNITS:.0}个地级、{COUNTY_UNITS:.0}个县级单位）；{then}—{}年省级1/(4×{n_prov_then:.0})={}。地、县级{FULL_COVERAGE_YEAR}年以前的数值来自本地调查、样本量不详，按{FULL_COVERAGE_YEAR}年（全国调查首次覆盖全部地级单位）的设计计。", counts(true), num(v_nat), num(v_prov), num(v_pref), num(v_county), FULL_COVERAGE_YEAR - 1, num(v_prov_then))
    } else {
        format!("Sampling variance of a figure without a standard error: 1/(4n), with n the national survey of that year (published valid samples {}; the latest at or before the year) spread over the units of its level: with the current design nation 1/(4×{n_nat:.0}) = {}, province 1/(4×{n_prov:.0}) = {}, prefecture 1/(4×{n_pref:.0}) = {}, county 1/(4×{n_county:.0}) = {} ({PROVINCE_UNITS:.0} provincial, {PREFECTURE_UNITS:.0} prefecture-level and {COUNTY_UNITS:.0} county-level units); a province in {then}–{} 1/(4×{n_prov_then:.0}) = {}. A prefecture's or county's figure from before {FULL_COVERAGE_YEAR} came from its own survey, of unknown size, and takes the design of {FULL_COVERAGE_YEAR} (the first national survey to cover every prefecture-level unit).", counts(false), num(v_nat), num(v_prov), num(v_pref), num(v_county), FULL_COVERAGE_YEAR - 1, num(v_prov_then))
    }
}

/// τ² of the siblings' common deviation ([`super::period`]) as `local_angular` estimates it
/// on `prep`, in words, and the number of intervals it rests on.
fn period_tau2(
    l: &LocalConfig,
    prep: &Prepared,
    noise: &super::noise::NoiseEstimate,
) -> (String, usize) {
    let k = l.noise_scale;
    let unit = super::sampling::unit_var(l.scale);
    let sd2 = k * noise.slope_dispersion.max(noise.slope_between);
    let components = (k * noise.level_var, sd2, unit);
    let era = super::local::SURVEY_ERA_START;
    let (tau2, n) = super::period::Siblings::new(prep, components, era).tau2(&prep.ang);
    (num(tau2), n)
}

/// `logit_wls` ([`super::panel::LogitWls`]) with the settings of `cfg`, fitted to `series`:
/// recency half-life h, prior df d₀, shrinkage on/off, the pooled residual variance
/// s₀² = Σ RSS_j / Σ (n_j − 2) and its df.
pub(crate) fn describe_logit(
    cfg: &LogitConfig,
    series: &[Series],
    pooling: Vec<String>,
    zh: bool,
) -> ModelDescription {
    let model = ModelKind::LogitWls;
    let t = |a: String, b: String| if zh { a } else { b };

    let resid = ResidualPrior::pool(
        series
            .iter()
            .filter_map(|s| residual_variance(&s.points, cfg)),
    );
    let h = cfg.half_life.map(num).unwrap_or_else(|| "∞".to_string());
    let d0 = num(cfg.prior_df);
    let resid_line = match resid {
        Some(r) => t(
            format!("合并残差方差s₀²={}（自由度{}，来自无标准误且至少3个点的序列）。", num(r.var), num(r.df)),
            format!("Pooled residual variance s₀² = {} on {} df (from series of at least 3 points without standard errors).", num(r.var), num(r.df)),
        ),
        None => t(
            format!("没有可合并残差方差的序列，使用默认值s₀²={}（自由度{}）。", num(ResidualPrior::FALLBACK.var), num(ResidualPrior::FALLBACK.df)),
            format!("No series can estimate a residual variance; the default s₀² = {} on {} df is used.", num(ResidualPrior::FALLBACK.var), num(ResidualPrior::FALLBACK.df)),
        ),
    };
    ModelDescription {
        name: model.name(),
        title: t(
            "logit线性加权最小二乘（logit_wls，原默认模型）".into(),
            "Logit-linear weighted least squares (logit_wls, the former default)".into(),
        ),
        equations: vec![
            t(
                "对logit(p)=ln(p/(1−p))拟合直线y=a+b·t。各点都有标准误时权重为1/(v+τ²)，v=se²/(p(1−p))²（delta方法），τ²为DerSimonian–Laird矩估计，预测服从正态分布。".into(),
                "A straight line y = a + b·t on logit(p) = ln(p/(1−p)). With a standard error for every point, weights 1/(v + τ²), v = se²/(p(1−p))² (delta method), τ² by DerSimonian–Laird moments; Normal predictions.".into(),
            ),
            t(
                format!("缺少标准误时用时间衰减权重0.5^(距最新年份年数/{h})，残差方差σ̂²=RSS/(n−2)向合并残差方差收缩：σ̃²=(d₀s₀²+(n−2)σ̂²)/(d₀+n−2)，预测服从t分布（与R的lm加权回归及predict预测区间相同）。"),
                format!("Without standard errors, recency weights 0.5^(age/{h}) and the residual variance σ̂² = RSS/(n−2) moderated toward the pooled one: σ̃² = (d₀s₀² + (n−2)σ̂²)/(d₀ + n − 2), Student t predictions (as R's weighted lm with predict(interval = \"prediction\"))."),
            ),
            t(
                "斜率经验贝叶斯收缩：b̃=γb̂+(1−γ)β₀，γ=σ_b²/(σ_b²+Var b̂)，β₀为同级地区（至少3个）的随机效应平均斜率，否则为最近上级的斜率；两个点时用两点直线，一个点时借用合并斜率。".into(),
                "Slopes shrunk by empirical Bayes: b̃ = γb̂ + (1−γ)β₀, γ = σ_b²/(σ_b² + Var b̂), β₀ the random-effects mean slope of at least 3 sibling jurisdictions, else the nearest ancestor's slope; two points give the two-point line, one point the pooled slope.".into(),
            ),
            t(
                "达标概率P=1−F((logit y*−μ_T)/σ_T)，F与预测区间所用分布相同。".into(),
                "Probability of reaching the target P = 1 − F((logit y* − μ_T)/σ_T), with the same F as the intervals.".into(),
            ),
        ],
        hyperparameters: vec![
            t(
                format!("设定：时间衰减半衰期h={h}年；先验自由度d₀={d0}；斜率收缩{}。", if cfg.shrink { "开启" } else { "关闭" }),
                format!("Settings: recency half-life h = {h} years; prior df d₀ = {d0}; slope shrinkage {}.", if cfg.shrink { "on" } else { "off" }),
            ),
            resid_line,
        ],
        pooling,
    }
}

/// A benchmark ([`super::panel::Benchmark`]) fitted to `series`: the pooled residual (or
/// step) variance on the model's scale and its df.
pub(crate) fn describe_benchmark(
    model: ModelKind,
    series: &[Series],
    pooling: Vec<String>,
    zh: bool,
) -> ModelDescription {
    let t = |a: String, b: String| if zh { a } else { b };

    let resid = ResidualPrior::pool(
        series
            .iter()
            .filter_map(|s| benchmark_residual(model, &s.points)),
    )
    .unwrap_or(ResidualPrior::fallback(model.scale()));
    let (title, eq) = match model {
        ModelKind::LinearPp => (
            t("百分点直线（linear_pp，基准模型）".into(), "Straight line in percentage points (linear_pp, benchmark)".into()),
            t(
                "以普通最小二乘对百分比拟合直线y=a+b·t；预测区间与R的lm加上predict预测区间相同（t分布，自由度n−2）；两个点时残差方差取各序列合并值。".into(),
                "Ordinary least squares line y = a + b·t on the percentage; prediction interval as R's lm with predict(interval = \"prediction\") (Student t, n − 2 df); with two points the pooled residual variance.".into(),
            ),
        ),
        ModelKind::Cagr => (
            t("固定年均增长率（cagr，基准模型）".into(), "Constant growth rate (cagr, benchmark)".into()),
            t(
                "对数尺度上的带漂移随机游走：漂移δ=(ln y_n−ln y_1)/(t_n−t_1)（即首末两点的年均增长率）；步长方差σ²=Σ(d_i−δΔ_i)²/Δ_i/(m−1)；h年后方差σ²h+σ²h²/(t_n−t_1)，t分布（自由度m−1）。".into(),
                "Random walk with drift on the log scale: drift δ = (ln y_n − ln y_1)/(t_n − t_1) (the first-to-last growth rate); step variance σ² = Σ(d_i − δΔ_i)²/Δ_i/(m − 1); variance h years ahead σ²h + σ²h²/(t_n − t_1), Student t with m − 1 df.".into(),
            ),
        ),
        ModelKind::RwDriftLogit => (
            t("logit尺度带漂移随机游走（rw_drift_logit，基准模型）".into(), "Random walk with drift on the logit scale (rw_drift_logit, benchmark)".into()),
            t(
                "logit尺度上的带漂移随机游走：漂移δ=(y_n−y_1)/(t_n−t_1)；步长方差σ²=Σ(d_i−δΔ_i)²/Δ_i/(m−1)；h年后方差σ²h+σ²h²/(t_n−t_1)，t分布（自由度m−1）。".into(),
                "Random walk with drift on the logit scale: drift δ = (y_n − y_1)/(t_n − t_1); step variance σ² = Σ(d_i − δΔ_i)²/Δ_i/(m − 1); variance h years ahead σ²h + σ²h²/(t_n − t_1), Student t with m − 1 df.".into(),
            ),
        ),
        _ => (
            t("最近变化外推（drift_pp，基准模型）".into(), "Naive drift in percentage points (drift_pp, benchmark)".into()),
            t(
                "百分点尺度上的随机游走，漂移取最近两次调查之间的年均变化δ=(y_n−y_{n−1})/(t_n−t_{n−1})，从最新值外推；步长方差同上（围绕平均漂移），h年后方差σ²h+σ²h²/(t_n−t_{n−1})。".into(),
                "Random walk in percentage points with the drift of the last two surveys δ = (y_n − y_{n−1})/(t_n − t_{n−1}), extended from the latest value; step variance as above (about the mean drift), variance h years ahead σ²h + σ²h²/(t_n − t_{n−1}).".into(),
            ),
        ),
    };
    ModelDescription {
        name: model.name(),
        title,
        equations: vec![
            eq,
            t(
                "不在地区之间合并斜率；达标概率P=1−F((g(y*)−μ_T)/σ_T)，g为模型尺度的变换，F与预测区间所用分布相同。".into(),
                "Slopes are not pooled across jurisdictions; P = 1 − F((g(y*) − μ_T)/σ_T) with g the model's scale and the same F as the intervals.".into(),
            ),
        ],
        hyperparameters: vec![t(
            format!("合并残差（步长）方差{}（模型尺度，自由度{}），供点数过少、无法自行估计的序列使用。", num(resid.var), num(resid.df)),
            format!("Pooled residual (step) variance {} on the model's scale ({} df), for series too short to estimate their own.", num(resid.var), num(resid.df)),
        )],
        pooling,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;
    use crate::trend::local::estimate_noise;
    use crate::trend::{describe, fit_panel, TrendConfig, TrendPoint};

    fn panel() -> (Vec<Series>, HashMap<String, String>) {
        let p = |year, value| TrendPoint {
            year,
            value,
            se: None,
        };
        let series = vec![
            Series {
                id: "N".into(),
                level: Some(Level::National),
                points: vec![p(2015, 6.2), p(2018, 8.47), p(2020, 10.56), p(2023, 14.14)],
            },
            Series {
                id: "P".into(),
                level: Some(Level::Province),
                points: vec![p(2018, 7.0), p(2020, 9.0), p(2023, 12.0)],
            },
        ];
        let parents = [("P".to_string(), "N".to_string())].into_iter().collect();
        (series, parents)
    }

    /// Every model names itself, and the descriptions differ from each other.
    #[test]
    fn each_model_names_itself() {
        let (series, parents) = panel();
        let mut seen = Vec::new();
        for m in ModelKind::ALL {
            let cfg = TrendConfig {
                model: m,
                ..TrendConfig::default()
            };
            let fits = fit_panel(&series, &parents, &cfg, m).fits;
            for lang in [Lang::Zh, Lang::En] {
                let d = describe(&cfg, &series, &parents, &fits, lang);
                assert_eq!(d.name, m.name());
                assert!(d.title.contains(m.name()), "{}", d.title);
                assert!(!d.equations.is_empty() && !d.hyperparameters.is_empty());
                seen.push(d.equations.join(""));
            }
        }
        let distinct: std::collections::BTreeSet<&String> = seen.iter().collect();
        assert_eq!(distinct.len(), seen.len());
    }

    /// `local_angular` reports κ times the moment estimates: q̃ = κ·q, and κ₀ beside κ.
    #[test]
    fn local_reports_the_calibrated_components() {
        let (series, parents) = panel();
        let cfg = TrendConfig::default();
        let fits = fit_panel(&series, &parents, &cfg, cfg.model).fits;
        let d = describe(&cfg, &series, &parents, &fits, Lang::En);
        let noise = estimate_noise(&series, &parents);
        let q_tilde = num(cfg.local.noise_scale * noise.level_var);
        assert!(
            d.hyperparameters[1].contains(&format!("q̃ = κq = {q_tilde}")),
            "{:?}",
            d.hyperparameters
        );
        let k0 = num(cfg.local.root_scale);
        assert!(
            d.hyperparameters[0].contains(&format!("κ₀ = {k0}")),
            "{:?}",
            d.hyperparameters
        );
        // P's two intervals (2018–2020, 2020–2023, both covered by N) are fewer than the
        // transfer scale needs: λ = 1.
        assert_eq!((noise.transfer, noise.transfer_intervals), (1.0, 2));
        assert!(
            d.hyperparameters[3].contains("λ = 1, fewer than 10 intervals (2)"),
            "{:?}",
            d.hyperparameters
        );
        // One national and one provincial series; the province borrows the nation's slope.
        assert_eq!(d.pooling.len(), 2);
        assert!(
            d.pooling[1].starts_with("provincial: 1 series, 1 fitted"),
            "{}",
            d.pooling[1]
        );
        assert!(d.pooling[1].contains("1 slopes borrowed from an ancestor"));
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(5.0), "5");
        assert_eq!(num(0.131_182_7), "0.1312");
        assert_eq!(num(3.49e-4), "3.49e-4");
    }
}
