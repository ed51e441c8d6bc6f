//! Organisers create and edit a series.

use super::*;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SeriesInput {
    title: String,
    description: String,
    /// "on" when members may put proposals to the series.
    members_propose: Option<String>,
}

fn series_errors(input: &SeriesInput, l: &str) -> Result<salon::ValidSeries, Errors> {
    salon::validate_series(&input.title, &input.description).map_err(|refused| {
        let mut e = Errors::default();
        for f in refused {
            e.add(
                f.field,
                t!(format!("salon.error.{}", f.code), locale = l).to_string(),
            );
        }
        e
    })
}

fn series_form(
    ctx: &Ctx,
    action: &str,
    heading: &str,
    input: &SeriesInput,
    errors: &Errors,
) -> Markup {
    let l = ctx.lang();
    page(
        ctx,
        heading,
        html! {
            h1 { (heading) }
            (form::summary(errors, l))
            form method="post" action=(action) class="stacked" novalidate {
                (csrf_field(ctx))
                (form::field("title", &t!("salon.field.title", locale = l), None, Kind::Text, &input.title, errors, true))
                (form::field("description", &t!("salon.field.description", locale = l), None, Kind::TextArea(6), &input.description, errors, false))
                div class="choice" {
                    input type="checkbox" id="members_propose" name="members_propose" value="on" checked[input.members_propose.is_some()];
                    label for="members_propose" { (t!("proposal.members_propose", locale = l)) }
                }
                div { button type="submit" { (t!("organise.save", locale = l)) } }
            }
        },
    )
}

pub async fn new_series(ctx: Ctx, _o: Organiser) -> Markup {
    series_form(
        &ctx,
        "/series/new",
        &t!("organise.new_series", locale = ctx.lang()),
        &SeriesInput::default(),
        &Errors::default(),
    )
}

pub async fn create_series(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _o: Organiser,
    Form(input): Form<SeriesInput>,
) -> AppResult<Response> {
    let valid = match series_errors(&input, ctx.lang()) {
        Ok(v) => v,
        Err(errors) => {
            let body = series_form(
                &ctx,
                "/series/new",
                &t!("organise.new_series", locale = ctx.lang()),
                &input,
                &errors,
            );
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    let id = series::create(&app.db, &valid.title, &valid.description).await?;
    series::set_members_propose(&app.db, id, input.members_propose.is_some()).await?;
    Ok(Redirect::to(&format!("/series/{id}")).into_response())
}

pub async fn edit_series(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _o: Organiser,
    Path(id): Path<String>,
) -> AppResult<Markup> {
    let s = series::get(&app.db, parse_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let input = SeriesInput {
        title: s.title.clone(),
        description: s.description.clone(),
        members_propose: s.members_propose.then(|| "on".to_string()),
    };
    Ok(series_form(
        &ctx,
        &format!("/series/{}/edit", s.id),
        &s.title,
        &input,
        &Errors::default(),
    ))
}

pub async fn update_series(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _o: Organiser,
    Path(id): Path<String>,
    Form(input): Form<SeriesInput>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let valid = match series_errors(&input, ctx.lang()) {
        Ok(v) => v,
        Err(errors) => {
            let body = series_form(
                &ctx,
                &format!("/series/{id}/edit"),
                &input.title,
                &input,
                &errors,
            );
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    if !series::update(&app.db, id, &valid.title, &valid.description).await? {
        return Err(AppError::NotFound);
    }
    series::set_members_propose(&app.db, id, input.members_propose.is_some()).await?;
    Ok(Redirect::to(&format!("/series/{id}")).into_response())
}
