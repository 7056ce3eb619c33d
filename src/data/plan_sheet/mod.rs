//! Plans as a spreadsheet: the fill-in workbook of `litmon plans --template -o 方案.xlsx`
//! (or `.csv`) and its reading back by `--plans 方案.xlsx`.
//!
//! One row per plan target: the plan's columns (地区, 方案名称, 发文机关, 文号, 起始年,
//! 结束年), the indicator's (指标代码, 指标名称, 类型, 单位, 方向, 基期年, 基期值, 牵头部门,
//! 备注) and the target's (目标年, 目标值, 限定词). Rows with the same 地区 and 方案名称 are
//! one plan; within it, the first row of an indicator gives its target and each further
//! row of the same indicator with another 目标年 a milestone. The plans read are the
//! [`Plan`](crate::model::Plan) values a plan TOML gives (see `seeds/SCHEMA.md`) and go through the same
//! validation; every problem of the sheet is reported at once, each at its row and column.
//!
//! One concept per file: the columns and their headers (`columns`), the header mapped to
//! columns (`header`), the words of the cells (`words`), writing the template and the plans
//! table (`template`), and reading a sheet back (`read`): rows into plans, each row's
//! indicator or milestone (`indicator`), the plan being built (`building`) and where each
//! key was read (`places`).

mod building;
mod columns;
mod header;
mod indicator;
mod places;
mod read;
mod template;
mod words;

pub(crate) use places::SheetPlaces;
pub(crate) use read::{is_plan_sheet, parse_plan_sheet};
pub use template::{explanation_table, plans_table, template, workbook};
