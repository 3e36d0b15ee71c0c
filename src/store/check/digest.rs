//! Order-free digests of a tree's entries, so `check` can tell that a derived
//! tree holds exactly what the records imply without holding either side:
//! both are summed while streaming, one entry at a time, in any order.
//!
//! - An index tree (`SetDigest`): the wrapping sum of a 128-bit hash of each
//!   (key, value), and the count. Equal digests mean equal sets of entries,
//!   but for a chance of about 2⁻¹²⁸; a duplicate expected key (two records
//!   claiming one key) sums twice and so differs.
//! - A kept total (`SumDigest`): the wrapping sum of `H(key) × amount`, which
//!   is linear in the amount, so the ledger's entries can be added one by one
//!   in ledger order without first totalling them by key (a key whose amounts
//!   sum to zero adds nothing, as the stored tree holds no zero totals). A
//!   stored value that is not a number, or is zero, marks the tree suspect.
//!
//! A differing or suspect digest is never a finding by itself: it sends the
//! tree to the entry-by-entry comparison, which says what differs.

use std::hash::Hasher;

/// 128 bits of SipHash-1-3 (std's, fixed keys) over the framed parts: two
/// hashers told apart by a first byte.
fn h128(parts: &[&[u8]]) -> u128 {
    let half = |seed: u8| {
        let mut h = std::hash::DefaultHasher::new();
        h.write_u8(seed);
        for p in parts {
            h.write_usize(p.len());
            h.write(p);
        }
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

/// Digest of a set of (key, value) entries.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct SetDigest {
    sum: u128,
    pub(super) count: u64,
}

impl SetDigest {
    pub(super) fn add(&mut self, key: &[u8], value: &[u8]) {
        self.sum = self.sum.wrapping_add(h128(&[key, value]));
        self.count += 1;
    }
}

/// Digest of totals by key (see the module comment).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct SumDigest {
    sum: u128,
    /// A stored value that no sum of amounts would give (not a number, or 0).
    suspect: bool,
}

impl SumDigest {
    pub(super) fn add(&mut self, key: &[u8], amount: i64) {
        let weight = h128(&[key]);
        // i64 → i128 → u128 is the amount modulo 2¹²⁸, negative ones too.
        self.sum = self
            .sum
            .wrapping_add(weight.wrapping_mul(i128::from(amount) as u128));
    }

    pub(super) fn mark_suspect(&mut self) {
        self.suspect = true;
    }

    /// Whether `stored` holds what `self` (summed from the records) implies.
    pub(super) fn matches(&self, stored: &SumDigest) -> bool {
        !stored.suspect && self.sum == stored.sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_digest_ignores_order_and_sees_a_changed_value_or_a_duplicate() {
        let mut a = SetDigest::default();
        a.add(b"k1", b"v1");
        a.add(b"k2", b"v2");
        let mut b = SetDigest::default();
        b.add(b"k2", b"v2");
        b.add(b"k1", b"v1");
        assert_eq!(a, b);
        let mut c = SetDigest::default();
        c.add(b"k1", b"v1");
        c.add(b"k2", b"v3");
        assert_ne!(a, c);
        let mut d = a;
        d.add(b"k2", b"v2");
        assert_ne!(a, d);
        // Framing: the split between key and value counts.
        let mut e = SetDigest::default();
        e.add(b"k", b"1v1");
        let mut f = SetDigest::default();
        f.add(b"k1", b"v1");
        assert_ne!(e, f);
    }

    #[test]
    fn a_sum_digest_of_amounts_equals_that_of_their_totals() {
        let mut by_entry = SumDigest::default();
        for (k, n) in [(b"a", 5), (b"b", -3), (b"a", 7), (b"c", 4), (b"c", -4)] {
            by_entry.add(k, n);
        }
        let mut totals = SumDigest::default();
        totals.add(b"a", 12);
        totals.add(b"b", -3);
        assert!(by_entry.matches(&totals));
        let mut off = SumDigest::default();
        off.add(b"a", 12);
        off.add(b"b", -2);
        assert!(!by_entry.matches(&off));
        let mut moved = SumDigest::default();
        moved.add(b"a", 12);
        moved.add(b"c", -3);
        assert!(!by_entry.matches(&moved));
        let mut suspect = totals;
        suspect.mark_suspect();
        assert!(!by_entry.matches(&suspect));
    }
}
