//! Roles, ordered by what they may do: an admin may do all an organiser may, and so on.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Member,
    Organiser,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Organiser => "organiser",
            Role::Admin => "admin",
        }
    }

    /// A role as stored in the database; one the program does not know grants the least.
    pub fn stored(s: &str) -> Role {
        s.parse().unwrap_or(Role::Member)
    }

    /// True when this role includes everything `needed` may do.
    pub fn at_least(self, needed: Role) -> bool {
        self >= needed
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "member" => Ok(Role::Member),
            "organiser" => Ok(Role::Organiser),
            "admin" => Ok(Role::Admin),
            other => Err(format!(
                "unknown role '{other}' (expected admin, organiser or member)"
            )),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(Role::Admin.at_least(Role::Organiser));
        assert!(Role::Organiser.at_least(Role::Organiser));
        assert!(!Role::Member.at_least(Role::Organiser));
        assert_eq!("organiser".parse::<Role>(), Ok(Role::Organiser));
        assert!("root".parse::<Role>().is_err());
    }
}
