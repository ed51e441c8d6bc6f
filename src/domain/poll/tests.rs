use super::*;
use chrono::TimeZone;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap()
}

fn places(r: &[OptionResult]) -> Vec<(i64, i64, usize)> {
    r.iter().map(|x| (x.option, x.total, x.place)).collect()
}

#[test]
fn borda_on_a_worked_example() {
    // Four options (10, 20, 30, 40): a first place earns 3, a second 2, a third 1.
    // Ballot A: 20 > 10 > 30; ballot B: 10 > 20; ballot C: 30 > 20 > 10 > 40.
    let answers = [
        (1, 20, 1),
        (1, 10, 2),
        (1, 30, 3),
        (2, 10, 1),
        (2, 20, 2),
        (3, 30, 1),
        (3, 20, 2),
        (3, 10, 3),
        (3, 40, 4),
    ];
    // 10: 2 + 3 + 1 = 6; 20: 3 + 2 + 2 = 7; 30: 1 + 3 = 4; 40: 0.
    assert_eq!(
        places(&count(Kind::Ranked, &[10, 20, 30, 40], &answers)),
        [(20, 7, 1), (10, 6, 2), (30, 4, 3), (40, 0, 4)]
    );
}

#[test]
fn equal_totals_share_a_place_in_the_options_order() {
    // Ranked: A: 1 > 2; B: 2 > 1 (3 options: 2 points for a first, 1 for a second).
    let ranked = count(
        Kind::Ranked,
        &[1, 2, 3],
        &[(1, 1, 1), (1, 2, 2), (2, 2, 1), (2, 1, 2)],
    );
    assert_eq!(places(&ranked), [(1, 3, 1), (2, 3, 1), (3, 0, 3)]);
    // Score 0-5: option 7 gets 5 + 1, option 8 gets 3 + 3, option 9 gets 0 + 2.
    let scored = count(
        Kind::Score,
        &[7, 8, 9],
        &[
            (1, 7, 5),
            (1, 8, 3),
            (1, 9, 0),
            (2, 7, 1),
            (2, 8, 3),
            (2, 9, 2),
        ],
    );
    assert_eq!(places(&scored), [(7, 6, 1), (8, 6, 1), (9, 2, 3)]);
}

#[test]
fn choices_are_counted_per_person() {
    let multiple = count(
        Kind::Multiple,
        &[1, 2, 3],
        &[(1, 1, 1), (1, 3, 1), (2, 3, 1), (3, 3, 1)],
    );
    assert_eq!(places(&multiple), [(3, 3, 1), (1, 1, 2), (2, 0, 3)]);
}

#[test]
fn answers_are_checked_by_kind() {
    let opts = [1, 2, 3];
    let s = |pairs: &[(i64, &str)]| -> Vec<(i64, String)> {
        pairs.iter().map(|(o, v)| (*o, v.to_string())).collect()
    };
    assert_eq!(
        validate_answer(Kind::Single, 5, &opts, &s(&[(2, "1")])),
        Ok(vec![(2, 1)])
    );
    assert_eq!(
        validate_answer(Kind::Single, 5, &opts, &s(&[(1, "1"), (2, "1")])),
        Err(AnswerError::OneOnly)
    );
    assert_eq!(
        validate_answer(Kind::Multiple, 5, &opts, &s(&[(1, ""), (2, "")])),
        Err(AnswerError::Empty)
    );
    assert_eq!(
        validate_answer(Kind::Ranked, 5, &opts, &s(&[(1, "1"), (2, "1")])),
        Err(AnswerError::RankTwice)
    );
    assert_eq!(
        validate_answer(Kind::Ranked, 5, &opts, &s(&[(1, "4")])),
        Err(AnswerError::OutOfRange)
    );
    assert_eq!(
        validate_answer(Kind::Ranked, 5, &opts, &s(&[(3, "1"), (1, ""), (2, "2")])),
        Ok(vec![(3, 1), (2, 2)])
    );
    assert_eq!(
        validate_answer(Kind::Score, 5, &opts, &s(&[(1, "6")])),
        Err(AnswerError::OutOfRange)
    );
    assert_eq!(
        validate_answer(Kind::Score, 5, &opts, &s(&[(1, "0"), (2, "5")])),
        Ok(vec![(1, 0), (2, 5)])
    );
    assert_eq!(
        validate_answer(Kind::Score, 5, &opts, &s(&[(9, "1")])),
        Err(AnswerError::UnknownOption)
    );
    assert_eq!(
        validate_answer(Kind::Score, 5, &opts, &s(&[(1, "-1")])),
        Err(AnswerError::OutOfRange)
    );
    assert_eq!(
        validate_answer(Kind::Score, 5, &opts, &s(&[(1, "99999999999999999999")])),
        Err(AnswerError::OutOfRange)
    );
}

#[test]
fn a_plan_is_checked_with_every_mistake_named() {
    let cph = chrono_tz::Europe::Copenhagen;
    let input = |question, kind, options, max_score, closes| PollInput {
        question,
        background: "",
        kind,
        options,
        max_score,
        closes,
    };
    let ok = validate(
        &input(
            "Hvornår mødes vi?",
            "ranked",
            "Marts\n\nApril\nMaj",
            "",
            "2027-03-15T12:00",
        ),
        cph,
        now(),
    )
    .unwrap();
    assert_eq!(ok.options, ["Marts", "April", "Maj"]);
    assert_eq!(ok.kind, Kind::Ranked);
    let codes = validate(
        &input("", "veto", "Kun én", "11", "2020-01-01T10:00"),
        cph,
        now(),
    )
    .unwrap_err()
    .iter()
    .map(|e| e.code)
    .collect::<Vec<_>>();
    assert_eq!(
        codes,
        [
            "question",
            "closes_past",
            "kind",
            "option_count",
            "max_score"
        ]
    );
    let dup = validate(
        &input("Q", "single", "A\nA", "", "2027-03-15T12:00"),
        cph,
        now(),
    );
    assert_eq!(dup.unwrap_err()[0].code, "option");
}
