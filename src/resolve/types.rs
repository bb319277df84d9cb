//! One type per name across the archive.
//!
//! The tagger decides each mention from its own sentence, so one name can be a person in one
//! article and an organisation in the next ("Trump", "Assange"), and each type would get a page
//! of its own: two half-stories for the reader. Here the mentions of each name are counted by
//! type over the whole archive; a page made only of that name joins the page of the type most
//! of its mentions have, and the page says how the mentions were tagged.
//!
//! Only groups whose every spelling is the disputed name move: a group that also holds other
//! spellings ("Donald Trump" with "Trump") was put together by stronger evidence. A tie moves
//! nothing (no evidence which type is right), nor does a correction from `entities.toml`.

use rustc_hash::FxHashMap;

use crate::model::EntityKind;

/// What one group of mentions brings to the vote.
pub struct Voter<'a> {
    pub kind: EntityKind,
    /// Spellings with their number of mentions (0 for a full name given for a short form).
    pub forms: &'a [(String, usize)],
    /// Its type was set in `entities.toml`: it never moves.
    pub fixed: bool,
}

/// The outcome: groups that join another, and for each group that received some, how the
/// mentions of the disputed name were tagged (by type, most first).
#[derive(Default, Debug)]
pub struct Votes {
    pub redirect: FxHashMap<u32, u32>,
    pub tagged: FxHashMap<u32, Vec<(EntityKind, usize)>>,
}

/// A name that is a large place and no listed organisation stays a place: a city or country
/// "tagged as organisation" is a government ("Ottawa planned") or a team, and the reader looks
/// for the place.
pub fn decide(voters: &[Voter], key: impl Fn(&str) -> String, large_place: impl Fn(&str) -> bool) -> Votes {
    // Every spelling's name key, with the groups that use it and how often, and the first
    // spelling seen of it.
    let mut by_name: FxHashMap<String, Vec<(u32, usize)>> = FxHashMap::default();
    let mut spelling: FxHashMap<String, &str> = FxHashMap::default();
    // The one name a group is made of, if it is made of one.
    let mut sole: Vec<Option<String>> = Vec::with_capacity(voters.len());
    for (g, v) in voters.iter().enumerate() {
        let votes = matches!(v.kind, EntityKind::Person | EntityKind::Organisation | EntityKind::Location);
        let mut names: Vec<String> = Vec::new();
        for (form, n) in v.forms.iter().filter(|(_, n)| *n > 0) {
            let k = key(form);
            if votes {
                by_name.entry(k.clone()).or_default().push((g as u32, *n));
                spelling.entry(k.clone()).or_insert(form.as_str());
            }
            if !names.contains(&k) {
                names.push(k);
            }
        }
        sole.push(if names.len() == 1 && votes { names.pop() } else { None });
    }
    let mut names: Vec<(&String, &Vec<(u32, usize)>)> = by_name.iter().filter(|(_, gs)| gs.len() > 1).collect();
    names.sort_unstable_by(|a, b| a.0.cmp(b.0));

    let mut out = Votes::default();
    for (name, groups) in names {
        let mut totals: Vec<(EntityKind, usize)> = Vec::new();
        for &(g, n) in groups {
            let kind = voters[g as usize].kind;
            match totals.iter_mut().find(|(k, _)| *k == kind) {
                Some(t) => t.1 += n,
                None => totals.push((kind, n)),
            }
        }
        if totals.len() < 2 {
            continue;
        }
        totals.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let winner = if totals.iter().any(|(k, _)| *k == EntityKind::Location) && large_place(spelling[name.as_str()]) {
            EntityKind::Location
        } else if totals[0].1 > totals[1].1 {
            totals[0].0
        } else {
            continue;
        };
        // The page the others join: of the winning type, made of this name alone if there is
        // one, else the one that uses the name most; the first such group on a tie.
        let target = groups
            .iter()
            .filter(|(g, _)| voters[*g as usize].kind == winner)
            .max_by(|a, b| {
                let sole_a = sole[a.0 as usize].as_ref() == Some(name);
                let sole_b = sole[b.0 as usize].as_ref() == Some(name);
                sole_a.cmp(&sole_b).then(a.1.cmp(&b.1)).then(b.0.cmp(&a.0))
            })
            .map(|(g, _)| *g)
            .expect("the winning type has a group");
        let mut moved = false;
        for &(g, _) in groups {
            let v = &voters[g as usize];
            if v.kind != winner && !v.fixed && sole[g as usize].as_ref() == Some(name) {
                out.redirect.insert(g, target);
                moved = true;
            }
        }
        if moved {
            out.tagged.insert(target, totals);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(list: &[(&str, usize)]) -> Vec<(String, usize)> {
        list.iter().map(|(f, n)| (f.to_string(), *n)).collect()
    }

    fn run(groups: &[(EntityKind, Vec<(String, usize)>, bool)]) -> Votes {
        let voters: Vec<Voter> = groups.iter().map(|(kind, forms, fixed)| Voter { kind: *kind, forms, fixed: *fixed }).collect();
        decide(&voters, |f| f.to_lowercase(), |f| f == "Ottawa")
    }

    #[test]
    fn a_name_takes_the_type_most_of_its_mentions_have() {
        use EntityKind::*;
        let v = run(&[
            (Person, forms(&[("Assange", 40)]), false),
            (Organisation, forms(&[("Assange", 17)]), false),
            (Person, forms(&[("Julian Assange", 9), ("Assange", 3)]), false),
        ]);
        assert_eq!(v.redirect.get(&1), Some(&0), "{v:?}");
        assert!(!v.redirect.contains_key(&2), "a group with other spellings stays: {v:?}");
        assert_eq!(v.tagged.get(&0), Some(&vec![(Person, 43), (Organisation, 17)]));
    }

    #[test]
    fn a_tie_or_a_correction_moves_nothing_and_a_large_place_stays_a_place() {
        use EntityKind::*;
        let tie = run(&[(Person, forms(&[("Jordan", 2)]), false), (Location, forms(&[("Jordan", 2)]), false)]);
        assert!(tie.redirect.is_empty(), "{tie:?}");
        let fixed = run(&[(Person, forms(&[("Kadro", 5)]), false), (Organisation, forms(&[("Kadro", 1)]), true)]);
        assert!(fixed.redirect.is_empty(), "{fixed:?}");
        let place = run(&[(Organisation, forms(&[("Ottawa", 11)]), false), (Location, forms(&[("Ottawa", 5)]), false)]);
        assert_eq!(place.redirect.get(&0), Some(&1), "{place:?}");
    }
}
