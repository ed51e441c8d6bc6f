//! Pages of a long list (a series' themes, a theme's comments): which page was asked for, the
//! window of rows it shows, and the "previous / next" links under it, which work without
//! JavaScript like everything else.

use maud::{Markup, html};
use rust_i18n::t;

use crate::store::Window;

/// One page of a list of `total` rows, `size` to a page; `number` counts from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pager {
    pub number: i64,
    pub size: i64,
    pub total: i64,
}

impl Pager {
    /// The page asked for (`?page=N`): anything that is not a page number is the first, and a
    /// number past the end is the last.
    pub fn new(asked: Option<&str>, size: i64, total: i64) -> Pager {
        let size = size.max(1);
        let last = ((total + size - 1) / size).max(1);
        let number = asked
            .and_then(|a| a.trim().parse::<i64>().ok())
            .unwrap_or(1)
            .clamp(1, last);
        Pager {
            number,
            size,
            total,
        }
    }

    pub fn window(&self) -> Window {
        Window {
            limit: self.size,
            offset: (self.number - 1).saturating_mul(self.size),
        }
    }

    pub fn last(&self) -> i64 {
        ((self.total + self.size - 1) / self.size).max(1)
    }

    pub fn next(&self) -> Option<i64> {
        (self.number < self.last()).then_some(self.number + 1)
    }

    pub fn previous(&self) -> Option<i64> {
        (self.number > 1).then_some(self.number - 1)
    }

    /// Previous / next links, and where we are; nothing when everything fits on one page.
    /// `href(n)` is the address of page `n`.
    pub fn nav(&self, l: &str, href: impl Fn(i64) -> String) -> Markup {
        if self.last() <= 1 {
            return html! {};
        }
        html! {
            nav class="pager" aria-label=(t!("pager.label", locale = l)) {
                @if let Some(p) = self.previous() { a href=(href(p)) rel="prev" { (t!("pager.previous", locale = l)) } " " }
                span { (t!("pager.where", locale = l, n = self.number, of = self.last())) }
                @if let Some(n) = self.next() { " " a href=(href(n)) rel="next" { (t!("pager.next", locale = l)) } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_clamped_to_the_list() {
        let p = Pager::new(Some("3"), 50, 120);
        assert_eq!(
            (p.number, p.last(), p.window()),
            (
                3,
                3,
                Window {
                    limit: 50,
                    offset: 100
                }
            )
        );
        assert_eq!(p.next(), None);
        assert_eq!(p.previous(), Some(2));
        assert_eq!(Pager::new(Some("99"), 50, 120).number, 3);
        assert_eq!(Pager::new(Some("-1"), 50, 120).number, 1);
        assert_eq!(Pager::new(Some("abc"), 50, 120).number, 1);
        assert_eq!(Pager::new(Some("9223372036854775807"), 50, 0).number, 1);
        assert_eq!(Pager::new(None, 50, 0).last(), 1);
    }
}
