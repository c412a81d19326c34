//! The department tree: which departments a Department Admin reaches (the ones assigned
//! to them and every sub-department), and whether a new parent link would make a cycle.

use super::DeptId;
use std::collections::{BTreeSet, HashMap};

/// Parent links of one organization's departments.
#[derive(Clone, Debug, Default)]
pub struct DeptTree {
    children: HashMap<DeptId, Vec<DeptId>>,
    parent: HashMap<DeptId, DeptId>,
}

impl DeptTree {
    /// Builds the tree from `(department, parent)` pairs.
    pub fn new(edges: impl IntoIterator<Item = (DeptId, Option<DeptId>)>) -> DeptTree {
        let mut t = DeptTree::default();
        for (id, parent) in edges {
            t.children.entry(id).or_default();
            if let Some(p) = parent {
                t.children.entry(p).or_default().push(id);
                t.parent.insert(id, p);
            }
        }
        t
    }

    /// The given departments and all their descendants.
    pub fn subtree(&self, roots: &[DeptId]) -> BTreeSet<DeptId> {
        let mut out = BTreeSet::new();
        let mut stack: Vec<DeptId> = roots.to_vec();
        while let Some(d) = stack.pop() {
            if out.insert(d) {
                if let Some(kids) = self.children.get(&d) {
                    stack.extend(kids.iter().copied());
                }
            }
        }
        out
    }

    /// Every (ancestor, descendant) pair, each department being its own ancestor: the
    /// closure table the data layer queries to apply a Department Admin's scope.
    pub fn closure(&self) -> Vec<(DeptId, DeptId)> {
        let mut ids: Vec<DeptId> = self.children.keys().copied().collect();
        ids.sort();
        ids.into_iter()
            .flat_map(|a| self.subtree(&[a]).into_iter().map(move |d| (a, d)))
            .collect()
    }

    /// Whether `dept` is one of the tree's departments.
    pub fn contains(&self, dept: DeptId) -> bool {
        self.children.contains_key(&dept)
    }

    /// The parent of `dept`, `None` for a root (or an unknown department).
    pub fn parent(&self, dept: DeptId) -> Option<DeptId> {
        self.parent.get(&dept).copied()
    }

    /// Whether `dept` would sit under itself if moved below `new_parent`.
    pub fn would_cycle(&self, dept: DeptId, new_parent: DeptId) -> bool {
        self.subtree(&[dept]).contains(&new_parent)
    }

    /// Depth of a department (a root is 0).
    pub fn depth(&self, dept: DeptId) -> usize {
        let mut d = 0;
        let mut cur = dept;
        while let Some(p) = self.parent.get(&cur) {
            d += 1;
            cur = *p;
            if d > 10_000 {
                break;
            }
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> DeptTree {
        // 1 ─┬─ 2 ── 4 ── 6
        //    └─ 3 ── 5
        // 7 (another root)
        DeptTree::new([
            (DeptId(1), None),
            (DeptId(2), Some(DeptId(1))),
            (DeptId(3), Some(DeptId(1))),
            (DeptId(4), Some(DeptId(2))),
            (DeptId(5), Some(DeptId(3))),
            (DeptId(6), Some(DeptId(4))),
            (DeptId(7), None),
        ])
    }

    fn ids(v: &[i64]) -> BTreeSet<DeptId> {
        v.iter().copied().map(DeptId).collect()
    }

    #[test]
    fn subtree_includes_every_level_below() {
        let t = tree();
        assert_eq!(t.subtree(&[DeptId(2)]), ids(&[2, 4, 6]));
        assert_eq!(t.subtree(&[DeptId(1)]), ids(&[1, 2, 3, 4, 5, 6]));
        assert_eq!(t.subtree(&[DeptId(3), DeptId(7)]), ids(&[3, 5, 7]));
        assert_eq!(t.subtree(&[]), ids(&[]));
    }

    #[test]
    fn closure_pairs_each_ancestor_with_its_descendants() {
        let c = tree().closure();
        assert!(c.contains(&(DeptId(1), DeptId(6))));
        assert!(c.contains(&(DeptId(6), DeptId(6))));
        assert!(!c.contains(&(DeptId(2), DeptId(5))));
        assert_eq!(c.len(), 6 + 3 + 2 + 2 + 1 + 1 + 1);
    }

    #[test]
    fn cycles_are_detected() {
        let t = tree();
        assert!(t.would_cycle(DeptId(2), DeptId(6)));
        assert!(t.would_cycle(DeptId(2), DeptId(2)));
        assert!(!t.would_cycle(DeptId(2), DeptId(3)));
    }

    #[test]
    fn depth_counts_parents() {
        let t = tree();
        assert_eq!(t.depth(DeptId(1)), 0);
        assert_eq!(t.depth(DeptId(6)), 3);
    }
}
