//! What organisers do with a theme: reword, move on, schedule, merge (each audited by its use
//! case), and the tools on the theme page that do it.

use super::*;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RewordForm {
    #[serde(rename = "reword-title")]
    title: String,
    #[serde(rename = "reword-why")]
    why: String,
}

pub async fn reword(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    Path(id): Path<String>,
    Form(f): Form<RewordForm>,
) -> AppResult<Response> {
    let th = theme_of(&app, &id).await?;
    match theme::validate(&f.title, &f.why) {
        Ok(text) => {
            usecase::reword(&app, &th, &text, (&*me).into()).await?;
            Ok(Redirect::to(&format!("/themes/{}", th.id)).into_response())
        }
        Err(errors) => refused(&app, &ctx, &th, errors[0]).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StateForm {
    state: String,
    conclusion: String,
}

pub async fn set_state(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    Path(id): Path<String>,
    Form(f): Form<StateForm>,
) -> AppResult<Response> {
    let th = theme_of(&app, &id).await?;
    let state =
        ThemeState::parse(&f.state).ok_or(AppError::BadRequest("theme.error.state_unknown"))?;
    let conclusion = if state.needs_conclusion() {
        match theme::conclusion(&f.conclusion) {
            Ok(c) => c,
            Err(e) => return refused(&app, &ctx, &th, e).await,
        }
    } else {
        crate::domain::text::multiline(&f.conclusion, theme::WHY_MAX, false)
            .map_err(|_| AppError::BadRequest("theme.error.why_too_long"))?
    };
    usecase::move_on(&app, &th, state, &conclusion, (&*me).into()).await?;
    Ok(Redirect::to(&format!("/themes/{}", th.id)).into_response())
}

async fn refused(
    app: &SharedApp,
    ctx: &Ctx,
    th: &Theme,
    e: theme::FieldError,
) -> AppResult<Response> {
    let message = t!(format!("theme.error.{}", e.code), locale = ctx.lang()).to_string();
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        render_theme(app, ctx, th, Some(message), None).await?,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ScheduleForm {
    salon: String,
}

pub async fn schedule(
    State(app): State<SharedApp>,
    Organiser(me): Organiser,
    Path(id): Path<String>,
    Form(f): Form<ScheduleForm>,
) -> AppResult<Response> {
    let th = theme_of(&app, &id).await?;
    let salon_id: SalonId = f
        .salon
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("theme.error.salon_unknown"))?;
    // Only a salon of the theme's own series.
    match salons::get(&app.db, salon_id).await? {
        Some(s) if s.series_id == Some(th.series_id) => {}
        _ => return Err(AppError::BadRequest("theme.error.salon_unknown")),
    }
    usecase::schedule(&app, &th, salon_id, (&*me).into()).await?;
    Ok(Redirect::to(&format!("/themes/{}", th.id)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MergeForm {
    into: String,
}

pub async fn merge(
    State(app): State<SharedApp>,
    Organiser(me): Organiser,
    Path(id): Path<String>,
    Form(f): Form<MergeForm>,
) -> AppResult<Response> {
    let th = theme_of(&app, &id).await?;
    let into = theme_of(&app, f.into.trim())
        .await
        .map_err(|_| AppError::BadRequest("theme.error.theme_unknown"))?;
    if into.id == th.id || into.series_id != th.series_id {
        return Err(AppError::BadRequest("theme.error.theme_unknown"));
    }
    usecase::merge(&app, &th, &into, (&*me).into()).await?;
    Ok(Redirect::to(&format!("/themes/{}", into.id)).into_response())
}

/// Reword, move on (with a conclusion), schedule into a salon, merge into another theme.
pub(super) async fn organiser_tools(
    app: &SharedApp,
    ctx: &Ctx,
    th: &Theme,
    s: &Series,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let salons: Vec<(String, String)> = salons::in_series(&app.db, s.id, true)
        .await?
        .into_iter()
        .map(|x| (x.id.to_string(), x.title))
        .collect();
    let others: Vec<(String, String)> = themes::of_series(&app.db, s.id, None, Window::ALL)
        .await?
        .into_iter()
        .filter(|o| o.id != th.id)
        .map(|o| (o.id.to_string(), o.title))
        .collect();
    let states: Vec<(String, String)> = ThemeState::ALL
        .iter()
        .map(|st| {
            (
                st.as_str().to_string(),
                t!(format!("theme.state.{}", st.as_str()), locale = l).to_string(),
            )
        })
        .collect();
    let none = Errors::default();
    let base = format!("/themes/{}", th.id);
    Ok(html! {
        section aria-labelledby="theme-tools" class="panel tools" {
            h2 id="theme-tools" { (t!("organise.tools", locale = l)) }
            form method="post" action=(format!("{base}/reword")) class="stacked" {
                (csrf_field(ctx))
                (form::field("reword-title", &t!("theme.field.title", locale = l), None, Kind::Text, &th.title, &none, true))
                (form::field("reword-why", &t!("theme.field.why", locale = l), None, Kind::TextArea(3), &th.why, &none, false))
                div { button type="submit" class="secondary" { (t!("theme.reword", locale = l)) } }
            }
            form method="post" action=(format!("{base}/state")) class="stacked" {
                (csrf_field(ctx))
                (form::field("state", &t!("theme.set_state", locale = l), None, Kind::Select(&states), th.state().as_str(), &none, true))
                (form::field("conclusion", &t!("theme.conclusion", locale = l), Some(&t!("theme.hint.conclusion", locale = l)), Kind::TextArea(3), &th.conclusion, &none, false))
                div { button type="submit" class="secondary" { (t!("theme.save_state", locale = l)) } }
            }
            @if !salons.is_empty() {
                form method="post" action=(format!("{base}/schedule")) class="stacked" {
                    (csrf_field(ctx))
                    (form::field("salon", &t!("theme.schedule", locale = l), None, Kind::Select(&salons), "", &none, true))
                    div { button type="submit" class="secondary" { (t!("theme.schedule_submit", locale = l)) } }
                }
            }
            @if !others.is_empty() {
                form method="post" action=(format!("{base}/merge")) class="stacked" {
                    (csrf_field(ctx))
                    (form::field("into", &t!("theme.merge", locale = l), Some(&t!("theme.hint.merge", locale = l)), Kind::Select(&others), "", &none, true))
                    div { button type="submit" class="secondary" { (t!("theme.merge_submit", locale = l)) } }
                }
            }
        }
    })
}
