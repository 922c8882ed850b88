//! Row numbers grouped by a small key, such as a person's position: a counting sort.

/// Row numbers grouped by key: group `g` is `rows[offsets[g]..offsets[g + 1]]`, each group in
/// row order. Built in two passes over the rows (count, then place), so grouping a million
/// rows costs two `u32` per row and no hashing.
#[derive(Clone, Debug, Default)]
pub struct RowGroups {
    offsets: Vec<u32>,
    rows: Vec<u32>,
}

impl RowGroups {
    /// Groups rows `0..n_rows` into `n_groups` groups by `group_of`; rows whose group is
    /// `None` or not below `n_groups` are left out.
    pub fn build(
        n_rows: usize,
        n_groups: usize,
        group_of: impl Fn(usize) -> Option<usize>,
    ) -> RowGroups {
        let group_of = |row: usize| group_of(row).filter(|g| *g < n_groups);
        let mut counts = vec![0u32; n_groups + 1];
        for row in 0..n_rows {
            if let Some(g) = group_of(row) {
                counts[g + 1] += 1;
            }
        }
        for g in 0..n_groups {
            counts[g + 1] += counts[g];
        }
        let offsets = counts.clone();
        let mut next = counts;
        let mut rows = vec![0u32; offsets[n_groups] as usize];
        for row in 0..n_rows {
            if let Some(g) = group_of(row) {
                let at = &mut next[g];
                rows[*at as usize] = row as u32;
                *at += 1;
            }
        }
        RowGroups { offsets, rows }
    }

    /// The number of groups.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows of group `g`; none for a group out of range.
    pub fn of(&self, g: usize) -> &[u32] {
        match (self.offsets.get(g), self.offsets.get(g + 1)) {
            (Some(&from), Some(&to)) => &self.rows[from as usize..to as usize],
            _ => &[],
        }
    }

    /// The rows of group `g`, to reorder within the group.
    pub fn of_mut(&mut self, g: usize) -> &mut [u32] {
        match (self.offsets.get(g), self.offsets.get(g + 1)) {
            (Some(&from), Some(&to)) => &mut self.rows[from as usize..to as usize],
            _ => &mut [],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_grouped_in_row_order_and_rows_without_a_group_left_out() {
        let keys = [Some(2), Some(0), None, Some(2), Some(9), Some(0), Some(2)];
        let groups = RowGroups::build(keys.len(), 3, |row| keys[row]);
        assert_eq!(groups.len(), 3);
        assert_eq!(groups.of(0), [1, 5]);
        assert_eq!(groups.of(1), [] as [u32; 0]);
        assert_eq!(groups.of(2), [0, 3, 6]);
        assert_eq!(groups.of(3), [] as [u32; 0]);
    }
}
