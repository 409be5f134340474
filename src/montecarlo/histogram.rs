//! A fixed-range, fine-binned histogram: mergeable by adding counts, and
//! precise enough for quantiles (the bin width is the error bound).

/// Bins of the fine histogram behind quantiles.
pub const FINE_BINS: usize = 4096;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FineHistogram {
    pub lo: f64,
    pub hi: f64,
    pub counts: Vec<u64>,
}

impl FineHistogram {
    /// A histogram over [lo, hi]; a degenerate range is widened a little so
    /// that every value has a bin.
    pub fn new(lo: f64, hi: f64) -> Self {
        let (lo, hi) = if hi > lo { (lo, hi) } else { (lo - 0.5, lo + 0.5) };
        FineHistogram { lo, hi, counts: vec![0; FINE_BINS] }
    }

    pub fn width(&self) -> f64 {
        (self.hi - self.lo) / FINE_BINS as f64
    }

    #[inline]
    pub fn add(&mut self, x: f64) {
        let k = ((x - self.lo) / (self.hi - self.lo) * FINE_BINS as f64) as isize;
        self.counts[k.clamp(0, FINE_BINS as isize - 1) as usize] += 1;
    }

    pub fn merge(&mut self, other: &FineHistogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The `p`-quantile, interpolated linearly inside its bin; `None` when
    /// empty. Accurate to one bin width.
    pub fn quantile(&self, p: f64) -> Option<f64> {
        let n = self.total();
        if n == 0 {
            return None;
        }
        let rank = p.clamp(0.0, 1.0) * n as f64;
        let mut before = 0u64;
        for (k, &c) in self.counts.iter().enumerate() {
            if c > 0 && (before + c) as f64 >= rank {
                let within = ((rank - before as f64) / c as f64).clamp(0.0, 1.0);
                return Some(self.lo + (k as f64 + within) * self.width());
            }
            before += c;
        }
        Some(self.hi)
    }

    /// The share of values below `x`, counting half of those in `x`'s own
    /// bin (a mid-rank percentile); `None` when empty. Accurate to one bin.
    pub fn fraction_below(&self, x: f64) -> Option<f64> {
        let n = self.total();
        if n == 0 {
            return None;
        }
        let k = ((x - self.lo) / (self.hi - self.lo) * FINE_BINS as f64).floor();
        if k < 0.0 {
            return Some(0.0);
        }
        if k >= FINE_BINS as f64 {
            return Some(1.0);
        }
        let k = k as usize;
        let below: u64 = self.counts[..k].iter().sum();
        Some((below as f64 + 0.5 * self.counts[k] as f64) / n as f64)
    }

    /// Regroups the fine bins that hold data into at most `max_bins` equal
    /// bins with exact counts: (left edges plus the final right edge, counts).
    pub fn coarse(&self, max_bins: usize) -> (Vec<f64>, Vec<u64>) {
        let first = self.counts.iter().position(|&c| c > 0);
        let last = self.counts.iter().rposition(|&c| c > 0);
        let (Some(first), Some(last)) = (first, last) else {
            return (Vec::new(), Vec::new());
        };
        let span = last - first + 1;
        let group = span.div_ceil(max_bins.max(1));
        let mut edges = Vec::new();
        let mut counts = Vec::new();
        let mut k = first;
        while k <= last {
            edges.push(self.lo + k as f64 * self.width());
            counts.push(self.counts[k..(k + group).min(FINE_BINS)].iter().sum());
            k += group;
        }
        edges.push(self.lo + k.min(FINE_BINS) as f64 * self.width());
        (edges, counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_of_a_uniform_grid_are_within_one_bin() {
        let mut h = FineHistogram::new(0.0, 1.0);
        for k in 0..10_000 {
            h.add(k as f64 / 10_000.0);
        }
        for p in [0.05, 0.25, 0.5, 0.75, 0.95] {
            let q = h.quantile(p).unwrap();
            assert!((q - p).abs() <= h.width() + 1e-4, "p {p}: {q}");
        }
    }

    #[test]
    fn coarse_bins_keep_every_count() {
        let mut h = FineHistogram::new(-1.0, 1.0);
        for k in 0..1000 {
            h.add((k as f64 / 1000.0) * 0.5);
        }
        let (edges, counts) = h.coarse(20);
        assert_eq!(counts.iter().sum::<u64>(), 1000);
        assert_eq!(edges.len(), counts.len() + 1);
        assert!(counts.len() <= 20);
        assert!(edges[0] >= -1e-9 && *edges.last().unwrap() <= 0.51);
    }

    #[test]
    fn fraction_below_is_a_mid_rank_percentile() {
        let mut h = FineHistogram::new(0.0, 1.0);
        for k in 0..1000 {
            h.add(k as f64 / 1000.0);
        }
        assert!((h.fraction_below(0.25).unwrap() - 0.25).abs() < 2e-3);
        assert_eq!(h.fraction_below(-1.0), Some(0.0));
        assert_eq!(h.fraction_below(2.0), Some(1.0));
        assert_eq!(FineHistogram::new(0.0, 1.0).fraction_below(0.5), None);
    }

    #[test]
    fn empty_histogram_has_no_quantiles() {
        assert_eq!(FineHistogram::new(0.0, 1.0).quantile(0.5), None);
    }
}
