//! Jurisdictions of the registry: their administrative [`Level`] and names.

use crate::error::UnknownName;
use crate::model::Lang;

use serde::{Deserialize, Serialize};

/// Id of the nation in the registry (as in common Chinese administrative datasets).
pub const NATION_ID: &str = "100000";

/// Administrative level of a jurisdiction. Its names are the strum attributes: the canonical
/// lowercase name first (`to_string`, [`Level::as_str`], [`Level::NAMES`]), then the other
/// English and Chinese names [`str::parse`] accepts.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::VariantNames,
    strum::EnumIter,
    strum::EnumMessage,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The nation (全国).
    #[strum(
        to_string = "national",
        serialize = "nation",
        serialize = "全国",
        serialize = "国家"
    )]
    National,
    /// Province-level division (省, 自治区, 直辖市).
    #[strum(
        to_string = "province",
        serialize = "provincial",
        serialize = "省",
        serialize = "省级"
    )]
    Province,
    /// Prefecture-level division (地级市, 盟, 州).
    #[strum(
        to_string = "prefecture",
        serialize = "city",
        serialize = "市",
        serialize = "地级",
        serialize = "地市",
        serialize = "市级"
    )]
    Prefecture,
    /// County-level division (县, 区, 县级市).
    #[strum(
        to_string = "county",
        serialize = "district",
        serialize = "县",
        serialize = "县级",
        serialize = "区",
        serialize = "区县"
    )]
    County,
}

impl std::str::FromStr for Level {
    type Err = UnknownName;

    /// Parses a level from any of its names (`province`, `省级`, `city`, `区县`, …), trimmed and
    /// case-insensitively.
    fn from_str(s: &str) -> Result<Level, UnknownName> {
        use strum::{EnumMessage, IntoEnumIterator};
        let key = s.trim().to_ascii_lowercase();
        Level::iter()
            .find(|l| l.get_serializations().contains(&key.as_str()))
            .ok_or_else(|| UnknownName::new(s, Level::NAMES))
    }
}

impl Level {
    /// The canonical names, top level first (other English and Chinese names parse too).
    pub const NAMES: &'static [&'static str] = <Level as strum::VariantNames>::VARIANTS;

    /// Canonical lowercase name, as in `jurisdictions.csv` and the output.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A jurisdiction of the registry (`jurisdictions.csv`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Jurisdiction {
    /// GB/T 2260 code where one exists, else any unique string.
    pub id: String,
    /// Chinese name (e.g. 乌海市).
    pub name_zh: String,
    /// May be empty.
    pub name_en: String,
    /// Administrative level.
    pub level: Level,
    /// Id of the parent; `None` only for the root (the nation).
    pub parent: Option<String>,
    /// Full official Chinese name (包头市, 内蒙古自治区, 海淀区) when it differs from the
    /// display name `name_zh` (包头, 内蒙古); empty means the same. Found by lookup
    /// ([`Dataset::resolve`](crate::model::Dataset::resolve)) like the display name.
    #[serde(default)]
    pub full_name_zh: String,
    /// A statistical zone (`statistical_zone = yes`: a development zone or scenic area with a
    /// statistical code but no administrative status, e.g. 五台山风景名胜区 140971): found only
    /// by its code or its exact full name, never by a short name or a suggestion's guess.
    #[serde(default)]
    pub statistical_zone: bool,
}

impl Jurisdiction {
    /// A registry row: GB/T 2260 code, Chinese name, level and parent code (`None` for the
    /// nation). The English and full names are empty; not a statistical zone.
    pub fn new(id: &str, name_zh: &str, level: Level, parent: Option<&str>) -> Self {
        Jurisdiction {
            id: id.to_string(),
            name_zh: name_zh.to_string(),
            name_en: String::new(),
            level,
            parent: parent.map(str::to_string),
            full_name_zh: String::new(),
            statistical_zone: false,
        }
    }

    /// The full official Chinese name: `full_name_zh`, or the display name when that is empty.
    pub fn full_name(&self) -> &str {
        if self.full_name_zh.is_empty() {
            &self.name_zh
        } else {
            &self.full_name_zh
        }
    }

    /// Display name in the requested language (falls back to Chinese).
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.name_en.is_empty() => &self.name_en,
            _ => &self.name_zh,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Level;

    /// Every name of a level parses to it (trimmed, ASCII case ignored), the canonical names
    /// are the output names, and an unknown name is refused.
    #[test]
    fn every_name_of_a_level_parses() {
        let names: [(Level, &[&str]); 4] = [
            (Level::National, &["national", "nation", "全国", "国家"]),
            (Level::Province, &["province", "provincial", "省", "省级"]),
            (
                Level::Prefecture,
                &["prefecture", "city", "市", "地级", "地市", "市级"],
            ),
            (
                Level::County,
                &["county", "district", "县", "县级", "区", "区县"],
            ),
        ];
        for (level, spellings) in names {
            for s in spellings {
                assert_eq!(s.parse::<Level>().ok(), Some(level), "{s}");
            }
        }
        assert_eq!(" Province ".parse::<Level>().ok(), Some(Level::Province));
        assert_eq!("CITY".parse::<Level>().ok(), Some(Level::Prefecture));
        assert!("town".parse::<Level>().is_err());
        assert_eq!(
            Level::NAMES,
            ["national", "province", "prefecture", "county"]
        );
        assert_eq!(Level::Prefecture.as_str(), "prefecture");
    }
}
