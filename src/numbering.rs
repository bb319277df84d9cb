//! Numbers for distinct values in the order they are first met, so that a stage holding one
//! reference per occurrence (a mention's entity group, a document's terms) keeps a `u32` rather
//! than a copy of the value, which would be a string per occurrence in the whole archive.

use rustc_hash::FxHashMap;
use std::hash::Hash;

pub struct FirstSeen<K> {
    ids: FxHashMap<K, u32>,
}

impl<K: Hash + Eq> FirstSeen<K> {
    pub fn new() -> FirstSeen<K> {
        FirstSeen { ids: FxHashMap::default() }
    }

    /// The value's number: the next one if it was not met before.
    pub fn id(&mut self, value: K) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(value).or_insert(next)
    }

    /// `id` for a borrowed value, copied only when it is new.
    pub fn id_of<Q>(&mut self, value: &Q) -> u32
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        match self.ids.get(value) {
            Some(id) => *id,
            None => self.id(value.to_owned()),
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// The values, each at its number.
    pub fn into_values(self) -> Vec<K> {
        let mut pairs: Vec<(u32, K)> = self.ids.into_iter().map(|(k, i)| (i, k)).collect();
        pairs.sort_unstable_by_key(|p| p.0);
        pairs.into_iter().map(|p| p.1).collect()
    }
}

impl<K: Hash + Eq> Default for FirstSeen<K> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_are_numbered_as_first_met() {
        let mut n = super::FirstSeen::new();
        let ids: Vec<u32> = ["b", "a", "b", "c", "a"].into_iter().map(|v| n.id(v)).collect();
        assert_eq!(ids, [0, 1, 0, 2, 1]);
        assert_eq!(n.len(), 3);
        let mut owned = super::FirstSeen::new();
        let ids: Vec<u32> = ["b", "a", "b"].into_iter().map(|v| owned.id_of(v)).collect();
        assert_eq!(ids, [0, 1, 0]);
        assert_eq!(owned.into_values(), [String::from("b"), String::from("a")]);
        assert_eq!(n.into_values(), ["b", "a", "c"]);
    }
}
