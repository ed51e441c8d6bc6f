use super::*;

const PDF: &[u8] = include_bytes!("../../demo/files/forberedelse.pdf");
const PPTX: &[u8] = include_bytes!("../../../tests/fixtures/materials/slides.pptx");
const ZIP: &[u8] = include_bytes!("../../../tests/fixtures/materials/archive.zip");
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
const MB: usize = 1024 * 1024;

#[test]
fn documents_slides_and_pictures_are_taken_as_what_their_bytes_say() {
    let pdf = check_file("Forberedelse.pdf", PDF, MB).unwrap();
    assert_eq!(pdf.content_type, "application/pdf");
    assert_eq!(pdf.file_name, "Forberedelse.pdf");
    let slides = check_file("C:\\Users\\Mette\\Salon 3 – dias.PPTX", PPTX, MB).unwrap();
    assert_eq!(
        slides.content_type,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    );
    assert_eq!(slides.file_name, "Salon 3 – dias.PPTX", "no folder kept");
    assert_eq!(
        check_file("x.png", PNG, MB).unwrap().content_type,
        "image/png"
    );
    let notes = check_file("noter.md", "# Noter\nÆble".as_bytes(), MB).unwrap();
    assert_eq!(notes.content_type, "text/plain; charset=utf-8");
}

#[test]
fn other_kinds_and_names_that_lie_are_refused() {
    assert_eq!(check_file("a.zip", ZIP, MB), Err(Refused::Forbidden));
    assert_eq!(check_file("a.pptx", ZIP, MB), Err(Refused::Forbidden));
    assert_eq!(
        check_file("a.exe", b"MZ\x90\0\x03\0\0\0", MB),
        Err(Refused::Forbidden)
    );
    assert_eq!(check_file("slides.pdf", PPTX, MB), Err(Refused::Mismatch));
    assert_eq!(check_file("photo.pdf", PNG, MB), Err(Refused::Mismatch));
    assert_eq!(
        check_file("a.html", b"<html><script>", MB),
        Err(Refused::Forbidden)
    );
    assert_eq!(
        check_file("a.txt", b"<html><script>x</script>", MB),
        Err(Refused::Forbidden)
    );
    assert_eq!(
        check_file("a.txt", b"\xff\xfe bad", MB),
        Err(Refused::Forbidden)
    );
    assert_eq!(check_file("a.pdf", b"", MB), Err(Refused::NoFile));
    assert_eq!(
        check_file("a.pdf", PDF, PDF.len() - 1),
        Err(Refused::TooLarge)
    );
    assert!(
        check_file("a.pdf", PDF, PDF.len()).is_ok(),
        "the limit itself is allowed"
    );
    assert_eq!(check_file("pdf", PDF, MB), Err(Refused::FileName));
    assert_eq!(check_file(".pdf", PDF, MB), Err(Refused::FileName));
    assert_eq!(check_file("a\nb.pdf", PDF, MB), Err(Refused::FileName));
}

#[test]
fn titles_fall_back_to_the_name_and_links_must_be_web_addresses() {
    assert_eq!(title("  Dias  ", "x.pdf").unwrap(), "Dias");
    assert_eq!(title("", "x.pdf").unwrap(), "x.pdf");
    assert_eq!(title("a\u{202E}b", "x.pdf"), Err(Refused::Title));
    assert_eq!(
        link(" https://example.org/rapport ").unwrap(),
        "https://example.org/rapport"
    );
    for bad in [
        "javascript:alert(1)",
        "ftp://x.org/a",
        "example.org",
        "",
        "https://",
    ] {
        assert_eq!(link(bad), Err(Refused::Url), "{bad}");
    }
}

#[test]
fn a_download_keeps_its_name_in_every_client() {
    assert_eq!(
        disposition("Salon 3 – dias \"endelig\".pdf"),
        "attachment; filename=\"Salon 3 _ dias _endelig_.pdf\"; \
         filename*=UTF-8''Salon%203%20%E2%80%93%20dias%20%22endelig%22.pdf"
    );
}
