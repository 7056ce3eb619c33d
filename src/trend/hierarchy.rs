//! The administrative hierarchy as the trend models walk it: a jurisdiction's ancestors,
//! nearest first, from the registry's id → parent map, safe against a malformed cycle.

use std::collections::HashMap;

/// The registry's parent links, borrowed once per panel.
#[derive(Debug, Clone, Copy)]
pub struct Hierarchy<'a> {
    parent_of: &'a HashMap<String, String>,
}

impl<'a> Hierarchy<'a> {
    /// The hierarchy of `parent_of` (jurisdiction id → parent id).
    pub fn new(parent_of: &'a HashMap<String, String>) -> Hierarchy<'a> {
        Hierarchy { parent_of }
    }

    /// The parent of `id`, if it has one.
    pub fn parent(&self, id: &str) -> Option<&'a str> {
        self.parent_of.get(id).map(String::as_str)
    }

    /// The ancestors of `id`, nearest first, each with the number of parent links up to it
    /// (1 for the parent). A walk stops after as many links as the registry has entries, so a
    /// cycle cannot loop.
    pub fn ancestors(&self, id: &str) -> Ancestors<'a> {
        Ancestors {
            parent_of: self.parent_of,
            next: self.parent(id),
            steps: 0,
        }
    }
}

/// The iterator of [`Hierarchy::ancestors`].
#[derive(Debug, Clone)]
pub struct Ancestors<'a> {
    parent_of: &'a HashMap<String, String>,
    next: Option<&'a str>,
    steps: usize,
}

impl<'a> Ancestors<'a> {
    /// Parent links walked so far: after the walk ends, the jurisdiction's depth (0 for a
    /// root); one more than the registry's size when the walk was cut short by a cycle.
    pub fn depth(&self) -> usize {
        self.steps
    }
}

impl<'a> Iterator for Ancestors<'a> {
    type Item = (&'a str, usize);

    fn next(&mut self) -> Option<Self::Item> {
        let id = self.next?;
        self.steps += 1;
        if self.steps > self.parent_of.len() {
            self.next = None;
            return None;
        }
        self.next = self.parent_of.get(id).map(String::as_str);
        Some((id, self.steps))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    /// county → prefecture → province → nation: three ancestors with 1, 2, 3 links, depth 3.
    #[test]
    fn ancestors_nearest_first_with_links() {
        let m = map(&[("c", "pf"), ("pf", "pv"), ("pv", "n")]);
        let h = Hierarchy::new(&m);
        let mut walk = h.ancestors("c");
        let got: Vec<_> = walk.by_ref().collect();
        assert_eq!(got, [("pf", 1), ("pv", 2), ("n", 3)]);
        assert_eq!(walk.depth(), 3);
        let mut root = h.ancestors("n");
        assert_eq!(root.next(), None);
        assert_eq!(root.depth(), 0);
    }

    /// a ↔ b (2 entries): the walk from a yields b, a, then stops at the third link.
    #[test]
    fn a_cycle_stops() {
        let m = map(&[("a", "b"), ("b", "a")]);
        let mut walk = Hierarchy::new(&m).ancestors("a");
        let got: Vec<_> = walk.by_ref().collect();
        assert_eq!(got, [("b", 1), ("a", 2)]);
        assert_eq!(walk.depth(), 3);
    }
}
