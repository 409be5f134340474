//! The outcome space as a mixed-radix number: outcome `w` picks option
//! `(w / stride[i]) % radix[i]` on issue `i`. No table of outcomes is stored.

#[derive(Debug, Clone)]
pub struct OutcomeSpace {
    pub radix: Vec<u32>,
    pub stride: Vec<u32>,
    pub size: u32,
}

impl OutcomeSpace {
    /// Builds the space; the caller has checked that the size fits the limit.
    pub fn new(radix: Vec<u32>) -> Self {
        let mut stride = Vec::with_capacity(radix.len());
        let mut size: u32 = 1;
        // The last issue varies fastest, like reading a table row by row.
        for r in radix.iter().rev() {
            stride.push(size);
            size = size.saturating_mul(*r);
        }
        stride.reverse();
        OutcomeSpace { radix, stride, size }
    }

    #[inline]
    pub fn option_of(&self, outcome: u32, issue: usize) -> u32 {
        (outcome / self.stride[issue]) % self.radix[issue]
    }

    /// The outcome choosing `options[i]` on each issue `i`.
    pub fn outcome_of(&self, options: &[u32]) -> u32 {
        options.iter().zip(&self.stride).map(|(o, s)| o * s).sum()
    }

    pub fn len(&self) -> usize {
        self.size as usize
    }

    pub fn is_empty(&self) -> bool {
        self.size == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_round_trip_through_the_index() {
        let s = OutcomeSpace::new(vec![4, 3, 5]);
        assert_eq!(s.size, 60);
        for w in 0..s.size {
            let opts: Vec<u32> = (0..3).map(|i| s.option_of(w, i)).collect();
            assert_eq!(s.outcome_of(&opts), w);
        }
        assert_eq!((0..3).map(|i| s.option_of(59, i)).collect::<Vec<_>>(), vec![3, 2, 4]);
    }
}
