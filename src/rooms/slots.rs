//! How many room connections one person may hold open at once on this instance.
//!
//! A person has a few tabs and devices; thousands of sockets from one session are an attack on
//! memory (each costs ~14 KiB and a place in every fan-out). Over the limit, the upgrade is
//! refused with 429. The std `Mutex` guards a counter update only, never an `.await`.

use crate::ids::PersonId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Open room connections per person and instance.
pub const PER_PERSON: usize = 8;

#[derive(Debug)]
pub struct Slots {
    max: usize,
    held: Mutex<HashMap<PersonId, usize>>,
}

/// One connection's place; given back when dropped.
#[derive(Debug)]
pub struct Slot {
    slots: Arc<Slots>,
    person: PersonId,
}

impl Slots {
    pub fn new(max: usize) -> Arc<Slots> {
        Arc::new(Slots {
            max,
            held: Mutex::new(HashMap::new()),
        })
    }

    /// A place for one more connection of `person`, or None when they hold the maximum.
    pub fn take(self: &Arc<Self>, person: PersonId) -> Option<Slot> {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        let n = held.entry(person).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(Slot {
            slots: self.clone(),
            person,
        })
    }

    pub fn held_by(&self, person: PersonId) -> usize {
        self.held
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&person)
            .copied()
            .unwrap_or(0)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut held = self.slots.held.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = held.get_mut(&self.person) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                held.remove(&self.person);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_gets_at_most_max_and_places_come_back() {
        let slots = Slots::new(2);
        let a = slots.take(PersonId(1));
        let b = slots.take(PersonId(1));
        assert!(a.is_some() && b.is_some());
        assert!(slots.take(PersonId(1)).is_none());
        assert!(
            slots.take(PersonId(2)).is_some(),
            "another person is not affected"
        );
        drop(a);
        assert!(slots.take(PersonId(1)).is_some());
        drop(b);
        assert_eq!(slots.held_by(PersonId(1)), 0);
    }
}
