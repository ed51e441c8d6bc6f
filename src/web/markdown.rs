//! User text in the Markdown exports (`board.md`, the room transcript): written so that it
//! reads as the text it is, never as Markdown or HTML of its own.

/// `text` as one line of literal Markdown: every character Markdown or its inline HTML would
/// interpret is escaped with a backslash (CommonMark allows that before any ASCII punctuation),
/// and line breaks become spaces, so a message cannot end its list item, start a heading, add
/// a link or an image, or inject HTML into whatever renders the file.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\r' | '\n' => out.push(' '),
            // Emphasis, code, links and images (`![`), HTML and entities, headings, tables,
            // strikethrough.
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // At the start, a list marker would open a list inside the item.
            '-' | '+' if out.is_empty() => {
                out.push('\\');
                out.push(c);
            }
            // As would a number and a dot at the start ("1. ").
            '.' if !out.is_empty() && out.chars().all(|p| p.is_ascii_digit()) => {
                out.push_str("\\.")
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::inline;

    #[test]
    fn markdown_and_html_in_user_text_stay_text() {
        assert_eq!(inline("plain words"), "plain words");
        assert_eq!(inline("**bold** _em_"), "\\*\\*bold\\*\\* \\_em\\_");
        assert_eq!(
            inline("![x](https://evil.example)"),
            "!\\[x\\](https://evil.example)"
        );
        assert_eq!(
            inline("<img src=x onerror=alert(1)>"),
            "\\<img src=x onerror=alert(1)\\>"
        );
        assert_eq!(
            inline("- not a list, 2027-05-01"),
            "\\- not a list, 2027-05-01"
        );
        assert_eq!(inline("line one\n# heading"), "line one \\# heading");
        assert_eq!(inline("1. not a list"), "1\\. not a list");
        assert_eq!(inline("DDF & KB"), "DDF \\& KB");
    }
}
