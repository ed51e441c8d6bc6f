use super::presence::capped;
use super::*;

fn person(id: i64) -> Person {
    Person {
        id: PersonId(id),
        name: format!("P{id:05}"),
        org: None,
    }
}

#[test]
fn a_large_room_names_the_first_people_by_name_and_counts_everyone() {
    let online = capped((0..5000).rev().map(person).collect());
    assert_eq!(online.count, 5000);
    assert_eq!(online.people.len(), PRESENCE_NAMES);
    assert_eq!(online.people[0].id, PersonId(0));
    assert_eq!(
        online.people[PRESENCE_NAMES - 1].id,
        PersonId(PRESENCE_NAMES as i64 - 1)
    );
}

/// A hub, and room 1's events as its writer would get them.
fn hub_and_events(presence_every: Duration) -> (Arc<Hub>, mpsc::UnboundedReceiver<Out>) {
    let hub = Arc::new(Hub::new(presence_every));
    // Someone attached (so the room stays), and the writer's end taken by the test.
    let rx = hub
        .with_room(RoomId(1), |r| {
            r.attached += 1;
            r.inbox.take()
        })
        .unwrap();
    (hub, rx)
}

fn message(hub: &Arc<Hub>, id: i64) {
    hub.publish_local(
        RoomId(1),
        Event::Message {
            id: MessageId(id),
            json: format!("m{id}").into(),
        },
    );
}

fn ids(rx: &mut mpsc::UnboundedReceiver<Out>) -> Vec<i64> {
    let mut ids = Vec::new();
    while let Ok(Out::Event {
        event: Event::Message { id, .. },
        ..
    }) = rx.try_recv()
    {
        ids.push(id.0);
    }
    ids
}

#[tokio::test]
async fn a_message_waits_for_an_earlier_one_from_another_instance() {
    let (hub, mut rx) = hub_and_events(Duration::from_secs(1));
    message(&hub, 1);
    // 3 posted here before 2 arrived from elsewhere: 3 waits, then both go out in order.
    message(&hub, 3);
    assert_eq!(ids(&mut rx), vec![1]);
    message(&hub, 2);
    assert_eq!(ids(&mut rx), vec![2, 3]);
    // A repeat of an old one passes (connections skip what they have).
    message(&hub, 2);
    assert_eq!(ids(&mut rx), vec![2]);
}

#[tokio::test]
async fn a_message_whose_predecessor_never_comes_goes_out_after_the_hold() {
    let (hub, mut rx) = hub_and_events(Duration::from_secs(1));
    message(&hub, 1);
    message(&hub, 3);
    message(&hub, 4);
    assert_eq!(ids(&mut rx), vec![1]);
    tokio::time::sleep(HOLD).await;
    // The release is a task of its own: on a busy machine it may run a little after the hold.
    let mut released = Vec::new();
    for _ in 0..500 {
        released.extend(ids(&mut rx));
        if released.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(released, vec![3, 4]);
    // The room goes on from there.
    message(&hub, 5);
    assert_eq!(ids(&mut rx), vec![5]);
}

#[tokio::test]
async fn a_writer_too_far_behind_is_sent_no_more_until_it_catches_up() {
    let (hub, mut rx) = hub_and_events(Duration::from_secs(1));
    for id in 1..=(MAX_QUEUED as i64 + 100) {
        message(&hub, id);
    }
    // Every event counted (the catch-up reads up to there), only MAX_QUEUED queued.
    assert_eq!(hub.published(RoomId(1)), MAX_QUEUED as u64 + 100);
    let mut queued = 0;
    while rx.try_recv().is_ok() {
        queued += 1;
    }
    assert_eq!(queued, MAX_QUEUED);
}

#[tokio::test]
async fn an_idle_room_is_let_go_and_a_busy_one_is_kept() {
    let hub = Arc::new(Hub::new(Duration::from_millis(10)));
    hub.publish_local(
        RoomId(7),
        Event::Message {
            id: MessageId(1),
            json: "m1".into(),
        },
    );
    assert_eq!(hub.live_rooms(), 0, "nobody there: nothing kept");
    hub.join(RoomId(8), person(1));
    assert_eq!(hub.live_rooms(), 1);
    hub.leave(RoomId(8), PersonId(1));
    // The presence frame saying so may be due a moment later; then the room goes.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(hub.live_rooms(), 0);
}

#[tokio::test]
async fn joins_close_together_make_one_presence_frame_with_everyone() {
    let (hub, mut rx) = hub_and_events(Duration::from_millis(200));
    for id in 0..100 {
        hub.join(RoomId(1), person(id));
    }
    // The first join's frame at once, then one more with all hundred.
    let first = rx.recv().await.unwrap();
    let second = tokio::time::timeout(Duration::from_secs(2), rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        rx.try_recv(),
        Err(mpsc::error::TryRecvError::Empty)
    ));
    let count = |e: Out| match e {
        Out::Event {
            event: Event::Presence(json),
            ..
        } => serde_json::from_str::<serde_json::Value>(json.as_str()).unwrap()["count"]
            .as_u64()
            .unwrap(),
        _ => panic!("not a presence frame"),
    };
    assert_eq!(count(first), 1);
    assert_eq!(count(second), 100);
}
